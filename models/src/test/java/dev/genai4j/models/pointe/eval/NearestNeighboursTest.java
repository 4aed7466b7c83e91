package dev.genai4j.models.pointe.eval;

import dev.genai4j.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class NearestNeighboursTest {
    private static float[] random(Rng rng, int n) {
        float[] p = new float[3 * n];
        for (int i = 0; i < p.length; i++) p[i] = rng.uniform() * 2 - 1;
        return p;
    }

    @Test
    void vectorAndScalarAgreeOnAwkwardSizes() {
        Rng rng = new Rng(1);
        for (int n : new int[]{1, 7, 33, 1000}) {
            for (int m : new int[]{1, 7, 15, 16, 17, 33, 1000}) {
                float[] q = random(rng, n), r = random(rng, m);
                float[] s = NearestNeighbours.scalar(q, r), v = NearestNeighbours.vector(q, r);
                assertArrayEquals(s, v, n + " x " + m);   // same sums in the same order: bit for bit
                for (int i = 0; i < n; i += Math.max(1, n / 5)) {
                    double best = Double.POSITIVE_INFINITY;
                    for (int j = 0; j < m; j++) {
                        double dx = q[3 * i] - r[3 * j], dy = q[3 * i + 1] - r[3 * j + 1], dz = q[3 * i + 2] - r[3 * j + 2];
                        best = Math.min(best, dx * dx + dy * dy + dz * dz);
                    }
                    assertEquals(best, s[i], 1e-6, "point " + i);
                }
            }
        }
    }
}
