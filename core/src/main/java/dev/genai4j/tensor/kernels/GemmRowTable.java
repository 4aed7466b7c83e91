package dev.genai4j.tensor.kernels;

import static dev.genai4j.tensor.kernels.VectorSupport.F;

import jdk.incubator.vector.FloatVector;

/**
 * {@code C[M, N] (+)= A[M, K] · B} where row p of B starts at its own offset,
 * {@code B[p, j] = b[bOff + rowOffset[p] + j]}: a GEMM over rows gathered by a table, with no copy.
 * A stride-1 convolution is one such product per image block: row (c, tap) of B is input channel c
 * shifted by the tap's offset in a zero-padded copy, so all kh·kw taps run in one K loop with the
 * output tile in registers (one GEMM per tap read and wrote C kh·kw times, with K only C long).
 *
 * <p>The Vector API path tiles C 4 rows × 4 vectors (16 accumulators: four B loads and four A
 * broadcasts per 16 FMAs), then 4 rows × 1 vector, then single rows; columns past the last full
 * vector run scalar (callers round N up where they can). Single-threaded: callers split the work.
 * {@code -Dgenai4j.kernels.scalar=true} selects the scalar twin ({@link #multiplyScalar}).
 *
 * <pre>{@code
 * float[] a = {1, 2};                       // [1, 2]
 * float[] b = {9, 10, 11, 12, 5, 6};        // rows at offsets 4 and 0: [[5, 6], [9, 10]]
 * float[] c = new float[2];
 * GemmRowTable.multiply(1, 2, 2, a, 0, 2, b, 0, new int[]{4, 0}, c, 0, 2, false);   // c = {23, 26}
 * }</pre>
 */
public final class GemmRowTable {
    private GemmRowTable() {}

    private static final int L = F.length();

    /**
     * @param a         A row i at {@code aOff + i·lda}, K contiguous
     * @param rowOffset K entries: B row p at {@code bOff + rowOffset[p]}, N contiguous
     * @param c         C row i at {@code cOff + i·ldc}
     */
    public static void multiply(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int[] rowOffset,
                                float[] c, int cOff, int ldc, boolean accumulate) {
        if (rowOffset.length < k) {
            throw new IllegalArgumentException("GemmRowTable: " + rowOffset.length + " row offsets for K = " + k);
        }
        if (VectorSupport.ENABLED) multiplyVector(m, n, k, a, aOff, lda, b, bOff, rowOffset, c, cOff, ldc, accumulate);
        else multiplyScalar(m, n, k, a, aOff, lda, b, bOff, rowOffset, c, cOff, ldc, accumulate);
    }

