package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Storage;

/**
 * {@code C[M, N] (+)= A[M, K] · B[K, N]} for many rows of a heap A times a narrow heap B
 * ({@link #MIN_N} ≤ N ≤ {@link #MAX_N}): A's values are broadcast straight from their array by
 * {@link GemmRowTable}'s 8-row × 2-vector tiles, whether A is row-major (activations times a
 * weight) or column-major (a transposed activation: a linear layer's weight gradient xᵀ·dy, 39 →
 * 49 GFMA/s in a UNet training step), B's rows are read where they lie (or, when B is a
 * transposed weight view, from one [K, N] copy made per call), and the threads take chunks of rows.
 *
 * <p>Why: the packed path ({@link GemmBlocked}) copies every element of A into panels, once per
 * product. That copy is amortized over N columns; at N = 64 (a diffusion UNet's 64-channel
 * attention projections, [2048, 64]·[64, 64]) it cost as much as the multiply, and the product ran
 * at 23 GFMA/s against 41 here (one thread, `/tmp` probe; N = 512 is faster packed, 37 against 32).
 */
final class GemmNarrow {
    /** Widest B this path takes: past it the packed path's register reuse wins. */
    static final int MAX_N = Integer.getInteger("genai4j.gemm.narrowMaxN", 128);
    /** Fewest rows: below them the small-M and packed-weight paths are there. */
    static final int MIN_M = 64;
    /** Rows per work item: a multiple of the 8-row tile. */
    private static final int CHUNK_ROWS = 64;

    private GemmNarrow() {}

    /**
     * Narrowest B: the tiles are two vectors wide, and columns short of one vector run scalar (a
     * router's [tokens, 256]·[256, 8] would have run all of its 8 columns that way).
     */
    static final int MIN_N = 2 * VectorSupport.F.length();

    /**
     * Whether this path takes the product: heap operands with int offsets, A row-major or column-major
     * (a transposed activation, {@link GemmRowTable#multiplyColumnMajorA}), B narrow.
     */
    static boolean supports(int m, int n, int k, Storage a, long aOff, int aRowStride, int aColStride, Storage b, long bOff,
                            int bRowStride, int bColStride) {
        return m >= MIN_M && n >= MIN_N && n <= MAX_N && k > 0
                && a instanceof FloatStorage && (aColStride == 1 || aRowStride == 1 && aColStride % CACHE_SET_STRIDE != 0)
                && aOff <= Integer.MAX_VALUE
                && b instanceof FloatStorage && (bColStride == 1 || bRowStride == 1) && bOff <= Integer.MAX_VALUE;
    }

    /**
     * Column-major A is read one cache line per K step, lda floats apart; at a multiple of 1 KiB
     * those lines fall into the same few L1 sets, and the UNet's [256, 1024]·[1024, 64] weight
     * gradient ran at 37.6 GFMA/s here against 40 packed (lda 64 and 384: 49 against 39–41).
     */
    private static final int CACHE_SET_STRIDE = 256;

    static void multiply(int m, int n, int k, Storage a, long aOff, int aRowStride, int aColStride,
                         Storage b, long bOff, int bRowStride, int bColStride,
                         float[] c, int cOff, int ldc, boolean accumulate) {
        float[] av = ((FloatStorage) a).array(), bv = ((FloatStorage) b).array();
        float[] rowsOf;
        int rowsOff;
        int[] rowOffset;
        if (bColStride == 1) {                       // B's rows are contiguous already: use them in place
            rowsOf = bv;
            rowsOff = (int) bOff;
            rowOffset = GemmRowTable.strided(k, bRowStride);
        } else {                                     // B = Wᵀ of a weight W [N, K]: lay its rows out once
            rowsOf = new float[k * n];
            rowsOff = 0;
            int w0 = (int) bOff;
            for (int j = 0; j < n; j++) {
                int src = w0 + j * bColStride;
                for (int p = 0; p < k; p++) rowsOf[p * n + j] = bv[src + p];
            }
            rowOffset = GemmRowTable.strided(k, n);
        }
        // chunks of whole 8-row tiles, at most CHUNK_ROWS, and at least one per thread when M allows
        int chunkRows = Math.max(8, Math.min(CHUNK_ROWS, m / Math.max(1, Parallel.threads()) / 8 * 8));
        int a0 = (int) aOff, chunks = (m + chunkRows - 1) / chunkRows;
        boolean rowMajor = aColStride == 1;
        float[] bRows = rowsOf;
        int bAt = rowsOff;
        Parallel.forRange(chunks, 1, (from, to) -> {
            int i0 = from * chunkRows, i1 = Math.min(m, to * chunkRows);
            if (rowMajor) {
                GemmRowTable.multiply(i1 - i0, n, k, av, a0 + i0 * aRowStride, aRowStride, bRows, bAt, rowOffset,
                        c, cOff + i0 * ldc, ldc, accumulate);
            } else {
                GemmRowTable.multiplyColumnMajorA(i1 - i0, n, k, av, a0 + i0, aColStride, bRows, bAt, rowOffset,
                        c, cOff + i0 * ldc, ldc, accumulate);
            }
        });
    }
}
