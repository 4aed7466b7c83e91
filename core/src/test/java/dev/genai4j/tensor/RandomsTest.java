package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import static dev.genai4j.tensor.TensorAssert.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seeded random tensors: reproducibility, ranges and statistics (bounds at ≥ 5 standard errors). */
class RandomsTest {
    private static final int N = 100_000;

    @Test
    void sameSeedSameValues() {
        assertArrayEquals(Tensor.rand(new Rng(7), 50).toFloatArray(), Tensor.rand(new Rng(7), 50).toFloatArray());
        assertArrayEquals(Tensor.randn(new Rng(7), 50).toFloatArray(), Tensor.randn(new Rng(7), 50).toFloatArray());
        assertArrayEquals(Tensor.randint(new Rng(7), -3, 9, 50).toFloatArray(), Tensor.randint(new Rng(7), -3, 9, 50).toFloatArray());
        Tensor p = Tensor.full(0.5f, 50);
        assertArrayEquals(Randoms.bernoulli(new Rng(7), p).toFloatArray(), Randoms.bernoulli(new Rng(7), p).toFloatArray());
        Tensor w = t(f(1, 2, 3, 4), 4);
        assertArrayEquals(Randoms.multinomial(new Rng(7), w, 20, true).toFloatArray(), Randoms.multinomial(new Rng(7), w, 20, true).toFloatArray());
        assertFalse(java.util.Arrays.equals(Tensor.rand(new Rng(7), 50).toFloatArray(), Tensor.rand(new Rng(8), 50).toFloatArray()));
        Rng a = new Rng(1), b = new Rng(1);
        assertEquals(a.split().uniform(), b.split().uniform());
    }

    @Test
    void uniformStaysInItsHalfOpenRange() {
        float[] u = Randoms.uniform(new Rng(1), -2f, 3f, N).toFloatArray();
        double sum = 0, sq = 0;
        for (float v : u) {
            assertTrue(v >= -2f && v < 3f, "value " + v);
            sum += v;
            sq += v * v;
        }
        double mean = sum / N, var = sq / N - mean * mean;
        assertEquals(0.5, mean, 5 * Math.sqrt(25.0 / 12 / N));
        assertEquals(25.0 / 12, var, 0.03);
        // rounding of low + (high − low)·u never reaches high, even where fp32 cannot resolve the range
        for (float v : Randoms.uniform(new Rng(2), 1f, Math.nextUp(1f), 1000).toFloatArray()) assertEquals(1f, v);
        Rng rng = new Rng(3);
        for (int i = 0; i < N; i++) assertTrue(rng.uniform() < 1f);
    }

    @Test
    void normalHasItsMeanAndStd() {
        float[] z = Randoms.normal(new Rng(4), 2f, 3f, N).toFloatArray();
        double sum = 0, sq = 0;
        for (float v : z) sum += v;
        double mean = sum / N;
        for (float v : z) sq += (v - mean) * (v - mean);
        double std = Math.sqrt(sq / (N - 1));
        assertEquals(2.0, mean, 5 * 3 / Math.sqrt(N));
        assertEquals(3.0, std, 5 * 3 / Math.sqrt(2.0 * N));
        // tails: about 4.55% beyond two standard deviations
        int beyond = 0;
        for (float v : z) if (Math.abs(v - 2) > 6) beyond++;
        assertEquals(0.0455, beyond / (double) N, 0.004);
        assertFails(TensorException.class, () -> Randoms.normal(new Rng(0), 0, -1, 3), "normal", "std");
    }

    @Test
    void randintCoversItsRangeUniformly() {
        float[] r = Tensor.randint(new Rng(5), -2, 3, N).toFloatArray();
        int[] counts = new int[5];
        for (float v : r) {
            assertEquals((int) v, v);
            assertTrue(v >= -2 && v < 3, "value " + v);
            counts[(int) v + 2]++;
        }
        for (int c : counts) assertEquals(0.2, c / (double) N, 5 * Math.sqrt(0.16 / N));
        assertFails(TensorException.class, () -> Tensor.randint(new Rng(0), 3, 3, 1), "randint", "[3, 3)");
    }

    @Test
    void bernoulliRate() {
        Tensor p = t(f(0.3f, 0f, 1f), 1, 3).expand(N, 3);
        float[] d = Randoms.bernoulli(new Rng(6), p).toFloatArray();
        double ones = 0;
        for (int i = 0; i < N; i++) {
            ones += d[3 * i];
            assertEquals(0f, d[3 * i + 1]);
            assertEquals(1f, d[3 * i + 2]);
        }
        assertEquals(0.3, ones / N, 5 * Math.sqrt(0.21 / N));
        assertFails(TensorException.class, () -> Randoms.bernoulli(new Rng(0), t(f(1.5f), 1)), "bernoulli", "1.5");
    }

    @Test
    void multinomialWithReplacementFollowsTheWeights() {
        Tensor w = t(f(1, 0, 3, 6, 0, 2, 2, 0), 2, 4);   // rows need not sum to 1
        int n = 60_000;
        float[] s = Randoms.multinomial(new Rng(7), w, n, true).toFloatArray();
        double[][] freq = new double[2][4];
        for (int r = 0; r < 2; r++) for (int i = 0; i < n; i++) freq[r][(int) s[r * n + i]] += 1.0 / n;
        double[][] expected = {{0.1, 0, 0.3, 0.6}, {0, 0.5, 0.5, 0}};
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 4; c++) {
                double p = expected[r][c];
                if (p == 0) assertEquals(0, freq[r][c], "zero weight drawn at row " + r + " column " + c);
                else assertEquals(p, freq[r][c], 5 * Math.sqrt(p * (1 - p) / n));
            }
        }
        assertArrayEquals(new int[]{2, n}, Randoms.multinomial(new Rng(0), w, n, true).shape());
        assertArrayEquals(new int[]{3}, Randoms.multinomial(new Rng(0), t(f(1, 1), 2), 3, true).shape());
    }

    @Test
    void multinomialWithoutReplacementNeverRepeats() {
        Tensor w = t(f(1, 0, 2, 5, 2), 5);
        int trials = 20_000, firstIsThree = 0;
        Rng rng = new Rng(8);
        for (int t = 0; t < trials; t++) {
            float[] s = Randoms.multinomial(rng, w, 4, false).toFloatArray();
            boolean[] seen = new boolean[5];
            for (float v : s) {
                int i = (int) v;
                assertFalse(seen[i], "repeat of " + i);
                assertTrue(i != 1, "zero weight drawn");
                seen[i] = true;
            }
            if (s[0] == 3) firstIsThree++;
        }
        // the first draw follows the weights: P(3) = 5 / 10
        assertEquals(0.5, firstIsThree / (double) trials, 5 * Math.sqrt(0.25 / trials));
        assertFails(TensorException.class, () -> Randoms.multinomial(new Rng(0), w, 5, false), "without replacement", "4 non-zero");
        assertFails(TensorException.class, () -> Randoms.multinomial(new Rng(0), t(f(1, 1, 0, 0), 2, 2), 1, true), "row 1", "no positive");
        assertFails(TensorException.class, () -> Randoms.multinomial(new Rng(0), t(f(1, -1), 2), 1, true), "-1.0");
        assertFails(TensorException.class, () -> Randoms.multinomial(new Rng(0), t(f(1, Float.NaN), 2), 1, true), "NaN");
        assertFails(ShapeException.class, () -> Randoms.multinomial(new Rng(0), Tensor.ones(1, 1, 2), 1, true), "multinomial");
    }
}
