package dev.genai4j.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.Parallel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Many rows times a narrow B without packing A: against the scalar GEMM, through Gemm.sgemm's dispatch. */
class GemmNarrowTest {
    private static final float GUARD = 777f;

    private static float[] gaussian(Random r, int n) { return KernelTestData.gaussian(r, n, 1f); }

    private static void check(Random r, int m, int n, int k, boolean columnMajorA, boolean transposedB, boolean accumulate) {
        // A row-major [M, K] (row stride k + 3) or column-major (A = xᵀ of an x [K, M], row stride m + 3)
        int aOff = 5, cOff = 2, ldc = n + 4;
        int aRs = columnMajorA ? 1 : k + 3, aCs = columnMajorA ? m + 3 : 1;
        // B as a row-major [K, N] block (row stride n + 1) or as the transposed view of a weight W [N, K]
        int bOff = 3, bRs = transposedB ? 1 : n + 1, bCs = transposedB ? k + 2 : 1;
        float[] a = gaussian(r, aOff + (columnMajorA ? k * (m + 3) : m * (k + 3)));
        float[] b = gaussian(r, bOff + (transposedB ? n * (k + 2) : k * (n + 1)));
        float[] c0 = gaussian(r, cOff + m * ldc);
        for (int i = 0; i < m; i++) for (int j = n; j < ldc && cOff + i * ldc + j < c0.length; j++) c0[cOff + i * ldc + j] = GUARD;
        FloatStorage as = new FloatStorage(a), bs = new FloatStorage(b);
        assertTrue(GemmNarrow.supports(m, n, k, as, aOff, aRs, aCs, bs, bOff, bRs, bCs), "the narrow path takes m=" + m + " n=" + n);
        float[] v = c0.clone(), s = c0.clone();
        Gemm.sgemm(m, n, k, as, aOff, aRs, aCs, bs, bOff, bRs, bCs, v, cOff, ldc, accumulate);
        GemmScalar.sgemm(m, n, k, as, aOff, aRs, aCs, bs, bOff, bRs, bCs, s, cOff, ldc, accumulate);
        String what = "m=" + m + " n=" + n + " k=" + k + " columnMajorA=" + columnMajorA + " transposedB=" + transposedB + " acc=" + accumulate;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < ldc; j++) {
                int ci = cOff + i * ldc + j;
                if (ci >= v.length) continue;
                if (j >= n) {
                    assertEquals(GUARD, v[ci], what + " wrote past N at row " + i);
                    continue;
                }
                assertEquals(s[ci], v[ci], 1e-4f * (1 + Math.abs(s[ci])), what + " at " + i + "," + j);
            }
    }

    @Test
    void matchesTheScalarGemmOnAwkwardSizesAndEveryLayout() {
        Random r = new Random(11);
        for (int threads : new int[]{1, 2})
            Parallel.withThreads(threads, () -> {
                for (int m : new int[]{64, 71, 130, 257})
                    for (int n : new int[]{GemmNarrow.MIN_N, GemmNarrow.MIN_N + 1, 47, 64, 100, 128})
                        for (int k : new int[]{1, 9, 64, 133})
                            for (boolean columnMajorA : new boolean[]{false, true})
                                for (boolean t : new boolean[]{false, true})
                                    for (boolean acc : new boolean[]{false, true}) check(r, m, n, k, columnMajorA, t, acc);
            });
    }

    @Test
    void sameResultOnOneAndTwoThreads() {
        Random r = new Random(5);
        int m = 300, n = 64, k = 64;
        float[] a = gaussian(r, m * k), w = gaussian(r, n * k);
        float[] one = new float[m * n], two = new float[m * n];
        // x · Wᵀ, as Linear calls it
        Parallel.withThreads(1, () -> Gemm.sgemm(m, n, k, new FloatStorage(a), 0, k, 1, new FloatStorage(w), 0, 1, k, one, 0, n, false));
        Parallel.withThreads(2, () -> Gemm.sgemm(m, n, k, new FloatStorage(a), 0, k, 1, new FloatStorage(w), 0, 1, k, two, 0, n, false));
        // each element is one FMA chain in K order whichever thread computes it
        for (int i = 0; i < one.length; i++) assertEquals(one[i], two[i], 1e-5f * (1 + Math.abs(one[i])), "element " + i);
    }

    @Test
    void leavesWideFewRowOrColumnStridedProductsToTheOtherPaths() {
        FloatStorage a = new FloatStorage(new float[64 * 64]), b = new FloatStorage(new float[256 * 64]);
        assertFalse(GemmNarrow.supports(64, 129, 64, a, 0, 64, 1, b, 0, 1, 64), "N past the limit");
        assertFalse(GemmNarrow.supports(2048, 8, 64, a, 0, 64, 1, b, 0, 1, 64), "N under two vectors (a router's 8 experts)");
        assertFalse(GemmNarrow.supports(63, 64, 64, a, 0, 64, 1, b, 0, 1, 64), "too few rows");
        assertFalse(GemmNarrow.supports(64, 64, 64, a, 0, 2, 64, b, 0, 1, 64), "A strided both ways");
        assertFalse(GemmNarrow.supports(64, 64, 64, a, 0, 64, 1, b, 0, 2, 64), "B strided both ways");
        assertTrue(GemmNarrow.supports(64, 64, 64, a, 0, 1, 64, b, 0, 64, 1), "A column-major (a transposed activation)");
        assertFalse(GemmNarrow.supports(64, 64, 64, new FloatStorage(new float[64 * 256]), 0, 1, 256, b, 0, 64, 1),
                "A column-major 1 KiB apart: its lines share L1 sets");
    }
}
