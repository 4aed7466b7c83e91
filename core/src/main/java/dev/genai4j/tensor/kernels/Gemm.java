package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.Storage;

/**
 * Single-precision matrix multiply {@code C[M,N] (+)= A[M,K] · B[K,N]}. Operands are addressed
 * by (row stride, column stride) so transposed views need no copy; A and B may be any
 * {@link Storage} (bf16 / f16 weights are converted while packing). C is a dense fp32 array
 * with leading dimension {@code ldc}.
 */
public final class Gemm {
    private Gemm() {}

    public static void sgemm(int m, int n, int k,
                             Storage a, long aOff, int aRowStride, int aColStride,
                             Storage b, long bOff, int bRowStride, int bColStride,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        GemmScalar.sgemm(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc, accumulate);
    }

    /** Dense row-major convenience: C[M,N] = A[M,K] · B[K,N]. */
    public static void sgemm(int m, int n, int k, float[] a, float[] b, float[] c) {
        sgemm(m, n, k, new FloatStorage(a), 0, k, 1, new FloatStorage(b), 0, n, 1, c, 0, n, false);
    }
}
