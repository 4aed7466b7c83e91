package dev.genai4j.models.pointe.eval;

import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.kernels.VectorSupport;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Brute-force nearest neighbours between two point sets: for each query point the smallest
 * squared distance to any reference point. The reference set is laid out as three coordinate
 * arrays so the Vector API compares {@code F.length()} references per step; the scalar twin
 * ({@code -Dgenai4j.kernels.scalar=true}) does the same one at a time. 4,096 × 4,096 points take
 * a few milliseconds, so a grid is not worth its complexity at Point-E's sizes.
 *
 * <pre>{@code
 * float[] d2 = NearestNeighbours.minSquaredDistances(a.xyz(), b.xyz());   // one per point of a
 * }</pre>
 */
public final class NearestNeighbours {
    private static final VectorSpecies<Float> F = VectorSupport.F;

    private NearestNeighbours() {}

    /** For each point of {@code query} (interleaved x, y, z), the squared distance to its nearest point of {@code reference}. */
    public static float[] minSquaredDistances(float[] query, float[] reference) {
        return VectorSupport.ENABLED ? vector(query, reference) : scalar(query, reference);
    }

    static float[] scalar(float[] query, float[] reference) {
        float[][] r = split(reference);
        int n = query.length / 3, m = r[0].length;
        float[] out = new float[n];
        Parallel.forRange(n, 64, (from, to) -> {
            for (int i = from; i < to; i++) {
                float qx = query[3 * i], qy = query[3 * i + 1], qz = query[3 * i + 2], best = Float.POSITIVE_INFINITY;
                for (int j = 0; j < m; j++) best = Math.min(best, squared(qx - r[0][j], qy - r[1][j], qz - r[2][j]));
                out[i] = best;
            }
        });
        return out;
    }

    static float[] vector(float[] query, float[] reference) {
        float[][] r = split(reference);
        float[] rx = r[0], ry = r[1], rz = r[2];
        int n = query.length / 3, m = rx.length, bound = F.loopBound(m);
        float[] out = new float[n];
        Parallel.forRange(n, 64, (from, to) -> {
            for (int i = from; i < to; i++) {
                float qx = query[3 * i], qy = query[3 * i + 1], qz = query[3 * i + 2];
                FloatVector best = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
                int j = 0;
                for (; j < bound; j += F.length()) {
                    FloatVector dx = FloatVector.fromArray(F, rx, j).sub(qx);
                    FloatVector dy = FloatVector.fromArray(F, ry, j).sub(qy);
                    FloatVector dz = FloatVector.fromArray(F, rz, j).sub(qz);
                    best = best.min(dx.mul(dx).add(dy.mul(dy)).add(dz.mul(dz)));
                }
                float b = best.reduceLanes(VectorOperators.MIN);
                for (; j < m; j++) b = Math.min(b, squared(qx - rx[j], qy - ry[j], qz - rz[j]));
                out[i] = b;
            }
        });
        return out;
    }

    /** Same association and rounding in both paths: (dx² + dy²) + dz². */
    private static float squared(float dx, float dy, float dz) { return dx * dx + dy * dy + dz * dz; }

    private static float[][] split(float[] xyz) {
        int m = xyz.length / 3;
        float[][] r = new float[3][m];
        for (int j = 0; j < m; j++) {
            r[0][j] = xyz[3 * j];
            r[1][j] = xyz[3 * j + 1];
            r[2][j] = xyz[3 * j + 2];
        }
        return r;
    }
}