    /** The scalar twin: float accumulation in K order, as the vector path per lane. */
    static void multiplyScalar(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int[] rowOffset,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) s = Math.fma(a[aOff + i * lda + p], b[bOff + rowOffset[p] + j], s);
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + s : s;
            }
    }

    static void multiplyVector(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int[] rowOffset,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) tile4x4(k, a, aOff + i * lda, lda, b, bOff + j, rowOffset, c, cOff + i * ldc + j, ldc, accumulate);
            for (; i < m; i++) tile1x4(k, a, aOff + i * lda, b, bOff + j, rowOffset, c, cOff + i * ldc + j, accumulate);
        }
        for (; j + L <= n; j += L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) tile4x1(k, a, aOff + i * lda, lda, b, bOff + j, rowOffset, c, cOff + i * ldc + j, ldc, accumulate);
            for (; i < m; i++) {
                int a0 = aOff + i * lda, bo = bOff + j;
                FloatVector s = FloatVector.zero(F);
                for (int p = 0; p < k; p++) s = FloatVector.fromArray(F, b, bo + rowOffset[p]).fma(FloatVector.broadcast(F, a[a0 + p]), s);
                store(s, c, cOff + i * ldc + j, accumulate);
            }
        }
        if (j < n) multiplyScalar(m, n - j, k, a, aOff, lda, b, bOff + j, rowOffset, c, cOff + j, ldc, accumulate);
    }

    private static void store(FloatVector s, float[] c, int at, boolean accumulate) {
        (accumulate ? s.add(FloatVector.fromArray(F, c, at)) : s).intoArray(c, at);
    }

    private static void tile4x4(int k, float[] a, int a0, int lda, float[] b, int bo, int[] rowOffset,
                                float[] c, int c0, int ldc, boolean accumulate) {
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        FloatVector s00 = FloatVector.zero(F), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        for (int p = 0; p < k; p++) {
            int bp = bo + rowOffset[p];
            FloatVector v0 = FloatVector.fromArray(F, b, bp), v1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector v2 = FloatVector.fromArray(F, b, bp + 2 * L), v3 = FloatVector.fromArray(F, b, bp + 3 * L);
            FloatVector x = FloatVector.broadcast(F, a[a0 + p]);
            s00 = v0.fma(x, s00); s01 = v1.fma(x, s01); s02 = v2.fma(x, s02); s03 = v3.fma(x, s03);
            x = FloatVector.broadcast(F, a[a1 + p]);
            s10 = v0.fma(x, s10); s11 = v1.fma(x, s11); s12 = v2.fma(x, s12); s13 = v3.fma(x, s13);
            x = FloatVector.broadcast(F, a[a2 + p]);
            s20 = v0.fma(x, s20); s21 = v1.fma(x, s21); s22 = v2.fma(x, s22); s23 = v3.fma(x, s23);
            x = FloatVector.broadcast(F, a[a3 + p]);
            s30 = v0.fma(x, s30); s31 = v1.fma(x, s31); s32 = v2.fma(x, s32); s33 = v3.fma(x, s33);
        }
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        store(s00, c, c0, accumulate); store(s01, c, c0 + L, accumulate); store(s02, c, c0 + 2 * L, accumulate); store(s03, c, c0 + 3 * L, accumulate);
        store(s10, c, c1, accumulate); store(s11, c, c1 + L, accumulate); store(s12, c, c1 + 2 * L, accumulate); store(s13, c, c1 + 3 * L, accumulate);
        store(s20, c, c2, accumulate); store(s21, c, c2 + L, accumulate); store(s22, c, c2 + 2 * L, accumulate); store(s23, c, c2 + 3 * L, accumulate);
        store(s30, c, c3, accumulate); store(s31, c, c3 + L, accumulate); store(s32, c, c3 + 2 * L, accumulate); store(s33, c, c3 + 3 * L, accumulate);
    }

    private static void tile1x4(int k, float[] a, int a0, float[] b, int bo, int[] rowOffset, float[] c, int c0, boolean accumulate) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        for (int p = 0; p < k; p++) {
            int bp = bo + rowOffset[p];
            FloatVector x = FloatVector.broadcast(F, a[a0 + p]);
            s0 = FloatVector.fromArray(F, b, bp).fma(x, s0);
            s1 = FloatVector.fromArray(F, b, bp + L).fma(x, s1);
            s2 = FloatVector.fromArray(F, b, bp + 2 * L).fma(x, s2);
            s3 = FloatVector.fromArray(F, b, bp + 3 * L).fma(x, s3);
        }
        store(s0, c, c0, accumulate); store(s1, c, c0 + L, accumulate); store(s2, c, c0 + 2 * L, accumulate); store(s3, c, c0 + 3 * L, accumulate);
    }

    private static void tile4x1(int k, float[] a, int a0, int lda, float[] b, int bo, int[] rowOffset,
                                float[] c, int c0, int ldc, boolean accumulate) {
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        for (int p = 0; p < k; p++) {
            FloatVector v = FloatVector.fromArray(F, b, bo + rowOffset[p]);
            s0 = v.fma(FloatVector.broadcast(F, a[a0 + p]), s0);
            s1 = v.fma(FloatVector.broadcast(F, a[a1 + p]), s1);
            s2 = v.fma(FloatVector.broadcast(F, a[a2 + p]), s2);
            s3 = v.fma(FloatVector.broadcast(F, a[a3 + p]), s3);
        }
        store(s0, c, c0, accumulate); store(s1, c, c0 + ldc, accumulate);
        store(s2, c, c0 + 2 * ldc, accumulate); store(s3, c, c0 + 3 * ldc, accumulate);
    }
}
