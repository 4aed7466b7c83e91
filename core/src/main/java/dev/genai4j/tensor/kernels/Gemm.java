package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Storage;

/**
 * Single-precision matrix multiply {@code C[M,N] (+)= A[M,K] · B[K,N]}. Operands are addressed
 * by (row stride, column stride) so transposed views need no copy; A and B may be any
 * {@link Storage} (bf16 / f16 weights are converted while packing). C is a dense fp32 array
 * with leading dimension {@code ldc}.
 *
 * <p>The Vector API path packs A and B into cache-sized panels and runs a register-tiled
 * micro-kernel ({@link GemmBlocked}); many rows of a heap A times a narrow heap B (32 ≤ N ≤ 128 on AVX-512)
 * skip packing A ({@link GemmNarrow}); M = 1 streams B once instead ({@link Gemv}), and so does
 * a small M (up to {@link GemmSmallM#MAX_M} rows, {@link GemmSmallM}), where packing B would cost
 * more than the product, unless B is a read-only weight already packed once ({@link GemmPackedB})
 * and M fills a register tile. Threads come
 * from {@link Parallel}: they pack each B slab together, then each multiplies its own rows of C. {@code -Dgenai4j.kernels.scalar=true} selects the scalar
 * twin {@link GemmScalar} instead.
 *
 * <pre>{@code
 * float[] a = {1, 2, 3, 4, 5, 6};          // [2, 3]
 * float[] b = {1, 0, 0, 1, 1, 1};          // [3, 2]
 * float[] c = new float[4];                // [2, 2]
 * Gemm.sgemm(2, 2, 3, a, b, c);            // c = {4, 5, 10, 11}
 * }</pre>
 */
public final class Gemm {
    /** Fewest rows for which a read-only weight goes through its cached packed copy. */
    static final int PACKED_MIN_M = Integer.getInteger("genai4j.gemm.packedMinM", 4);

    /** Selects {@link GemmScalar} for every call (debugging, or hardware without a usable Vector API). */
    static final boolean SCALAR = Boolean.getBoolean("genai4j.kernels.scalar");

    private Gemm() {}

    public static void sgemm(int m, int n, int k,
                             Storage a, long aOff, int aRowStride, int aColStride,
                             Storage b, long bOff, int bRowStride, int bColStride,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) return;
        if (SCALAR) {
            GemmScalar.sgemm(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc, accumulate);
            return;
        }
        if (k <= 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            return;
        }
        if (m == 1 && Gemv.supports(b, bRowStride, bColStride)) {
            float[] x;
            int xOff;
            if (a instanceof FloatStorage fs && aColStride == 1) {
                x = fs.array();
                xOff = (int) aOff;
            } else {
                x = new float[k];
                xOff = 0;
                for (int p = 0; p < k; p++) x[p] = a.get(aOff + (long) p * aColStride);
            }
            Gemv.run(n, k, x, xOff, b, bOff, bRowStride, bColStride, c, cOff, accumulate);
            return;
        }
        if (GemmNarrow.supports(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride)) {
            GemmNarrow.multiply(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc, accumulate);
            return;
        }
        // A read-only weight packed once (GemmPackedB) beats streaming it from half a register
        // tile of rows up: at M = 12 a BERT forward took 3.4 ms instead of 4.6 ms of CPU, and at
        // M = 4 (GLiNER's prompt layer over four labels) the packed product ran ~2x faster than
        // widening the mapped weight block by block, although half of each 8-row tile is padding.
        boolean small = GemmSmallM.supports(m, b, bRowStride, bColStride);
        float[][] packedB = small && m < PACKED_MIN_M ? null : GemmPackedB.slabs(b, bOff, bRowStride, bColStride, k, n);
        if (small && packedB == null) {
            GemmSmallM.multiply(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                    c, cOff, ldc, accumulate);
            return;
        }
        GemmBlocked.multiply(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride,
                c, cOff, ldc, accumulate, packedB);
    }

    /** Dense row-major convenience: C[M,N] = A[M,K] · B[K,N]. */
    public static void sgemm(int m, int n, int k, float[] a, float[] b, float[] c) {
        sgemm(m, n, k, new FloatStorage(a), 0, k, 1, new FloatStorage(b), 0, n, 1, c, 0, n, false);
    }
}
