package dev.genai4j.data.shapes;

import dev.genai4j.data.DataException;

/**
 * Coloured points: {@code xyz} interleaved {@code x, y, z} (z up) and {@code rgb} interleaved in
 * [0, 1], both of length 3·{@link #size()}, as Point-E's {@code PointCloud} with channels R, G, B.
 *
 * <pre>{@code
 * PointCloud pc = scene.sample(4096, new Rng(7));
 * float x0 = pc.x(0), red0 = pc.rgb()[0];
 * }</pre>
 */
public record PointCloud(float[] xyz, float[] rgb) {
    public PointCloud {
        if (xyz.length % 3 != 0 || rgb.length != xyz.length) {
            throw new DataException("PointCloud: need 3 coordinates and 3 colour channels per point, got " + xyz.length
                    + " coordinates and " + rgb.length + " colour values");
        }
    }

    public int size() { return xyz.length / 3; }

    public float x(int i) { return xyz[3 * i]; }

    public float y(int i) { return xyz[3 * i + 1]; }

    public float z(int i) { return xyz[3 * i + 2]; }

    /** The mean colour {@code {r, g, b}} in [0, 1]. */
    public float[] meanColour() {
        double[] s = new double[3];
        for (int i = 0; i < rgb.length; i++) s[i % 3] += rgb[i];
        int n = Math.max(1, size());
        return new float[]{(float) (s[0] / n), (float) (s[1] / n), (float) (s[2] / n)};
    }
}
