package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.Storage;

/** The scalar reference for {@link Gemm}: plain loops, double accumulation, any storage. */
public final class GemmScalar {
    private GemmScalar() {}

    public static void sgemm(int m, int n, int k,
                             Storage a, long aOff, int aRs, int aCs,
                             Storage b, long bOff, int bRs, int bCs,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a.get(aOff + (long) i * aRs + (long) p * aCs) * b.get(bOff + (long) p * bRs + (long) j * bCs);
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + (float) s : (float) s;
            }
        }
    }
}
