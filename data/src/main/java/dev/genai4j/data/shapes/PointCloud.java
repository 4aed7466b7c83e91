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

    /**
     * {@code n} distinct points chosen by a partial Fisher–Yates shuffle, keeping the cloud's spread;
     * {@code nextInt} gives a uniform int in [0, bound) for each bound asked (the caller's seeded generator).
     */
    public PointCloud randomSubset(int n, java.util.function.IntUnaryOperator nextInt) {
        int size = size();
        if (n < 0 || n > size) throw new IllegalArgumentException("PointCloud: cannot choose " + n + " distinct points of " + size);
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) idx[i] = i;
        float[] outXyz = new float[3 * n], outRgb = new float[3 * n];
        for (int i = 0; i < n; i++) {
            int j = i + nextInt.applyAsInt(size - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            System.arraycopy(xyz, 3 * idx[i], outXyz, 3 * i, 3);
            System.arraycopy(rgb, 3 * idx[i], outRgb, 3 * i, 3);
        }
        return new PointCloud(outXyz, outRgb);
    }
}
