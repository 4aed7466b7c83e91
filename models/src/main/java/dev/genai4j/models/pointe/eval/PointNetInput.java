package dev.genai4j.models.pointe.eval;

import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;

/**
 * Turns a cloud of any size and placement into the classifier's input: {@code n} of its points
 * (a random subset, or drawn with replacement when it has fewer), centred on their bounding box
 * and scaled into the unit ball, so the class depends on shape only, not on size or position.
 * Training adds a random turn about the vertical and a little jitter.
 */
public final class PointNetInput {
    private PointNetInput() {}

    /** {@code n} normalized points of {@code cloud}, interleaved x, y, z. */
    public static float[] normalize(PointCloud cloud, int n, Rng rng) {
        int m = cloud.size();
        if (m == 0 || n <= 0) throw new ShapeException("PointNetInput: need a non-empty cloud and n > 0, got " + m + " points and n = " + n);
        int[] pick = new int[n];
        if (m >= n) {
            int[] perm = new int[m];
            for (int i = 0; i < m; i++) perm[i] = i;
            for (int i = 0; i < n; i++) {   // partial Fisher–Yates: n distinct points
                int j = i + rng.nextInt(m - i), t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
                pick[i] = perm[i];
            }
        } else {
            for (int i = 0; i < n; i++) pick[i] = i < m ? i : rng.nextInt(m);
        }
        float[] lo = {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] hi = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        float[] xyz = cloud.xyz(), out = new float[3 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float v = xyz[3 * pick[i] + c];
                out[3 * i + c] = v;
                lo[c] = Math.min(lo[c], v);
                hi[c] = Math.max(hi[c], v);
            }
        }
        double r2 = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < 3; c++) {
                out[3 * i + c] -= (lo[c] + hi[c]) / 2;
                s += out[3 * i + c] * out[3 * i + c];
            }
            r2 = Math.max(r2, s);
        }
        float scale = r2 > 0 ? (float) (1 / Math.sqrt(r2)) : 1f;
        for (int i = 0; i < out.length; i++) out[i] *= scale;
        return out;
    }

    /** A copy of {@code cloud} with N(0, sigma²) added to every coordinate (scene units). */
    public static PointCloud addNoise(PointCloud cloud, double sigma, Rng rng) {
        float[] xyz = cloud.xyz().clone();
        if (sigma > 0) for (int i = 0; i < xyz.length; i++) xyz[i] += (float) (sigma * rng.gaussian());
        return new PointCloud(xyz, cloud.rgb());
    }

    /** Turns the points by a random angle about z and adds N(0, jitter²) noise, in place. */
    public static void augment(float[] points, Rng rng, float jitter) {
        double a = 2 * Math.PI * rng.uniform(), c = Math.cos(a), s = Math.sin(a);
        for (int i = 0; i < points.length; i += 3) {
            double x = points[i], y = points[i + 1];
            points[i] = (float) (c * x - s * y + jitter * rng.gaussian());
            points[i + 1] = (float) (s * x + c * y + jitter * rng.gaussian());
            points[i + 2] = (float) (points[i + 2] + jitter * rng.gaussian());
        }
    }
}
