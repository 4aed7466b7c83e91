package dev.genai4j.models.clip.train;

import dev.genai4j.data.images.FashionMnist;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Captions for Fashion-MNIST classes: each class has lower-case names and synonyms (the first is
 * its canonical label), each filled into varied templates. Training draws a random (name,
 * template) per image; evaluation ensembles the training templates over canonical labels, and
 * reports {@link #EVAL_TEMPLATES} (phrasings never trained on) beside it.
 *
 * <pre>{@code
 * List<String> c = FashionCaptions.captionsOf(7);   // "a photo of a sneaker", "trainers", ...
 * }</pre>
 */
public final class FashionCaptions {
    /** Per class (label order of {@link FashionMnist#CLASS_NAMES}): canonical name first, then synonyms. */
    public static final List<List<String>> NAMES = List.of(
            List.of("t-shirt", "t-shirt/top", "top", "tee", "tshirt"),
            List.of("trouser", "trousers", "pants", "jeans"),
            List.of("pullover", "sweater", "jumper"),
            List.of("dress", "gown", "frock"),
            List.of("coat", "jacket", "overcoat"),
            List.of("sandal", "sandals", "flip-flop"),
            List.of("shirt", "button-up shirt", "blouse"),
            List.of("sneaker", "sneakers", "trainers", "running shoe"),
            List.of("bag", "handbag", "purse"),
            List.of("ankle boot", "boot", "boots"));

    /** Training templates: {@code {}} takes a name. */
    public static final List<String> TRAIN_TEMPLATES = List.of(
            "a photo of a {}", "a black and white image of a {}", "{}", "a picture of a {}", "a photo of the {}",
            "a low resolution photo of a {}", "a grayscale photo of a {}", "an image of a {}", "a product photo of a {}",
            "a {}", "a small photo of a {}", "a centered photo of a {}");

    /** A second zero-shot ensemble of phrasings not in {@link #TRAIN_TEMPLATES} (robustness check). */
    public static final List<String> EVAL_TEMPLATES = List.of(
            "a photo of a {}.", "a black and white photo of a {}.", "a picture of a {}.", "a grayscale image of a {}.",
            "a low resolution photo of the {}.", "{}");

    private FashionCaptions() {}

    /** Canonical labels in class order ("t-shirt", "trouser", … "ankle boot"). */
    public static List<String> canonicalLabels() {
        return NAMES.stream().map(List::getFirst).toList();
    }

    /** Every training caption of class {@code c}: each name in each template. */
    public static List<String> captionsOf(int c) {
        List<String> out = new ArrayList<>();
        for (String name : NAMES.get(c)) for (String t : TRAIN_TEMPLATES) out.add(t.replace("{}", name));
        return out;
    }

    /**
     * Parses {@code --hold-out-classes "Sneaker,Bag"}: each entry is a {@link FashionMnist#CLASS_NAMES}
     * entry or a canonical label, case-insensitive; returns class ids.
     */
    public static int[] parseClasses(String spec) {
        if (spec == null || spec.isBlank()) return new int[0];
        List<Integer> out = new ArrayList<>();
        for (String raw : spec.split(",")) {
            String s = raw.strip().toLowerCase(Locale.ROOT);
            if (s.isEmpty()) continue;
            int found = -1;
            for (int c = 0; c < NAMES.size(); c++) {
                if (FashionMnist.CLASS_NAMES.get(c).toLowerCase(Locale.ROOT).equals(s) || NAMES.get(c).contains(s)) found = c;
            }
            if (found < 0) {
                throw new IllegalArgumentException("unknown Fashion-MNIST class '" + raw.strip() + "'; expected one of "
                        + FashionMnist.CLASS_NAMES);
            }
            if (!out.contains(found)) out.add(found);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** True when {@code caption} mentions any name of a class in {@code classes} as whole words. */
    public static boolean mentions(String caption, int[] classes) {
        String padded = " " + caption.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9/-]+", " ") + " ";
        for (int c : classes) {
            for (String name : NAMES.get(c)) {
                if (padded.contains(" " + name + " ")) return true;
                // plural / singular forms of the same word ("bags", "boots" → "boot")
                if (padded.contains(" " + name + "s ") || (name.endsWith("s") && padded.contains(" " + name.substring(0, name.length() - 1) + " "))) return true;
            }
        }
        return false;
    }
}
