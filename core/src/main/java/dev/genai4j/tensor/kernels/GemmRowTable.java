package dev.genai4j.tensor.kernels;

import static dev.genai4j.tensor.kernels.VectorSupport.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code C[M, N] (+)= A[M, K] · B} where row p of B starts at its own offset,
 * {@code B[p, j] = b[bOff + rowOffset[p] + j]}: a GEMM over rows gathered by a table, with no copy.
 * A stride-1 convolution is one such product per image block: row (c, tap) of B is input channel c
 * shifted by the tap's offset in a zero-padded copy, so all kh·kw taps run in one K loop with the
 * output tile in registers (one GEMM per tap read and wrote C kh·kw times, with K only C long).
 *
 * <p>The Vector API path tiles C 8 rows × 2 vectors (16 accumulators), then 4 and 1 rows; then
 * 1-vector columns; columns past the last full vector run scalar (callers round N up where they can). Single-threaded: callers split the work.
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

    /** Row offsets {@code 0, stride, 2·stride, …} ({@code count} of them): the table of an ordinary strided B. */
    public static int[] strided(int count, int stride) {
        int[] rows = new int[count];
        for (int i = 0; i < count; i++) rows[i] = i * stride;
        return rows;
    }

    /**
     * @param a         A row i at {@code aOff + i·lda}, K contiguous
     * @param rowOffset K entries: B row p at {@code bOff + rowOffset[p]}, N contiguous
     * @param c         C row i at {@code cOff + i·ldc}
     */
    public static void multiply(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int[] rowOffset,
                                float[] c, int cOff, int ldc, boolean accumulate) {
        checkTable(rowOffset, k, "K");
        if (VectorSupport.ENABLED) multiplyVector(m, n, k, a, aOff, lda, b, bOff, rowOffset, c, cOff, ldc, accumulate);
        else multiplyScalar(m, n, k, a, aOff, lda, b, bOff, rowOffset, c, cOff, ldc, accumulate);
    }

    private static void checkTable(int[] rowOffset, int rows, String what) {
        if (rowOffset.length < rows) {
            throw new IllegalArgumentException("GemmRowTable: " + rowOffset.length + " row offsets for " + what + " = " + rows);
        }
    }

    /** The scalar twin: float accumulation in K order, as the vector path per lane. */
    static void multiplyScalar(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int[] rowOffset,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        scalar(m, n, k, a, aOff, lda, 1, b, bOff, rowOffset, c, cOff, ldc, accumulate);
    }

    /** Both scalar twins, A[i, p] = a[aOff + i·aRs + p·aCs]. */
    private static void scalar(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int[] rowOffset,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) s = Math.fma(a[aOff + i * aRs + p * aCs], b[bOff + rowOffset[p] + j], s);
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + s : s;
            }
    }

    static void multiplyVector(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int[] rowOffset,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            int i = 0;
            for (; i + 8 <= m; i += 8) tile8x2(k, a, aOff + i * lda, lda, b, bOff + j, rowOffset, c, cOff + i * ldc + j, ldc, accumulate);
            for (; i + 4 <= m; i += 4) tile4x2(k, a, aOff + i * lda, lda, b, bOff + j, rowOffset, c, cOff + i * ldc + j, ldc, accumulate);
            for (; i < m; i++) tile1x2(k, a, aOff + i * lda, b, bOff + j, rowOffset, c, cOff + i * ldc + j, accumulate);
        }
        for (; j + L <= n; j += L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) tile4x1(k, a, aOff + i * lda, lda, b, bOff + j, rowOffset, c, cOff + i * ldc + j, ldc, accumulate);
            for (; i < m; i++) {
                int a0 = aOff + i * lda, bo = bOff + j;
                FloatVector s = FloatVector.zero(F);
                for (int p = 0; p < k; p++) s = FloatVector.fromArray(F, b, bo + rowOffset[p]).fma(FloatVector.broadcast(F, a[a0 + p]), s);
                int ci = cOff + i * ldc + j;
                (accumulate ? s.add(FloatVector.fromArray(F, c, ci)) : s).intoArray(c, ci);
            }
        }
        if (j < n) multiplyScalar(m, n - j, k, a, aOff, lda, b, bOff + j, rowOffset, c, cOff + j, ldc, accumulate);
    }

    /**
     * 8 rows × 2 vectors: 16 accumulators, two B loads and eight A broadcasts per 16 FMAs (measured ~12 % faster than 4 × 4).
     * The K loop takes two steps per pass (each accumulator still sums in K order, so the result is
     * the same as one step at a time), with an odd K's first step peeled off in front: the table
     * lookups, B's bounds checks and the loop branch once per 32 FMAs instead of 16 took conv-shaped
     * products from 51–52 to 57–58 GFMA/s on this machine's 58.5 peak, and small K (9–64) by 10–15 %.
     * That needs the plain stores below: with a tail loop after the paired one, or C written through
     * an accumulate-testing helper per vector, C2 compiled the paired loop slower than the single one.
     * (The packed {@link GemmMicroKernel} loses ~8 % unrolled the same way: C2 already pipelines it.)
     */
    private static void tile8x2(int k, float[] a, int a0, int lda, float[] b, int bo, int[] rowOffset,
                                float[] c, int c0, int ldc, boolean accumulate) {
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
        FloatVector s00 = FloatVector.zero(F), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        FloatVector s40 = s00, s41 = s00, s50 = s00, s51 = s00, s60 = s00, s61 = s00, s70 = s00, s71 = s00;
        if ((k & 1) != 0) {   // an odd K: its first step alone, so the paired loop needs no tail
            int bp = bo + rowOffset[0];
            FloatVector v0 = FloatVector.fromArray(F, b, bp), v1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector x = FloatVector.broadcast(F, a[a0]); s00 = v0.fma(x, s00); s01 = v1.fma(x, s01);
            x = FloatVector.broadcast(F, a[a1]); s10 = v0.fma(x, s10); s11 = v1.fma(x, s11);
            x = FloatVector.broadcast(F, a[a2]); s20 = v0.fma(x, s20); s21 = v1.fma(x, s21);
            x = FloatVector.broadcast(F, a[a3]); s30 = v0.fma(x, s30); s31 = v1.fma(x, s31);
            x = FloatVector.broadcast(F, a[a4]); s40 = v0.fma(x, s40); s41 = v1.fma(x, s41);
            x = FloatVector.broadcast(F, a[a5]); s50 = v0.fma(x, s50); s51 = v1.fma(x, s51);
            x = FloatVector.broadcast(F, a[a6]); s60 = v0.fma(x, s60); s61 = v1.fma(x, s61);
            x = FloatVector.broadcast(F, a[a7]); s70 = v0.fma(x, s70); s71 = v1.fma(x, s71);
        }
        for (int p = k & 1; p + 2 <= k; p += 2) {
            int bp = bo + rowOffset[p], bq = bo + rowOffset[p + 1];
            FloatVector v0 = FloatVector.fromArray(F, b, bp), v1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector w0 = FloatVector.fromArray(F, b, bq), w1 = FloatVector.fromArray(F, b, bq + L);
            FloatVector x = FloatVector.broadcast(F, a[a0 + p]), y = FloatVector.broadcast(F, a[a0 + p + 1]);
            s00 = w0.fma(y, v0.fma(x, s00)); s01 = w1.fma(y, v1.fma(x, s01));
            x = FloatVector.broadcast(F, a[a1 + p]); y = FloatVector.broadcast(F, a[a1 + p + 1]);
            s10 = w0.fma(y, v0.fma(x, s10)); s11 = w1.fma(y, v1.fma(x, s11));
            x = FloatVector.broadcast(F, a[a2 + p]); y = FloatVector.broadcast(F, a[a2 + p + 1]);
            s20 = w0.fma(y, v0.fma(x, s20)); s21 = w1.fma(y, v1.fma(x, s21));
            x = FloatVector.broadcast(F, a[a3 + p]); y = FloatVector.broadcast(F, a[a3 + p + 1]);
            s30 = w0.fma(y, v0.fma(x, s30)); s31 = w1.fma(y, v1.fma(x, s31));
            x = FloatVector.broadcast(F, a[a4 + p]); y = FloatVector.broadcast(F, a[a4 + p + 1]);
            s40 = w0.fma(y, v0.fma(x, s40)); s41 = w1.fma(y, v1.fma(x, s41));
            x = FloatVector.broadcast(F, a[a5 + p]); y = FloatVector.broadcast(F, a[a5 + p + 1]);
            s50 = w0.fma(y, v0.fma(x, s50)); s51 = w1.fma(y, v1.fma(x, s51));
            x = FloatVector.broadcast(F, a[a6 + p]); y = FloatVector.broadcast(F, a[a6 + p + 1]);
            s60 = w0.fma(y, v0.fma(x, s60)); s61 = w1.fma(y, v1.fma(x, s61));
            x = FloatVector.broadcast(F, a[a7 + p]); y = FloatVector.broadcast(F, a[a7 + p + 1]);
            s70 = w0.fma(y, v0.fma(x, s70)); s71 = w1.fma(y, v1.fma(x, s71));
        }
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc, c7 = c6 + ldc;
        if (accumulate) {
            s00 = s00.add(FloatVector.fromArray(F, c, c0));
            s01 = s01.add(FloatVector.fromArray(F, c, c0 + L));
            s10 = s10.add(FloatVector.fromArray(F, c, c1));
            s11 = s11.add(FloatVector.fromArray(F, c, c1 + L));
            s20 = s20.add(FloatVector.fromArray(F, c, c2));
            s21 = s21.add(FloatVector.fromArray(F, c, c2 + L));
            s30 = s30.add(FloatVector.fromArray(F, c, c3));
            s31 = s31.add(FloatVector.fromArray(F, c, c3 + L));
            s40 = s40.add(FloatVector.fromArray(F, c, c4));
            s41 = s41.add(FloatVector.fromArray(F, c, c4 + L));
            s50 = s50.add(FloatVector.fromArray(F, c, c5));
            s51 = s51.add(FloatVector.fromArray(F, c, c5 + L));
            s60 = s60.add(FloatVector.fromArray(F, c, c6));
            s61 = s61.add(FloatVector.fromArray(F, c, c6 + L));
            s70 = s70.add(FloatVector.fromArray(F, c, c7));
            s71 = s71.add(FloatVector.fromArray(F, c, c7 + L));
        }
        s00.intoArray(c, c0); s01.intoArray(c, c0 + L);
        s10.intoArray(c, c1); s11.intoArray(c, c1 + L);
        s20.intoArray(c, c2); s21.intoArray(c, c2 + L);
        s30.intoArray(c, c3); s31.intoArray(c, c3 + L);
        s40.intoArray(c, c4); s41.intoArray(c, c4 + L);
        s50.intoArray(c, c5); s51.intoArray(c, c5 + L);
        s60.intoArray(c, c6); s61.intoArray(c, c6 + L);
        s70.intoArray(c, c7); s71.intoArray(c, c7 + L);
    }

    private static void tile4x2(int k, float[] a, int a0, int lda, float[] b, int bo, int[] rowOffset,
                                float[] c, int c0, int ldc, boolean accumulate) {
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        FloatVector s00 = FloatVector.zero(F), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        for (int p = 0; p < k; p++) {
            int bp = bo + rowOffset[p];
            FloatVector v0 = FloatVector.fromArray(F, b, bp), v1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector x = FloatVector.broadcast(F, a[a0 + p]);
            s00 = v0.fma(x, s00); s01 = v1.fma(x, s01);
            x = FloatVector.broadcast(F, a[a1 + p]);
            s10 = v0.fma(x, s10); s11 = v1.fma(x, s11);
            x = FloatVector.broadcast(F, a[a2 + p]);
            s20 = v0.fma(x, s20); s21 = v1.fma(x, s21);
            x = FloatVector.broadcast(F, a[a3 + p]);
            s30 = v0.fma(x, s30); s31 = v1.fma(x, s31);
        }
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        if (accumulate) {
            s00 = s00.add(FloatVector.fromArray(F, c, c0)); s01 = s01.add(FloatVector.fromArray(F, c, c0 + L));
            s10 = s10.add(FloatVector.fromArray(F, c, c1)); s11 = s11.add(FloatVector.fromArray(F, c, c1 + L));
            s20 = s20.add(FloatVector.fromArray(F, c, c2)); s21 = s21.add(FloatVector.fromArray(F, c, c2 + L));
            s30 = s30.add(FloatVector.fromArray(F, c, c3)); s31 = s31.add(FloatVector.fromArray(F, c, c3 + L));
        }
        s00.intoArray(c, c0); s01.intoArray(c, c0 + L);
        s10.intoArray(c, c1); s11.intoArray(c, c1 + L);
        s20.intoArray(c, c2); s21.intoArray(c, c2 + L);
        s30.intoArray(c, c3); s31.intoArray(c, c3 + L);
    }

    private static void tile1x2(int k, float[] a, int a0, float[] b, int bo, int[] rowOffset, float[] c, int c0, boolean accumulate) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0;
        for (int p = 0; p < k; p++) {
            int bp = bo + rowOffset[p];
            FloatVector x = FloatVector.broadcast(F, a[a0 + p]);
            s0 = FloatVector.fromArray(F, b, bp).fma(x, s0);
            s1 = FloatVector.fromArray(F, b, bp + L).fma(x, s1);
        }
        if (accumulate) {
            s0 = s0.add(FloatVector.fromArray(F, c, c0));
            s1 = s1.add(FloatVector.fromArray(F, c, c0 + L));
        }
        s0.intoArray(c, c0); s1.intoArray(c, c0 + L);
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
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        if (accumulate) {
            s0 = s0.add(FloatVector.fromArray(F, c, c0)); s1 = s1.add(FloatVector.fromArray(F, c, c1));
            s2 = s2.add(FloatVector.fromArray(F, c, c2)); s3 = s3.add(FloatVector.fromArray(F, c, c3));
        }
        s0.intoArray(c, c0); s1.intoArray(c, c1); s2.intoArray(c, c2); s3.intoArray(c, c3);
    }

    /**
     * {@code C[M, N] (+)= A[M, K] · B} with A stored column by column, {@code A[i, p] = a[aOff + p·lda + i]}
     * (a row-major [K, M] array read transposed: a linear layer's inputs in its weight gradient,
     * {@code dW = xᵀ·dy}), and B's rows by the table as in {@link #multiply}. The same 8 × 2-vector
     * tiles, broadcasting A's eight values of step p from eight neighbouring floats. The packed path
     * had to gather every A panel with stride lda (the diffusion UNet's [64, 1024]·[1024, 64]
     * weight gradients ran at 39 GFMA/s in a training step).
     */
    public static void multiplyColumnMajorA(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int[] rowOffset,
                                            float[] c, int cOff, int ldc, boolean accumulate) {
        checkTable(rowOffset, k, "K");
        if (VectorSupport.ENABLED) multiplyColumnMajorAVector(m, n, k, a, aOff, lda, b, bOff, rowOffset, c, cOff, ldc, accumulate);
        else multiplyColumnMajorAScalar(m, n, k, a, aOff, lda, b, bOff, rowOffset, c, cOff, ldc, accumulate);
    }

    /** The scalar twin: float accumulation in K order, as the vector path per lane. */
    static void multiplyColumnMajorAScalar(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int[] rowOffset,
                                           float[] c, int cOff, int ldc, boolean accumulate) {
        scalar(m, n, k, a, aOff, 1, lda, b, bOff, rowOffset, c, cOff, ldc, accumulate);
    }

    static void multiplyColumnMajorAVector(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int[] rowOffset,
                                           float[] c, int cOff, int ldc, boolean accumulate) {
        int m8 = m / 8 * 8, n2 = n / (2 * L) * (2 * L);
        for (int j = 0; j < n2; j += 2 * L)
            for (int i = 0; i < m8; i += 8) tile8x2ColumnMajorA(k, a, aOff + i, lda, b, bOff + j, rowOffset, c, cOff + i * ldc + j, ldc, accumulate);
        // the rows and columns past the tiles (none at the UNet's widths)
        if (m8 < m) multiplyColumnMajorAScalar(m - m8, n, k, a, aOff + m8, lda, b, bOff, rowOffset, c, cOff + m8 * ldc, ldc, accumulate);
        if (n2 < n) multiplyColumnMajorAScalar(m8, n - n2, k, a, aOff, lda, b, bOff + n2, rowOffset, c, cOff + n2, ldc, accumulate);
    }

    /**
     * {@link #tile8x2} with A's eight values of step p at a0 + p·lda .. + 7: the same pairs of K steps, the same
     * stores. A copy, not one kernel with both strides: with A's stride a variable, C2 compiled both
     * layouts 3–13 % slower (conv-shaped 57–58 → 54–56 GFMA/s).
     */
    private static void tile8x2ColumnMajorA(int k, float[] a, int a0, int lda, float[] b, int bo, int[] rowOffset,
                                            float[] c, int c0, int ldc, boolean accumulate) {
        FloatVector s00 = FloatVector.zero(F), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        FloatVector s40 = s00, s41 = s00, s50 = s00, s51 = s00, s60 = s00, s61 = s00, s70 = s00, s71 = s00;
        if ((k & 1) != 0) {
            int bp = bo + rowOffset[0];
            FloatVector v0 = FloatVector.fromArray(F, b, bp), v1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector x = FloatVector.broadcast(F, a[a0]); s00 = v0.fma(x, s00); s01 = v1.fma(x, s01);
            x = FloatVector.broadcast(F, a[a0 + 1]); s10 = v0.fma(x, s10); s11 = v1.fma(x, s11);
            x = FloatVector.broadcast(F, a[a0 + 2]); s20 = v0.fma(x, s20); s21 = v1.fma(x, s21);
            x = FloatVector.broadcast(F, a[a0 + 3]); s30 = v0.fma(x, s30); s31 = v1.fma(x, s31);
            x = FloatVector.broadcast(F, a[a0 + 4]); s40 = v0.fma(x, s40); s41 = v1.fma(x, s41);
            x = FloatVector.broadcast(F, a[a0 + 5]); s50 = v0.fma(x, s50); s51 = v1.fma(x, s51);
            x = FloatVector.broadcast(F, a[a0 + 6]); s60 = v0.fma(x, s60); s61 = v1.fma(x, s61);
            x = FloatVector.broadcast(F, a[a0 + 7]); s70 = v0.fma(x, s70); s71 = v1.fma(x, s71);
        }
        for (int p = k & 1; p + 2 <= k; p += 2) {
            int bp = bo + rowOffset[p], bq = bo + rowOffset[p + 1], ap = a0 + p * lda, aq = ap + lda;
            FloatVector v0 = FloatVector.fromArray(F, b, bp), v1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector w0 = FloatVector.fromArray(F, b, bq), w1 = FloatVector.fromArray(F, b, bq + L);
            FloatVector x = FloatVector.broadcast(F, a[ap]), y = FloatVector.broadcast(F, a[aq]);
            s00 = w0.fma(y, v0.fma(x, s00)); s01 = w1.fma(y, v1.fma(x, s01));
            x = FloatVector.broadcast(F, a[ap + 1]); y = FloatVector.broadcast(F, a[aq + 1]);
            s10 = w0.fma(y, v0.fma(x, s10)); s11 = w1.fma(y, v1.fma(x, s11));
            x = FloatVector.broadcast(F, a[ap + 2]); y = FloatVector.broadcast(F, a[aq + 2]);
            s20 = w0.fma(y, v0.fma(x, s20)); s21 = w1.fma(y, v1.fma(x, s21));
            x = FloatVector.broadcast(F, a[ap + 3]); y = FloatVector.broadcast(F, a[aq + 3]);
            s30 = w0.fma(y, v0.fma(x, s30)); s31 = w1.fma(y, v1.fma(x, s31));
            x = FloatVector.broadcast(F, a[ap + 4]); y = FloatVector.broadcast(F, a[aq + 4]);
            s40 = w0.fma(y, v0.fma(x, s40)); s41 = w1.fma(y, v1.fma(x, s41));
            x = FloatVector.broadcast(F, a[ap + 5]); y = FloatVector.broadcast(F, a[aq + 5]);
            s50 = w0.fma(y, v0.fma(x, s50)); s51 = w1.fma(y, v1.fma(x, s51));
            x = FloatVector.broadcast(F, a[ap + 6]); y = FloatVector.broadcast(F, a[aq + 6]);
            s60 = w0.fma(y, v0.fma(x, s60)); s61 = w1.fma(y, v1.fma(x, s61));
            x = FloatVector.broadcast(F, a[ap + 7]); y = FloatVector.broadcast(F, a[aq + 7]);
            s70 = w0.fma(y, v0.fma(x, s70)); s71 = w1.fma(y, v1.fma(x, s71));
        }
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc, c7 = c6 + ldc;
        if (accumulate) {
            s00 = s00.add(FloatVector.fromArray(F, c, c0)); s01 = s01.add(FloatVector.fromArray(F, c, c0 + L));
            s10 = s10.add(FloatVector.fromArray(F, c, c1)); s11 = s11.add(FloatVector.fromArray(F, c, c1 + L));
            s20 = s20.add(FloatVector.fromArray(F, c, c2)); s21 = s21.add(FloatVector.fromArray(F, c, c2 + L));
            s30 = s30.add(FloatVector.fromArray(F, c, c3)); s31 = s31.add(FloatVector.fromArray(F, c, c3 + L));
            s40 = s40.add(FloatVector.fromArray(F, c, c4)); s41 = s41.add(FloatVector.fromArray(F, c, c4 + L));
            s50 = s50.add(FloatVector.fromArray(F, c, c5)); s51 = s51.add(FloatVector.fromArray(F, c, c5 + L));
            s60 = s60.add(FloatVector.fromArray(F, c, c6)); s61 = s61.add(FloatVector.fromArray(F, c, c6 + L));
            s70 = s70.add(FloatVector.fromArray(F, c, c7)); s71 = s71.add(FloatVector.fromArray(F, c, c7 + L));
        }
        s00.intoArray(c, c0); s01.intoArray(c, c0 + L);
        s10.intoArray(c, c1); s11.intoArray(c, c1 + L);
        s20.intoArray(c, c2); s21.intoArray(c, c2 + L);
        s30.intoArray(c, c3); s31.intoArray(c, c3 + L);
        s40.intoArray(c, c4); s41.intoArray(c, c4 + L);
        s50.intoArray(c, c5); s51.intoArray(c, c5 + L);
        s60.intoArray(c, c6); s61.intoArray(c, c6 + L);
        s70.intoArray(c, c7); s71.intoArray(c, c7 + L);
    }

    /**
     * Columns of one pass of {@link #multiplyTransposed}: the A and B row blocks it sweeps stay in L2.
     * Each pass ends in 16 lane reductions per 4 × 4 tile; at 1,024 columns those cost 6–8 % of a
     * diffusion UNet's weight-gradient products (32×32 and 16×16 maps: 51.8 → 54.9–56.4 GFMA/s at 8,192).
     */
    private static final int N_BLOCK = 8192;

    /**
     * {@code C[M, P] (+)= A[M, N] · Bᵀ} where B row p is {@code b[bOff + rowOffset[p] + j]}, j &lt; N:
     * dot products of A's rows with the table's rows (a stride-1 convolution's weight gradient,
     * dOut against every shifted input row at once). Vector path: 4 × 4 dot products at a time along N,
     * in blocks of {@value #N_BLOCK} columns; the scalar twin is {@link #multiplyTransposedScalar}.
     */
    public static void multiplyTransposed(int m, int p, int n, float[] a, int aOff, int lda, float[] b, int bOff, int[] rowOffset,
                                          float[] c, int cOff, int ldc, boolean accumulate) {
        checkTable(rowOffset, p, "P");
        if (VectorSupport.ENABLED) multiplyTransposedVector(m, p, n, a, aOff, lda, b, bOff, rowOffset, c, cOff, ldc, accumulate);
        else multiplyTransposedScalar(m, p, n, a, aOff, lda, b, bOff, rowOffset, c, cOff, ldc, accumulate);
    }

    static void multiplyTransposedScalar(int m, int p, int n, float[] a, int aOff, int lda, float[] b, int bOff, int[] rowOffset,
                                         float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++)
            for (int r = 0; r < p; r++) {
                float s = 0;
                for (int j = 0; j < n; j++) s = Math.fma(a[aOff + i * lda + j], b[bOff + rowOffset[r] + j], s);
                int ci = cOff + i * ldc + r;
                c[ci] = accumulate ? c[ci] + s : s;
            }
    }

    static void multiplyTransposedVector(int m, int p, int n, float[] a, int aOff, int lda, float[] b, int bOff, int[] rowOffset,
                                         float[] c, int cOff, int ldc, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + p, 0f);
        }
        for (int j0 = 0; j0 < n; j0 += N_BLOCK) {
            int len = Math.min(N_BLOCK, n - j0);
            int r = 0;
            for (; r + 4 <= p; r += 4) {
                int b0 = bOff + rowOffset[r] + j0, b1 = bOff + rowOffset[r + 1] + j0;
                int b2 = bOff + rowOffset[r + 2] + j0, b3 = bOff + rowOffset[r + 3] + j0;
                int i = 0;
                for (; i + 4 <= m; i += 4) dot4x4(len, a, aOff + i * lda + j0, lda, b, b0, b1, b2, b3, c, cOff + i * ldc + r, ldc);
                for (; i < m; i++) {
                    int ai = aOff + i * lda + j0;
                    int ci = cOff + i * ldc + r;
                    c[ci] += dot(len, a, ai, b, b0);
                    c[ci + 1] += dot(len, a, ai, b, b1);
                    c[ci + 2] += dot(len, a, ai, b, b2);
                    c[ci + 3] += dot(len, a, ai, b, b3);
                }
            }
            for (; r < p; r++) {
                int br = bOff + rowOffset[r] + j0;
                for (int i = 0; i < m; i++) c[cOff + i * ldc + r] += dot(len, a, aOff + i * lda + j0, b, br);
            }
        }
    }

    private static float dot(int len, float[] a, int ai, float[] b, int bi) {
        FloatVector s = FloatVector.zero(F);
        int j = 0;
        for (int bound = F.loopBound(len); j < bound; j += L) s = FloatVector.fromArray(F, a, ai + j).fma(FloatVector.fromArray(F, b, bi + j), s);
        float t = s.reduceLanes(VectorOperators.ADD);
        for (; j < len; j++) t = Math.fma(a[ai + j], b[bi + j], t);
        return t;
    }

    /** C[i..i+4, r..r+4] += the 16 dot products of 4 A rows (a0, stride lda) with B rows at b0..b3, over len. */
    private static void dot4x4(int len, float[] a, int a0, int lda, float[] b, int b0, int b1, int b2, int b3,
                               float[] c, int c0, int ldc) {
        int a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        FloatVector s00 = FloatVector.zero(F), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        int j = 0;
        for (int bound = F.loopBound(len); j < bound; j += L) {
            FloatVector v0 = FloatVector.fromArray(F, b, b0 + j), v1 = FloatVector.fromArray(F, b, b1 + j);
            FloatVector v2 = FloatVector.fromArray(F, b, b2 + j), v3 = FloatVector.fromArray(F, b, b3 + j);
            FloatVector x = FloatVector.fromArray(F, a, a0 + j);
            s00 = x.fma(v0, s00); s01 = x.fma(v1, s01); s02 = x.fma(v2, s02); s03 = x.fma(v3, s03);
            x = FloatVector.fromArray(F, a, a1 + j);
            s10 = x.fma(v0, s10); s11 = x.fma(v1, s11); s12 = x.fma(v2, s12); s13 = x.fma(v3, s13);
            x = FloatVector.fromArray(F, a, a2 + j);
            s20 = x.fma(v0, s20); s21 = x.fma(v1, s21); s22 = x.fma(v2, s22); s23 = x.fma(v3, s23);
            x = FloatVector.fromArray(F, a, a3 + j);
            s30 = x.fma(v0, s30); s31 = x.fma(v1, s31); s32 = x.fma(v2, s32); s33 = x.fma(v3, s33);
        }
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        c[c0] += tail(s00, len, j, a, a0, b, b0); c[c0 + 1] += tail(s01, len, j, a, a0, b, b1);
        c[c0 + 2] += tail(s02, len, j, a, a0, b, b2); c[c0 + 3] += tail(s03, len, j, a, a0, b, b3);
        c[c1] += tail(s10, len, j, a, a1, b, b0); c[c1 + 1] += tail(s11, len, j, a, a1, b, b1);
        c[c1 + 2] += tail(s12, len, j, a, a1, b, b2); c[c1 + 3] += tail(s13, len, j, a, a1, b, b3);
        c[c2] += tail(s20, len, j, a, a2, b, b0); c[c2 + 1] += tail(s21, len, j, a, a2, b, b1);
        c[c2 + 2] += tail(s22, len, j, a, a2, b, b2); c[c2 + 3] += tail(s23, len, j, a, a2, b, b3);
        c[c3] += tail(s30, len, j, a, a3, b, b0); c[c3 + 1] += tail(s31, len, j, a, a3, b, b1);
        c[c3 + 2] += tail(s32, len, j, a, a3, b, b2); c[c3 + 3] += tail(s33, len, j, a, a3, b, b3);
    }

    /** The lanes of s summed, plus the scalar columns from {@code from} to len. */
    private static float tail(FloatVector s, int len, int from, float[] a, int ai, float[] b, int bi) {
        float t = s.reduceLanes(VectorOperators.ADD);
        for (int j = from; j < len; j++) t = Math.fma(a[ai + j], b[bi + j], t);
        return t;
    }
}
