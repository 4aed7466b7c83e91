package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.Storage;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few-rows shape of {@link Gemm} ({@code M ≤ }{@link #MAX_M}: a short sentence through a
 * Linear layer): {@code C[M,N] (+)= A[M,K] · B[K,N]} without packing B. Packing costs one pass
 * of scattered writes over all of B per call, which for a dozen rows is more than the product
 * itself (a profile of a 12-token BERT forward had ~65 % of its time there). Here B is read once,
 * in blocks that stay in L1 while every row of A passes over them:
 * <ul>
 *   <li>B transposed, stored {@code W[N, K]} (as {@code Linear} keeps its weight): each output is
 *   a dot product of two contiguous rows; the kernel takes 4 rows of W × 4 rows of A at a time
 *   (16 vector accumulators), vectorized along K.</li>
 *   <li>B row-major {@code [K, N]}: a 4-row × 2-vector tile of C stays in registers while K
 *   runs, each B row segment loaded once per 4 rows of A.</li>
 * </ul>
 * fp32 arrays are read in place; memory-mapped f32 / bf16 / f16 blocks are first widened into a
 * small per-thread scratch block (read once, used M times). Threads take chunks of N.
 */
final class GemmSmallM {
    /** Largest M sent here; above it the packed GEMM amortizes its packing. */
    static final int MAX_M = Integer.getInteger("genai4j.gemm.smallm", 32);
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** W rows (transposed B) widened per scratch block. */
    private static final int ROW_BLOCK = 16;
    /** Columns (row-major B) per tile: two vectors. */
    private static final int NB = 2 * L;
    private static final long PARALLEL_MIN_FMAS = 1L << 18;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private GemmSmallM() {}

    /** Whether this path takes the product: few rows, B with a unit stride, a storage it can read. */
    static boolean supports(int m, Storage b, int bRs, int bCs) {
        if (m > MAX_M || (bRs != 1 && bCs != 1)) return false;
        if (b instanceof FloatStorage) return true;
        return b instanceof SegmentStorage s
                && (s.dtype() == DType.F32 || s.dtype() == DType.BF16 || s.dtype() == DType.F16);
    }

    static void multiply(int m, int n, int k,
                         Storage a, long aOff, int aRs, int aCs,
                         Storage b, long bOff, int bRs, int bCs,
                         float[] c, int cOff, int ldc, boolean accumulate) {
        // A is small: use it in place when dense rows, else gather it once into [M, K]
        float[] ad;
        int ao, lda;
        if (a instanceof FloatStorage fs && aCs == 1) {
            ad = fs.array();
            ao = (int) aOff;
            lda = aRs;
        } else {
            ad = new float[m * k];
            ao = 0;
            lda = k;
            for (int i = 0; i < m; i++) for (int p = 0; p < k; p++) ad[i * k + p] = a.get(aOff + (long) i * aRs + (long) p * aCs);
        }
        boolean transposed = bRs == 1;                // W[N, K]: each W row contiguous along K
        int threads = (long) m * n * k >= PARALLEL_MIN_FMAS ? Parallel.threads() : 1;
        int unit = transposed ? ROW_BLOCK : NB;
        int chunk = threads == 1 ? n : Math.max(unit, (n + 4 * threads - 1) / (4 * threads) / unit * unit);
        int chunks = (n + chunk - 1) / chunk;
        AtomicInteger next = new AtomicInteger();
        Parallel.forRange(Math.min(threads, chunks), 1, (from, to) -> {
            for (int q = next.getAndIncrement(); q < chunks; q = next.getAndIncrement()) {
                int j0 = q * chunk, j1 = Math.min(n, j0 + chunk);
                if (transposed) {
                    dotChunk(m, k, ad, ao, lda, b, bOff, bCs, j0, j1, c, cOff, ldc, accumulate);
                } else {
                    axpyChunk(m, k, ad, ao, lda, b, bOff, bRs, j0, j1, c, cOff, ldc, accumulate);
                }
            }
        });
    }

    private static float[] scratch(int size) {
        float[] s = SCRATCH.get();
        if (s.length < size) {
            s = new float[size];
            SCRATCH.set(s);
        }
        return s;
    }

    /** Columns j0..j1 of C from W rows j0..j1 (W row j at bOff + j·ldw, K contiguous). */
    private static void dotChunk(int m, int k, float[] a, int ao, int lda, Storage b, long bOff, int ldw,
                                 int j0, int j1, float[] c, int cOff, int ldc, boolean accumulate) {
        if (b instanceof FloatStorage fs) {
            dot(m, k, a, ao, lda, fs.array(), (int) (bOff + (long) j0 * ldw), ldw, j1 - j0, c, cOff + j0, ldc, accumulate);
            return;
        }
        SegmentStorage ss = (SegmentStorage) b;
        float[] w = scratch(ROW_BLOCK * k);
        for (int jb = j0; jb < j1; jb += ROW_BLOCK) {
            int rows = Math.min(ROW_BLOCK, j1 - jb);
            for (int r = 0; r < rows; r++) widen(ss, bOff + (long) (jb + r) * ldw, k, w, r * k);
            dot(m, k, a, ao, lda, w, 0, k, rows, c, cOff + jb, ldc, accumulate);
        }
    }

    /** Columns j0..j1 of C from B[:, j0..j1) (B row p at bOff + p·ldb, N contiguous). */
    private static void axpyChunk(int m, int k, float[] a, int ao, int lda, Storage b, long bOff, int ldb,
                                  int j0, int j1, float[] c, int cOff, int ldc, boolean accumulate) {
        if (b instanceof FloatStorage fs) {
            axpy(m, k, a, ao, lda, fs.array(), (int) (bOff + j0), ldb, j1 - j0, c, cOff + j0, ldc, accumulate);
            return;
        }
        SegmentStorage ss = (SegmentStorage) b;
        float[] w = scratch(NB * k);
        for (int jb = j0; jb < j1; jb += NB) {
            int cols = Math.min(NB, j1 - jb);
            for (int p = 0; p < k; p++) widen(ss, bOff + (long) p * ldb + jb, cols, w, p * cols);
            axpy(m, k, a, ao, lda, w, 0, cols, cols, c, cOff + jb, ldc, accumulate);
        }
    }

    /** count contiguous elements of a memory-mapped tensor from element index off, as fp32. */
    private static void widen(SegmentStorage ss, long off, int count, float[] dst, int dstOff) {
        MemorySegment seg = ss.segment();
        switch (ss.dtype()) {
            case F32 -> MemorySegment.copy(seg, F32, off * 4, dst, dstOff, count);
            case BF16 -> {
                for (int p = 0; p < count; p++) dst[dstOff + p] = Float.intBitsToFloat(seg.getAtIndex(I16, off + p) << 16);
            }
            default -> {
                for (int p = 0; p < count; p++) dst[dstOff + p] = Float.float16ToFloat(seg.getAtIndex(I16, off + p));
            }
        }
    }

    /**
     * C[i, j] (+)= dot(A[i, :], W[j, :]) for i < m, j < rows: A row i at ao + i·lda, W row j at
     * wo + j·ldw, C[i, j] at co + i·ldc + j. 4×4 register blocks, then the row and column tails.
     */
    static void dot(int m, int k, float[] a, int ao, int lda, float[] w, int wo, int ldw, int rows,
                    float[] c, int co, int ldc, boolean accumulate) {
        int vecEnd = S.loopBound(k);
        int j = 0;
        for (; j + 4 <= rows; j += 4) {
            int w0 = wo + j * ldw, w1 = w0 + ldw, w2 = w1 + ldw, w3 = w2 + ldw;
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                int a0 = ao + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
                FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00;
                FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
                FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
                FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
                int p = 0;
                for (; p < vecEnd; p += L) {
                    FloatVector v0 = FloatVector.fromArray(S, w, w0 + p), v1 = FloatVector.fromArray(S, w, w1 + p);
                    FloatVector v2 = FloatVector.fromArray(S, w, w2 + p), v3 = FloatVector.fromArray(S, w, w3 + p);
                    FloatVector x = FloatVector.fromArray(S, a, a0 + p);
                    s00 = v0.fma(x, s00); s01 = v1.fma(x, s01); s02 = v2.fma(x, s02); s03 = v3.fma(x, s03);
                    x = FloatVector.fromArray(S, a, a1 + p);
                    s10 = v0.fma(x, s10); s11 = v1.fma(x, s11); s12 = v2.fma(x, s12); s13 = v3.fma(x, s13);
                    x = FloatVector.fromArray(S, a, a2 + p);
                    s20 = v0.fma(x, s20); s21 = v1.fma(x, s21); s22 = v2.fma(x, s22); s23 = v3.fma(x, s23);
                    x = FloatVector.fromArray(S, a, a3 + p);
                    s30 = v0.fma(x, s30); s31 = v1.fma(x, s31); s32 = v2.fma(x, s32); s33 = v3.fma(x, s33);
                }
                float t00 = s00.reduceLanes(VectorOperators.ADD), t01 = s01.reduceLanes(VectorOperators.ADD);
                float t02 = s02.reduceLanes(VectorOperators.ADD), t03 = s03.reduceLanes(VectorOperators.ADD);
                float t10 = s10.reduceLanes(VectorOperators.ADD), t11 = s11.reduceLanes(VectorOperators.ADD);
                float t12 = s12.reduceLanes(VectorOperators.ADD), t13 = s13.reduceLanes(VectorOperators.ADD);
                float t20 = s20.reduceLanes(VectorOperators.ADD), t21 = s21.reduceLanes(VectorOperators.ADD);
                float t22 = s22.reduceLanes(VectorOperators.ADD), t23 = s23.reduceLanes(VectorOperators.ADD);
                float t30 = s30.reduceLanes(VectorOperators.ADD), t31 = s31.reduceLanes(VectorOperators.ADD);
                float t32 = s32.reduceLanes(VectorOperators.ADD), t33 = s33.reduceLanes(VectorOperators.ADD);
                for (; p < k; p++) {
                    float x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
                    float y0 = w[w0 + p], y1 = w[w1 + p], y2 = w[w2 + p], y3 = w[w3 + p];
                    t00 += x0 * y0; t01 += x0 * y1; t02 += x0 * y2; t03 += x0 * y3;
                    t10 += x1 * y0; t11 += x1 * y1; t12 += x1 * y2; t13 += x1 * y3;
                    t20 += x2 * y0; t21 += x2 * y1; t22 += x2 * y2; t23 += x2 * y3;
                    t30 += x3 * y0; t31 += x3 * y1; t32 += x3 * y2; t33 += x3 * y3;
                }
                int c0 = co + i * ldc + j, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
                if (accumulate) {
                    c[c0] += t00; c[c0 + 1] += t01; c[c0 + 2] += t02; c[c0 + 3] += t03;
                    c[c1] += t10; c[c1 + 1] += t11; c[c1 + 2] += t12; c[c1 + 3] += t13;
                    c[c2] += t20; c[c2 + 1] += t21; c[c2 + 2] += t22; c[c2 + 3] += t23;
                    c[c3] += t30; c[c3 + 1] += t31; c[c3 + 2] += t32; c[c3 + 3] += t33;
                } else {
                    c[c0] = t00; c[c0 + 1] = t01; c[c0 + 2] = t02; c[c0 + 3] = t03;
                    c[c1] = t10; c[c1 + 1] = t11; c[c1 + 2] = t12; c[c1 + 3] = t13;
                    c[c2] = t20; c[c2 + 1] = t21; c[c2 + 2] = t22; c[c2 + 3] = t23;
                    c[c3] = t30; c[c3 + 1] = t31; c[c3 + 2] = t32; c[c3 + 3] = t33;
                }
            }
            for (; i < m; i++) {                       // row tail: one A row against the 4 W rows
                int a0 = ao + i * lda;
                FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                int p = 0;
                for (; p < vecEnd; p += L) {
                    FloatVector x = FloatVector.fromArray(S, a, a0 + p);
                    s0 = FloatVector.fromArray(S, w, w0 + p).fma(x, s0);
                    s1 = FloatVector.fromArray(S, w, w1 + p).fma(x, s1);
                    s2 = FloatVector.fromArray(S, w, w2 + p).fma(x, s2);
                    s3 = FloatVector.fromArray(S, w, w3 + p).fma(x, s3);
                }
                float t0 = s0.reduceLanes(VectorOperators.ADD), t1 = s1.reduceLanes(VectorOperators.ADD);
                float t2 = s2.reduceLanes(VectorOperators.ADD), t3 = s3.reduceLanes(VectorOperators.ADD);
                for (; p < k; p++) {
                    float x0 = a[a0 + p];
                    t0 += x0 * w[w0 + p]; t1 += x0 * w[w1 + p]; t2 += x0 * w[w2 + p]; t3 += x0 * w[w3 + p];
                }
                int c0 = co + i * ldc + j;
                if (accumulate) {
                    c[c0] += t0; c[c0 + 1] += t1; c[c0 + 2] += t2; c[c0 + 3] += t3;
                } else {
                    c[c0] = t0; c[c0 + 1] = t1; c[c0 + 2] = t2; c[c0 + 3] = t3;
                }
            }
        }
        for (; j < rows; j++) {                        // column tail: one W row against each A row
            int w0 = wo + j * ldw;
            for (int i = 0; i < m; i++) {
                int a0 = ao + i * lda;
                FloatVector s0 = FloatVector.zero(S);
                int p = 0;
                for (; p < vecEnd; p += L) s0 = FloatVector.fromArray(S, w, w0 + p).fma(FloatVector.fromArray(S, a, a0 + p), s0);
                float t0 = s0.reduceLanes(VectorOperators.ADD);
                for (; p < k; p++) t0 += a[a0 + p] * w[w0 + p];
                int c0 = co + i * ldc + j;
                c[c0] = accumulate ? c[c0] + t0 : t0;
            }
        }
    }

    /**
     * C[i, j] (+)= Σ_p A[i, p] · B[p, j] for i < m, j < cols: A row i at ao + i·lda, B row p at
     * bo + p·ldb, C[i, j] at co + i·ldc + j. 4-row × 2-vector register tiles; the columns past
     * the last full tile and the rows past the last group of 4 run one vector / one scalar wide.
     */
    static void axpy(int m, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb, int cols,
                     float[] c, int co, int ldc, boolean accumulate) {
        int j = 0;
        for (; j + NB <= cols; j += NB) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                int a0 = ao + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
                FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00;
                FloatVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
                for (int p = 0, bp = bo + j; p < k; p++, bp += ldb) {
                    FloatVector v0 = FloatVector.fromArray(S, b, bp), v1 = FloatVector.fromArray(S, b, bp + L);
                    FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
                    s00 = v0.fma(x, s00); s01 = v1.fma(x, s01);
                    x = FloatVector.broadcast(S, a[a1 + p]);
                    s10 = v0.fma(x, s10); s11 = v1.fma(x, s11);
                    x = FloatVector.broadcast(S, a[a2 + p]);
                    s20 = v0.fma(x, s20); s21 = v1.fma(x, s21);
                    x = FloatVector.broadcast(S, a[a3 + p]);
                    s30 = v0.fma(x, s30); s31 = v1.fma(x, s31);
                }
                int c0 = co + i * ldc + j, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
                if (accumulate) {
                    s00 = s00.add(FloatVector.fromArray(S, c, c0)); s01 = s01.add(FloatVector.fromArray(S, c, c0 + L));
                    s10 = s10.add(FloatVector.fromArray(S, c, c1)); s11 = s11.add(FloatVector.fromArray(S, c, c1 + L));
                    s20 = s20.add(FloatVector.fromArray(S, c, c2)); s21 = s21.add(FloatVector.fromArray(S, c, c2 + L));
                    s30 = s30.add(FloatVector.fromArray(S, c, c3)); s31 = s31.add(FloatVector.fromArray(S, c, c3 + L));
                }
                s00.intoArray(c, c0); s01.intoArray(c, c0 + L);
                s10.intoArray(c, c1); s11.intoArray(c, c1 + L);
                s20.intoArray(c, c2); s21.intoArray(c, c2 + L);
                s30.intoArray(c, c3); s31.intoArray(c, c3 + L);
            }
            for (; i < m; i++) {
                int a0 = ao + i * lda;
                FloatVector s0 = FloatVector.zero(S), s1 = s0;
                for (int p = 0, bp = bo + j; p < k; p++, bp += ldb) {
                    FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
                    s0 = FloatVector.fromArray(S, b, bp).fma(x, s0);
                    s1 = FloatVector.fromArray(S, b, bp + L).fma(x, s1);
                }
                int c0 = co + i * ldc + j;
                if (accumulate) {
                    s0 = s0.add(FloatVector.fromArray(S, c, c0));
                    s1 = s1.add(FloatVector.fromArray(S, c, c0 + L));
                }
                s0.intoArray(c, c0);
                s1.intoArray(c, c0 + L);
            }
        }
        for (; j < cols; j++) {                        // column tail, scalar: fewer than 2 vectors left
            for (int i = 0; i < m; i++) {
                int a0 = ao + i * lda;
                float t = 0;
                for (int p = 0, bp = bo + j; p < k; p++, bp += ldb) t += a[a0 + p] * b[bp];
                int c0 = co + i * ldc + j;
                c[c0] = accumulate ? c[c0] + t : t;
            }
        }
    }
}
