package dev.genai4j.data.shapes;

import java.util.Locale;

/**
 * The generator's eight named colours, far enough apart in RGB that the nearest palette colour
 * of a cloud's mean colour names the prompt's colour ({@code ColourAccuracy} in the models).
 *
 * <pre>{@code
 * float[] rgb = PaletteColour.RED.rgb01();                 // {0.86, 0.16, 0.16}
 * PaletteColour c = PaletteColour.nearest(0.2f, 0.3f, 0.8f); // BLUE
 * }</pre>
 */
public enum PaletteColour {
    RED(220, 40, 40), ORANGE(245, 140, 30), YELLOW(240, 215, 40), GREEN(50, 165, 60),
    BLUE(40, 90, 220), PURPLE(140, 60, 190), WHITE(235, 235, 235), BLACK(35, 35, 35);

    private final int r, g, b;

    PaletteColour(int r, int g, int b) {
        this.r = r;
        this.g = g;
        this.b = b;
    }

    /** The word used in captions ({@code "red"}). */
    public String word() { return name().toLowerCase(Locale.ROOT); }

    /** The colour as 8-bit {@code {r, g, b}}. */
    public int[] rgb255() { return new int[]{r, g, b}; }

    /** The colour as {@code {r, g, b}} in [0, 1], exactly {@code value / 255f}. */
    public float[] rgb01() { return new float[]{r / 255f, g / 255f, b / 255f}; }

    /** The palette colour nearest in RGB (Euclidean) to {@code (r, g, b)} given in [0, 1]. */
    public static PaletteColour nearest(float r, float g, float b) {
        PaletteColour best = null;
        double bestD = Double.POSITIVE_INFINITY;
        for (PaletteColour c : values()) {
            double dr = r * 255 - c.r, dg = g * 255 - c.g, db = b * 255 - c.b, d = dr * dr + dg * dg + db * db;
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }
}
