package dev.genai4j.data.shapes;

import dev.genai4j.tensor.Rng;

/**
 * Captions from templates: a noun phrase per object ("a small red cone", "a red cone",
 * "a small cone in red", "a medium-sized red cone") joined by the relation's phrase. The size
 * word is left out only for {@link ShapeSize#MEDIUM}, so {@link CaptionParser} recovers every
 * spec exactly.
 *
 * <pre>{@code
 * String c = CaptionWriter.caption(scene, new Rng(3));   // "a small red cone on top of a blue cube"
 * }</pre>
 */
public final class CaptionWriter {
    /** Number of noun-phrase templates. */
    public static final int TEMPLATES = 3;

    private CaptionWriter() {}

    /** The caption of {@code scene}, templates drawn from {@code rng}. */
    public static String caption(Scene scene, Rng rng) {
        var specs = scene.specs();
        String first = nounPhrase(specs.get(0), rng.nextInt(TEMPLATES), rng.nextInt(2) == 0);
        if (specs.size() == 1) return first;
        return first + " " + scene.relation().phrase() + " " + nounPhrase(specs.get(1), rng.nextInt(TEMPLATES), rng.nextInt(2) == 0);
    }

    /**
     * One object's phrase. Template 0: "a small red cone"; 1: "a small cone in red"; 2: "a red
     * cone that is small" (or "a red cone" when medium). {@code sayMedium}: spell out a medium size.
     */
    public static String nounPhrase(ObjectSpec s, int template, boolean sayMedium) {
        String size = s.size() == ShapeSize.MEDIUM ? (sayMedium ? "medium-sized" : "") : s.size().word();
        String colour = s.colour().word(), shape = s.primitive().word();
        String words = switch (template) {
            case 0 -> join(size, colour, shape);
            case 1 -> join(size, shape, "in", colour);
            case 2 -> size.isEmpty() ? join(colour, shape) : join(colour, shape, "that is", size);
            default -> throw new IllegalArgumentException("CaptionWriter: template must be 0.." + (TEMPLATES - 1) + ", got " + template);
        };
        return article(words) + " " + words;
    }

    private static String join(String... words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (w.isEmpty()) continue;
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(w);
        }
        return sb.toString();
    }

    private static String article(String next) { return "aeiou".indexOf(next.charAt(0)) >= 0 ? "an" : "a"; }
}
