package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.Storage;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The M = 1 (decode) shape of {@link Gemm}: {@code y[N] (+)= x[K] · B[K, N]}. It is memory-bound,
 * so B is streamed exactly once, never packed: when B is row-major {@code [K, N]} each B row is an
 * axpy into y (four rows per pass over y, y stays in L1); when B is a transposed {@code [N, K]}
 * weight (as {@code Linear} stores it) each output is a dot product along a contiguous row, eight
 * rows at a time. bf16 rows are widened in registers, so bf16 weights read half the bytes.
 *
 * <p>Each loop nest lives whole in one method: C2 compiles a method with hot loops quickly
 * (on-stack replacement), whereas a small helper called per row stays in C1 code, where the
 * Vector API is not intrinsified, for thousands of calls.
 */
final class Gemv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, S.vectorShape());
    private static final VectorSpecies<Short> SS = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /**
     * Columns of y updated per pass over B's rows (eight, then four, then one at a time): 16 KiB of y, resident in L1, and a 4,096-wide B row read in one
     * run (2,048 split each row into two 8 KiB runs in two sweeps over B: 1×4096×4096 against sgemv 0.70–0.78 → 0.84–0.91
     * at one thread, 0.81–0.89 → 0.86–1.03 at two, interleaved builds in session 10).
     */
    private static final int COL_BLOCK = 4096;
    /** Below this many weights the product runs on the calling thread: a fork costs more. */
    private static final long PARALLEL_MIN_WEIGHTS = 1L << 18;

    private Gemv() {}

    /** Whether B's layout and storage have a streaming path here (else the packed GEMM runs). */
    static boolean supports(Storage b, int bRs, int bCs) {
        if (bCs != 1 && bRs != 1) return false;
        if (b instanceof FloatStorage) return true;
        return b instanceof SegmentStorage s
                && (s.dtype() == DType.F32 || s.dtype() == DType.BF16 || s.dtype() == DType.F16);
    }

    static void run(int n, int k, float[] x, int xOff, Storage b, long bOff, int bRs, int bCs,
                    float[] c, int cOff, boolean accumulate) {
        int threads = (long) n * k >= PARALLEL_MIN_WEIGHTS ? Parallel.threads() : 1;
        if (threads > 1 && bCs == 1 && k >= 64 * threads) {
            splitRows(threads, n, k, x, xOff, b, bOff, bRs, c, cOff, accumulate);
            return;
        }
        // Column chunks go through Parallel's per-thread blocks: on every call each thread streams
        // the same rows of B as last time (still in its core's caches when B fits them), and a thread
        // starved by another process has its chunks taken by the others. Row-major chunks stay wide
        // so each B row is still read in long runs.
        int chunk = threads == 1 ? n
                : Math.max(bCs == 1 ? 512 : 64, roundUp((n + 8 * threads - 1) / (8 * threads), 64));
        int chunks = (n + chunk - 1) / chunk;
        if (chunks == 1) {
            columns(0, n, k, x, xOff, b, bOff, bRs, bCs, c, cOff, accumulate);
            return;
        }
        Parallel.forRange(chunks, 1, (from, to) -> {
            for (int q = from; q < to; q++) {
                columns(q * chunk, Math.min(n, (q + 1) * chunk), k, x, xOff, b, bOff, bRs, bCs, c, cOff, accumulate);
            }
        });
    }

    /**
     * Row-major B [K, N] on several threads: each thread streams a contiguous band of B's rows
     * into its own partial y (column chunks would make every thread read short pieces of every
     * row, which the prefetchers serve badly), then the partials are added in band order.
     */
    private static void splitRows(int threads, int n, int k, float[] x, int xOff, Storage b, long bOff, int bRs,
                                  float[] c, int cOff, boolean accumulate) {
        float[][] partial = new float[threads][];
        Parallel.forRange(threads, 1, (from, to) -> {
            for (int t = from; t < to; t++) {
                int k0 = (int) ((long) k * t / threads), k1 = (int) ((long) k * (t + 1) / threads);
                float[] y = new float[n];
                columns(0, n, k1 - k0, x, xOff + k0, b, bOff + (long) k0 * bRs, bRs, 1, y, 0, true);
                partial[t] = y;
            }
        });
        for (int j = 0; j < n; j++) {
            float sum = accumulate ? c[cOff + j] : 0f;
            for (float[] y : partial) sum += y[j];
            c[cOff + j] = sum;
        }
    }

    /** y[j0..j1) for one chunk of columns, by B's layout and storage. */
    private static void columns(int j0, int j1, int k, float[] x, int xOff, Storage b, long bOff, int bRs, int bCs,
                                float[] c, int cOff, boolean accumulate) {
        if (!accumulate) Arrays.fill(c, cOff + j0, cOff + j1, 0f);
        boolean rowMajor = bCs == 1;
        int ld = rowMajor ? bRs : bCs;
        if (b instanceof FloatStorage fs) {
            if (rowMajor) axpyArray(j0, j1, k, x, xOff, fs.array(), (int) bOff, ld, c, cOff);
            else dotArray(j0, j1, k, x, xOff, fs.array(), (int) bOff, ld, c, cOff);
            return;
        }
        SegmentStorage ss = (SegmentStorage) b;
        switch (ss.dtype()) {
            case F32 -> {
                if (rowMajor) axpyF32(j0, j1, k, x, xOff, ss.segment(), bOff, ld, c, cOff);
                else dotF32(j0, j1, k, x, xOff, ss.segment(), bOff, ld, c, cOff);
            }
            case BF16 -> {
                if (rowMajor) axpyBf16(j0, j1, k, x, xOff, ss.segment(), bOff, ld, c, cOff);
                else dotBf16(j0, j1, k, x, xOff, ss.segment(), bOff, ld, c, cOff);
            }
            default -> {
                if (rowMajor) axpyAny(j0, j1, k, x, xOff, ss, bOff, ld, c, cOff);
                else dotAny(j0, j1, k, x, xOff, ss, bOff, ld, c, cOff);
            }
        }
    }

    private static int roundUp(int x, int to) { return (x + to - 1) / to * to; }

    // ---- B row-major [K, N]: y[j0..j1) += Σ_p x[p] · B[p, j], four rows of B per pass over y ----

    private static void axpyArray(int j0, int j1, int k, float[] x, int xOff, float[] w, int wOff, int ld,
                                  float[] y, int yOff) {
        for (int jb = j0; jb < j1; jb += COL_BLOCK) {
            int je = Math.min(j1, jb + COL_BLOCK), vecEnd = jb + S.loopBound(je - jb);
            int p = 0;
            for (; p + 8 <= k; p += 8) {      // eight rows per pass over y: half the y loads and stores of four
                FloatVector v0 = FloatVector.broadcast(S, x[xOff + p]), v1 = FloatVector.broadcast(S, x[xOff + p + 1]);
                FloatVector v2 = FloatVector.broadcast(S, x[xOff + p + 2]), v3 = FloatVector.broadcast(S, x[xOff + p + 3]);
                FloatVector v4 = FloatVector.broadcast(S, x[xOff + p + 4]), v5 = FloatVector.broadcast(S, x[xOff + p + 5]);
                FloatVector v6 = FloatVector.broadcast(S, x[xOff + p + 6]), v7 = FloatVector.broadcast(S, x[xOff + p + 7]);
                int r0 = wOff + p * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld, r4 = r3 + ld, r5 = r4 + ld, r6 = r5 + ld, r7 = r6 + ld;
                int j = jb;
                for (; j < vecEnd; j += L) {
                    FloatVector acc = FloatVector.fromArray(S, y, yOff + j);
                    acc = FloatVector.fromArray(S, w, r0 + j).fma(v0, acc);
                    acc = FloatVector.fromArray(S, w, r1 + j).fma(v1, acc);
                    acc = FloatVector.fromArray(S, w, r2 + j).fma(v2, acc);
                    acc = FloatVector.fromArray(S, w, r3 + j).fma(v3, acc);
                    acc = FloatVector.fromArray(S, w, r4 + j).fma(v4, acc);
                    acc = FloatVector.fromArray(S, w, r5 + j).fma(v5, acc);
                    acc = FloatVector.fromArray(S, w, r6 + j).fma(v6, acc);
                    acc = FloatVector.fromArray(S, w, r7 + j).fma(v7, acc);
                    acc.intoArray(y, yOff + j);
                }
                for (; j < je; j++) {
                    float t = y[yOff + j];
                    for (int q = 0; q < 8; q++) t += w[r0 + q * ld + j] * x[xOff + p + q];
                    y[yOff + j] = t;
                }
            }
            for (; p + 4 <= k; p += 4) {
                float x0 = x[xOff + p], x1 = x[xOff + p + 1], x2 = x[xOff + p + 2], x3 = x[xOff + p + 3];
                FloatVector v0 = FloatVector.broadcast(S, x0), v1 = FloatVector.broadcast(S, x1);
                FloatVector v2 = FloatVector.broadcast(S, x2), v3 = FloatVector.broadcast(S, x3);
                int r0 = wOff + p * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
                int j = jb;
                for (; j < vecEnd; j += L) {
                    FloatVector acc = FloatVector.fromArray(S, y, yOff + j);
                    acc = FloatVector.fromArray(S, w, r0 + j).fma(v0, acc);
                    acc = FloatVector.fromArray(S, w, r1 + j).fma(v1, acc);
                    acc = FloatVector.fromArray(S, w, r2 + j).fma(v2, acc);
                    acc = FloatVector.fromArray(S, w, r3 + j).fma(v3, acc);
                    acc.intoArray(y, yOff + j);
                }
                for (; j < je; j++) y[yOff + j] += w[r0 + j] * x0 + w[r1 + j] * x1 + w[r2 + j] * x2 + w[r3 + j] * x3;
            }
            for (; p < k; p++) {
                float x0 = x[xOff + p];
                FloatVector v0 = FloatVector.broadcast(S, x0);
                int r0 = wOff + p * ld, j = jb;
                for (; j < vecEnd; j += L) {
                    FloatVector.fromArray(S, w, r0 + j).fma(v0, FloatVector.fromArray(S, y, yOff + j)).intoArray(y, yOff + j);
                }
                for (; j < je; j++) y[yOff + j] += w[r0 + j] * x0;
            }
        }
    }

    private static void axpyF32(int j0, int j1, int k, float[] x, int xOff, MemorySegment w, long wOff, int ld,
                                float[] y, int yOff) {
        long rowBytes = (long) ld * 4;
        for (int jb = j0; jb < j1; jb += COL_BLOCK) {
            int je = Math.min(j1, jb + COL_BLOCK), vecEnd = jb + S.loopBound(je - jb);
            int p = 0;
            for (; p + 4 <= k; p += 4) {
                float x0 = x[xOff + p], x1 = x[xOff + p + 1], x2 = x[xOff + p + 2], x3 = x[xOff + p + 3];
                FloatVector v0 = FloatVector.broadcast(S, x0), v1 = FloatVector.broadcast(S, x1);
                FloatVector v2 = FloatVector.broadcast(S, x2), v3 = FloatVector.broadcast(S, x3);
                long r0 = (wOff + (long) p * ld) * 4, r1 = r0 + rowBytes, r2 = r1 + rowBytes, r3 = r2 + rowBytes;
                int j = jb;
                for (; j < vecEnd; j += L) {
                    long o = (long) j * 4;
                    FloatVector acc = FloatVector.fromArray(S, y, yOff + j);
                    acc = FloatVector.fromMemorySegment(S, w, r0 + o, LE).fma(v0, acc);
                    acc = FloatVector.fromMemorySegment(S, w, r1 + o, LE).fma(v1, acc);
                    acc = FloatVector.fromMemorySegment(S, w, r2 + o, LE).fma(v2, acc);
                    acc = FloatVector.fromMemorySegment(S, w, r3 + o, LE).fma(v3, acc);
                    acc.intoArray(y, yOff + j);
                }
                for (; j < je; j++) {
                    long o = (long) j * 4;
                    y[yOff + j] += w.get(F32, r0 + o) * x0 + w.get(F32, r1 + o) * x1
                            + w.get(F32, r2 + o) * x2 + w.get(F32, r3 + o) * x3;
                }
            }
            for (; p < k; p++) {
                float x0 = x[xOff + p];
                long r0 = (wOff + (long) p * ld) * 4;
                for (int j = jb; j < je; j++) y[yOff + j] += w.get(F32, r0 + (long) j * 4) * x0;
            }
        }
    }

    private static void axpyBf16(int j0, int j1, int k, float[] x, int xOff, MemorySegment w, long wOff, int ld,
                                 float[] y, int yOff) {
        long rowBytes = (long) ld * 2;
        for (int jb = j0; jb < j1; jb += COL_BLOCK) {
            int je = Math.min(j1, jb + COL_BLOCK), vecEnd = jb + S.loopBound(je - jb);
            int p = 0;
            for (; p + 4 <= k; p += 4) {
                float x0 = x[xOff + p], x1 = x[xOff + p + 1], x2 = x[xOff + p + 2], x3 = x[xOff + p + 3];
                FloatVector v0 = FloatVector.broadcast(S, x0), v1 = FloatVector.broadcast(S, x1);
                FloatVector v2 = FloatVector.broadcast(S, x2), v3 = FloatVector.broadcast(S, x3);
                long r0 = (wOff + (long) p * ld) * 2, r1 = r0 + rowBytes, r2 = r1 + rowBytes, r3 = r2 + rowBytes;
                int j = jb;
                for (; j < vecEnd; j += L) {
                    long o = (long) j * 2;
                    FloatVector acc = FloatVector.fromArray(S, y, yOff + j);
                    acc = bf16(w, r0 + o).fma(v0, acc);
                    acc = bf16(w, r1 + o).fma(v1, acc);
                    acc = bf16(w, r2 + o).fma(v2, acc);
                    acc = bf16(w, r3 + o).fma(v3, acc);
                    acc.intoArray(y, yOff + j);
                }
                for (; j < je; j++) {
                    long o = (long) j * 2;
                    y[yOff + j] += bf16At(w, r0 + o) * x0 + bf16At(w, r1 + o) * x1
                            + bf16At(w, r2 + o) * x2 + bf16At(w, r3 + o) * x3;
                }
            }
            for (; p < k; p++) {
                float x0 = x[xOff + p];
                long r0 = (wOff + (long) p * ld) * 2;
                for (int j = jb; j < je; j++) y[yOff + j] += bf16At(w, r0 + (long) j * 2) * x0;
            }
        }
    }

    /** Any other storage (f16): widen a block of each row into a scratch row, then axpy. */
    private static void axpyAny(int j0, int j1, int k, float[] x, int xOff, Storage w, long wOff, int ld,
                                float[] y, int yOff) {
        float[] row = new float[Math.min(COL_BLOCK, j1 - j0)];
        for (int jb = j0; jb < j1; jb += COL_BLOCK) {
            int len = Math.min(j1, jb + COL_BLOCK) - jb, vecEnd = S.loopBound(len);
            for (int p = 0; p < k; p++) {
                long r = wOff + (long) p * ld + jb;
                for (int j = 0; j < len; j++) row[j] = w.get(r + j);
                float x0 = x[xOff + p];
                FloatVector v0 = FloatVector.broadcast(S, x0);
                int j = 0, y0 = yOff + jb;
                for (; j < vecEnd; j += L) {
                    FloatVector.fromArray(S, row, j).fma(v0, FloatVector.fromArray(S, y, y0 + j)).intoArray(y, y0 + j);
                }
                for (; j < len; j++) y[y0 + j] += row[j] * x0;
            }
        }
    }

    // ---- B transposed, stored as W[N, K] row-major: y[j] += dot(W[j, :], x), eight rows at a time ----

    // Eight rows per pass, each its own stream from memory: one core keeps more loads in flight over
    // eight streams than over four, and x's vector is loaded once for all eight. The eight rows of a
    // pass lie an eighth of the chunk apart (rows j, j + s, …, j + 7s for s = (j1 − j0) / 8), not
    // side by side: then each stream runs on through consecutive rows, one long run of memory that
    // the prefetchers follow, instead of a fresh stream per row that they must detect anew. A probe
    // reading 470 MB of [3584, 512]-float matrices on one thread: 16 GB/s with the rows side by
    // side, 27 spaced (rows of 1 KiB: 10.5 against 28; of 16 KiB: 22 against 27). Each row is
    // summed in the same order either way.

    private static void dotArray(int j0, int j1, int k, float[] x, int xOff, float[] w, int wOff, int ld,
                                 float[] y, int yOff) {
        int vecEnd = S.loopBound(k), s = (j1 - j0) / 8;
        int stride = s * ld;
        for (int j = j0; j < j0 + s; j++) {
            int r0 = wOff + j * ld, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
            int r4 = r3 + stride, r5 = r4 + stride, r6 = r5 + stride, r7 = r6 + stride;
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            int p = 0;
            for (; p < vecEnd; p += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + p);
                a0 = FloatVector.fromArray(S, w, r0 + p).fma(xv, a0);
                a1 = FloatVector.fromArray(S, w, r1 + p).fma(xv, a1);
                a2 = FloatVector.fromArray(S, w, r2 + p).fma(xv, a2);
                a3 = FloatVector.fromArray(S, w, r3 + p).fma(xv, a3);
                a4 = FloatVector.fromArray(S, w, r4 + p).fma(xv, a4);
                a5 = FloatVector.fromArray(S, w, r5 + p).fma(xv, a5);
                a6 = FloatVector.fromArray(S, w, r6 + p).fma(xv, a6);
                a7 = FloatVector.fromArray(S, w, r7 + p).fma(xv, a7);
            }
            int y0 = yOff + j;
            y[y0] += tailArray(a0.reduceLanes(VectorOperators.ADD), w, r0, p, k, x, xOff);
            y[y0 + s] += tailArray(a1.reduceLanes(VectorOperators.ADD), w, r1, p, k, x, xOff);
            y[y0 + 2 * s] += tailArray(a2.reduceLanes(VectorOperators.ADD), w, r2, p, k, x, xOff);
            y[y0 + 3 * s] += tailArray(a3.reduceLanes(VectorOperators.ADD), w, r3, p, k, x, xOff);
            y[y0 + 4 * s] += tailArray(a4.reduceLanes(VectorOperators.ADD), w, r4, p, k, x, xOff);
            y[y0 + 5 * s] += tailArray(a5.reduceLanes(VectorOperators.ADD), w, r5, p, k, x, xOff);
            y[y0 + 6 * s] += tailArray(a6.reduceLanes(VectorOperators.ADD), w, r6, p, k, x, xOff);
            y[y0 + 7 * s] += tailArray(a7.reduceLanes(VectorOperators.ADD), w, r7, p, k, x, xOff);
        }
        for (int j = j0 + 8 * s; j < j1; j++) {
            int r0 = wOff + j * ld;
            FloatVector a0 = FloatVector.zero(S);
            int p = 0;
            for (; p < vecEnd; p += L) a0 = FloatVector.fromArray(S, w, r0 + p).fma(FloatVector.fromArray(S, x, xOff + p), a0);
            y[yOff + j] += tailArray(a0.reduceLanes(VectorOperators.ADD), w, r0, p, k, x, xOff);
        }
    }

    /** {@code sum} plus the scalar rest of one row's dot product, from column {@code p} on. */
    private static float tailArray(float sum, float[] w, int row, int p, int k, float[] x, int xOff) {
        for (; p < k; p++) sum += w[row + p] * x[xOff + p];
        return sum;
    }

    private static void dotF32(int j0, int j1, int k, float[] x, int xOff, MemorySegment w, long wOff, int ld,
                               float[] y, int yOff) {
        int vecEnd = S.loopBound(k), s = (j1 - j0) / 8;
        long stride = (long) s * ld * 4;
        for (int j = j0; j < j0 + s; j++) {
            long r0 = (wOff + (long) j * ld) * 4, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
            long r4 = r3 + stride, r5 = r4 + stride, r6 = r5 + stride, r7 = r6 + stride;
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            int p = 0;
            for (; p < vecEnd; p += L) {
                long o = (long) p * 4;
                FloatVector xv = FloatVector.fromArray(S, x, xOff + p);
                a0 = FloatVector.fromMemorySegment(S, w, r0 + o, LE).fma(xv, a0);
                a1 = FloatVector.fromMemorySegment(S, w, r1 + o, LE).fma(xv, a1);
                a2 = FloatVector.fromMemorySegment(S, w, r2 + o, LE).fma(xv, a2);
                a3 = FloatVector.fromMemorySegment(S, w, r3 + o, LE).fma(xv, a3);
                a4 = FloatVector.fromMemorySegment(S, w, r4 + o, LE).fma(xv, a4);
                a5 = FloatVector.fromMemorySegment(S, w, r5 + o, LE).fma(xv, a5);
                a6 = FloatVector.fromMemorySegment(S, w, r6 + o, LE).fma(xv, a6);
                a7 = FloatVector.fromMemorySegment(S, w, r7 + o, LE).fma(xv, a7);
            }
            int y0 = yOff + j;
            y[y0] += tailF32(a0.reduceLanes(VectorOperators.ADD), w, r0, p, k, x, xOff);
            y[y0 + s] += tailF32(a1.reduceLanes(VectorOperators.ADD), w, r1, p, k, x, xOff);
            y[y0 + 2 * s] += tailF32(a2.reduceLanes(VectorOperators.ADD), w, r2, p, k, x, xOff);
            y[y0 + 3 * s] += tailF32(a3.reduceLanes(VectorOperators.ADD), w, r3, p, k, x, xOff);
            y[y0 + 4 * s] += tailF32(a4.reduceLanes(VectorOperators.ADD), w, r4, p, k, x, xOff);
            y[y0 + 5 * s] += tailF32(a5.reduceLanes(VectorOperators.ADD), w, r5, p, k, x, xOff);
            y[y0 + 6 * s] += tailF32(a6.reduceLanes(VectorOperators.ADD), w, r6, p, k, x, xOff);
            y[y0 + 7 * s] += tailF32(a7.reduceLanes(VectorOperators.ADD), w, r7, p, k, x, xOff);
        }
        for (int j = j0 + 8 * s; j < j1; j++) {
            long r0 = (wOff + (long) j * ld) * 4;
            FloatVector a0 = FloatVector.zero(S);
            int p = 0;
            for (; p < vecEnd; p += L) a0 = FloatVector.fromMemorySegment(S, w, r0 + (long) p * 4, LE).fma(FloatVector.fromArray(S, x, xOff + p), a0);
            y[yOff + j] += tailF32(a0.reduceLanes(VectorOperators.ADD), w, r0, p, k, x, xOff);
        }
    }

    private static float tailF32(float sum, MemorySegment w, long rowByte, int p, int k, float[] x, int xOff) {
        for (; p < k; p++) sum += w.get(F32, rowByte + (long) p * 4) * x[xOff + p];
        return sum;
    }

    private static void dotBf16(int j0, int j1, int k, float[] x, int xOff, MemorySegment w, long wOff, int ld,
                                float[] y, int yOff) {
        int vecEnd = S.loopBound(k), s = (j1 - j0) / 8;
        long stride = (long) s * ld * 2;
        for (int j = j0; j < j0 + s; j++) {
            long r0 = (wOff + (long) j * ld) * 2, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
            long r4 = r3 + stride, r5 = r4 + stride, r6 = r5 + stride, r7 = r6 + stride;
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            int p = 0;
            for (; p < vecEnd; p += L) {
                long o = (long) p * 2;
                FloatVector xv = FloatVector.fromArray(S, x, xOff + p);
                a0 = bf16(w, r0 + o).fma(xv, a0);
                a1 = bf16(w, r1 + o).fma(xv, a1);
                a2 = bf16(w, r2 + o).fma(xv, a2);
                a3 = bf16(w, r3 + o).fma(xv, a3);
                a4 = bf16(w, r4 + o).fma(xv, a4);
                a5 = bf16(w, r5 + o).fma(xv, a5);
                a6 = bf16(w, r6 + o).fma(xv, a6);
                a7 = bf16(w, r7 + o).fma(xv, a7);
            }
            int y0 = yOff + j;
            y[y0] += tailBf16(a0.reduceLanes(VectorOperators.ADD), w, r0, p, k, x, xOff);
            y[y0 + s] += tailBf16(a1.reduceLanes(VectorOperators.ADD), w, r1, p, k, x, xOff);
            y[y0 + 2 * s] += tailBf16(a2.reduceLanes(VectorOperators.ADD), w, r2, p, k, x, xOff);
            y[y0 + 3 * s] += tailBf16(a3.reduceLanes(VectorOperators.ADD), w, r3, p, k, x, xOff);
            y[y0 + 4 * s] += tailBf16(a4.reduceLanes(VectorOperators.ADD), w, r4, p, k, x, xOff);
            y[y0 + 5 * s] += tailBf16(a5.reduceLanes(VectorOperators.ADD), w, r5, p, k, x, xOff);
            y[y0 + 6 * s] += tailBf16(a6.reduceLanes(VectorOperators.ADD), w, r6, p, k, x, xOff);
            y[y0 + 7 * s] += tailBf16(a7.reduceLanes(VectorOperators.ADD), w, r7, p, k, x, xOff);
        }
        for (int j = j0 + 8 * s; j < j1; j++) {
            long r0 = (wOff + (long) j * ld) * 2;
            FloatVector a0 = FloatVector.zero(S);
            int p = 0;
            for (; p < vecEnd; p += L) a0 = bf16(w, r0 + (long) p * 2).fma(FloatVector.fromArray(S, x, xOff + p), a0);
            y[yOff + j] += tailBf16(a0.reduceLanes(VectorOperators.ADD), w, r0, p, k, x, xOff);
        }
    }

    private static float tailBf16(float sum, MemorySegment w, long rowByte, int p, int k, float[] x, int xOff) {
        for (; p < k; p++) sum += bf16At(w, rowByte + (long) p * 2) * x[xOff + p];
        return sum;
    }

    /** Any other storage (f16): widen each row into a scratch row, then a vector dot. */
    private static void dotAny(int j0, int j1, int k, float[] x, int xOff, Storage w, long wOff, int ld,
                               float[] y, int yOff) {
        float[] row = new float[k];
        int vecEnd = S.loopBound(k);
        for (int j = j0; j < j1; j++) {
            long r = wOff + (long) j * ld;
            for (int p = 0; p < k; p++) row[p] = w.get(r + p);
            FloatVector a0 = FloatVector.zero(S);
            int p = 0;
            for (; p < vecEnd; p += L) a0 = FloatVector.fromArray(S, row, p).fma(FloatVector.fromArray(S, x, xOff + p), a0);
            float s0 = a0.reduceLanes(VectorOperators.ADD);
            for (; p < k; p++) s0 += row[p] * x[xOff + p];
            y[yOff + j] += s0;
        }
    }

    /** L bf16 values at a byte offset, widened to fp32 in registers (bf16 is the top half of fp32). */
    private static FloatVector bf16(MemorySegment seg, long byteOff) {
        ShortVector h = ShortVector.fromMemorySegment(SS, seg, byteOff, LE);
        IntVector i = (IntVector) h.convertShape(VectorOperators.S2I, IS, 0);
        return i.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static float bf16At(MemorySegment seg, long byteOff) {
        return Float.intBitsToFloat(seg.get(I16, byteOff) << 16);
    }
}
