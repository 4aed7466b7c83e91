package dev.genai4j.models.pointe.eval;

import dev.genai4j.data.shapes.PaletteColour;
import dev.genai4j.data.shapes.PointCloud;

import java.util.List;

/**
 * Whether a cloud has the prompted colour: the palette colour nearest to the cloud's mean colour
 * must be the one the caption named. Meant for single-object prompts (a two-colour scene's mean
 * is a blend).
 *
 * <pre>{@code
 * boolean ok = ColourAccuracy.matches(cloud, PaletteColour.RED);
 * double acc = ColourAccuracy.accuracy(clouds, prompted);
 * }</pre>
 */
public final class ColourAccuracy {
    private ColourAccuracy() {}

    /** The palette colour nearest to the mean colour of {@code cloud}. */
    public static PaletteColour predicted(PointCloud cloud) {
        float[] m = cloud.meanColour();
        return PaletteColour.nearest(m[0], m[1], m[2]);
    }

    public static boolean matches(PointCloud cloud, PaletteColour prompted) { return predicted(cloud) == prompted; }

    /** Share of clouds whose predicted colour is the prompted one. */
    public static double accuracy(List<PointCloud> clouds, List<PaletteColour> prompted) {
        if (clouds.size() != prompted.size() || clouds.isEmpty()) {
            throw new IllegalArgumentException("ColourAccuracy: need as many prompted colours as clouds (at least one), got "
                    + clouds.size() + " clouds and " + prompted.size() + " colours");
        }
        int hits = 0;
        for (int i = 0; i < clouds.size(); i++) if (matches(clouds.get(i), prompted.get(i))) hits++;
        return hits / (double) clouds.size();
    }
}
