package dev.genai4j.models.diffusion.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds which class a text prompt asks for by matching class names as whole words: case is
 * ignored, a trailing plural "s"/"es" is allowed, "T-shirt/top" answers to "t-shirt", "t shirt",
 * "tshirt" and "top", and a few plain synonyms of the Fashion-MNIST names ("pants", "sweater",
 * "boot", "sneakers") count too. When several names occur, the longest match wins, then the
 * earliest ("a t-shirt" is not a "shirt"; "an ankle boot" is not a "boot" alone).
 *
 * <pre>{@code
 * PromptClasses pc = PromptClasses.fashionMnist();
 * pc.classOf("a photo of an ankle boot");    // 9
 * pc.classOf("a blue cat");                  // -1
 * }</pre>
 */
public final class PromptClasses {
    private record Alias(int label, Pattern pattern, int length) {}

    private final List<String> classNames;
    private final List<Alias> aliases = new ArrayList<>();

    public PromptClasses(List<String> classNames) {
        this.classNames = List.copyOf(classNames);
        for (int c = 0; c < classNames.size(); c++) {
            for (String a : aliasesOf(classNames.get(c))) {
                Pattern p = Pattern.compile("(?<![\\p{L}\\p{N}-])" + Pattern.quote(a) + "(?:s|es)?(?![\\p{L}\\p{N}])");
                aliases.add(new Alias(c, p, a.length()));
            }
        }
    }

    /** The ten Fashion-MNIST classes in label order. */
    public static PromptClasses fashionMnist() {
        return new PromptClasses(dev.genai4j.data.images.FashionMnist.CLASS_NAMES);
    }

    public List<String> classNames() { return classNames; }

    /** Where a prompt names a class: the label, the matched characters [start, end), and whether a plural ending was matched. */
    public record Match(int label, int start, int end, boolean plural) {}

    /** The class a prompt names, or −1 when it names none. */
    public int classOf(String prompt) {
        Match m = find(prompt);
        return m == null ? -1 : m.label();
    }

    /** The class mention in {@code prompt} (longest alias, then earliest), or null. */
    public Match find(String prompt) {
        String text = prompt.toLowerCase(Locale.ROOT);
        Match best = null;
        int bestLen = -1;
        for (Alias a : aliases) {
            Matcher m = a.pattern.matcher(text);
            if (!m.find()) continue;
            if (a.length > bestLen || (a.length == bestLen && m.start() < best.start())) {
                best = new Match(a.label, m.start(), m.end(), m.end() - m.start() > a.length);
                bestLen = a.length;
            }
        }
        return best;
    }

    /** Like {@link #classOf} but fails with a message listing the class names when the prompt names none. */
    public int requireClassOf(String prompt) {
        int c = classOf(prompt);
        if (c < 0) {
            throw new IllegalArgumentException("prompt '" + prompt + "' names none of the classes " + classNames
                    + " (matched as whole words, case ignored)");
        }
        return c;
    }

    /** Classes of every prompt (−1 where none is named). */
    public int[] classesOf(List<String> prompts) {
        int[] out = new int[prompts.size()];
        for (int i = 0; i < out.length; i++) out[i] = classOf(prompts.get(i));
        return out;
    }

    private static Set<String> aliasesOf(String name) {
        Set<String> out = new LinkedHashSet<>();
        for (String part : name.toLowerCase(Locale.ROOT).split("/")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            out.add(p);
            if (p.contains("-")) {
                out.add(p.replace('-', ' '));
                out.add(p.replace("-", ""));
            }
        }
        switch (name) {                       // plain words people write for the Fashion-MNIST classes
            case "Trouser" -> { out.add("pants"); out.add("jeans"); }
            case "Pullover" -> { out.add("sweater"); out.add("jumper"); }
            case "Sneaker" -> out.add("trainer");
            case "Ankle boot" -> out.add("boot");
            case "Bag" -> { out.add("handbag"); out.add("purse"); }
            default -> { }
        }
        return out;
    }
}
