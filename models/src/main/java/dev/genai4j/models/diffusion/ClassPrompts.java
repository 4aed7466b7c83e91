package dev.genai4j.models.diffusion;

import dev.genai4j.tensor.Rng;

import java.util.List;
import java.util.Locale;

/**
 * Prompts made from class names with varied templates ("a photo of a {}", "a black and white
 * picture of a {}", …). Training draws from {@link #TRAIN_TEMPLATES}; {@link #HELD_OUT_TEMPLATES}
 * are never seen in training, for evaluating on unseen phrasings.
 *
 * <pre>{@code
 * ClassPrompts p = ClassPrompts.fashionMnist();
 * String s = p.random(7, rng);          // e.g. "a black and white picture of a sneaker"
 * }</pre>
 */
public final class ClassPrompts {
    public static final List<String> TRAIN_TEMPLATES = List.of(
            "a photo of a {}", "a black and white picture of a {}", "a {}", "an image of a {}",
            "a grey photo of a {}", "a small picture of a {}", "a product photo of a {}", "a low resolution photo of a {}");
    public static final List<String> HELD_OUT_TEMPLATES = List.of("a picture showing a {}", "a close-up photo of a {}");

    /** Fashion-MNIST's ten classes, in label order, as words. */
    public static final List<String> FASHION_MNIST = List.of(
            "t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot");

    private final List<String> classNames;

    public ClassPrompts(List<String> classNames) {
        if (classNames.isEmpty()) throw new DiffusionException("class prompts: no class names");
        this.classNames = List.copyOf(classNames);
    }

    public static ClassPrompts fashionMnist() { return new ClassPrompts(FASHION_MNIST); }

    public List<String> classNames() { return classNames; }

    /** {@code template} with its {} replaced by the class name of {@code label}. */
    public String prompt(int label, String template) {
        if (label < 0 || label >= classNames.size()) {
            throw new DiffusionException("class prompts: label " + label + " is outside 0.." + (classNames.size() - 1));
        }
        return template.replace("{}", classNames.get(label));
    }

    /** A training prompt for {@code label} with a template drawn from {@link #TRAIN_TEMPLATES}. */
    public String random(int label, Rng rng) {
        return prompt(label, TRAIN_TEMPLATES.get(rng.nextInt(TRAIN_TEMPLATES.size())));
    }

    /** The label whose class name the prompt mentions (longest name first, so "shirt" does not match "t-shirt"), or −1. */
    public int labelOf(String prompt) {
        String p = prompt.toLowerCase(Locale.ROOT);
        int best = -1, bestLen = 0;
        for (int i = 0; i < classNames.size(); i++) {
            String n = classNames.get(i);
            int at = p.indexOf(n);
            if (at >= 0 && n.length() > bestLen && (at == 0 || !Character.isLetter(p.charAt(at - 1)) && p.charAt(at - 1) != '-')) {
                best = i;
                bestLen = n.length();
            }
        }
        return best;
    }
}
