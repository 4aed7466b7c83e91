package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.HalfFloats;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.Storage;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Vector API GEMM against its scalar twin, on sizes that exercise every tail. */
class GemmTest {
    private static final int[] SIZES = {1, 7, 33, 65, 100, 257};
    private final Random rnd = new Random(42);

    private float[] random(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextFloat() * 2 - 1;
        return x;
    }

    /** Operand layout: element (r, c) of a rows×cols matrix at off + r·rs + c·cs. */
    private record Operand(Storage s, long off, int rs, int cs) {}

    private Operand dense(int rows, int cols, boolean transposed, int off) {
        float[] data = random(off + rows * cols);
        return transposed ? new Operand(new FloatStorage(data), off, 1, rows)
                : new Operand(new FloatStorage(data), off, cols, 1);
    }

    private Operand segment(int rows, int cols, boolean transposed, DType dtype) {
        MemorySegment seg = Arena.ofAuto().allocate((long) rows * cols * dtype.byteSize(), 8);
        SegmentStorage s = new SegmentStorage(seg, dtype, true);
        for (long i = 0; i < (long) rows * cols; i++) s.set(i, rnd.nextFloat() * 2 - 1);
        return transposed ? new Operand(s, 0, 1, rows) : new Operand(s, 0, cols, 1);
    }

    /** Runs both paths on the same operands and C (C starts random: checks accumulate and overwrite). */
    private void check(String what, int m, int n, int k, Operand a, Operand b, int cOff, int ldc,
                       boolean accumulate, int threads) {
        float[] c0 = random(cOff + m * ldc);
        float[] expected = c0.clone();
        float[] actual = c0.clone();
        GemmScalar.sgemm(m, n, k, a.s, a.off, a.rs, a.cs, b.s, b.off, b.rs, b.cs, expected, cOff, ldc, accumulate);
        Parallel.withThreads(threads, () -> Gemm.sgemm(m, n, k, a.s, a.off, a.rs, a.cs, b.s, b.off, b.rs, b.cs,
                actual, cOff, ldc, accumulate));
        float tol = 2e-6f * (k + 1);
        for (int i = 0; i < actual.length; i++) {
            int row = (i - cOff) / ldc, col = (i - cOff) % ldc;
            boolean inC = i >= cOff && row < m && col < n;
            if (!inC) {
                assertEquals(c0[i], actual[i], 0f, what + ": wrote outside C at " + i);
            } else if (Math.abs(expected[i] - actual[i]) > tol) {
                throw new AssertionError(what + " m=" + m + " n=" + n + " k=" + k + " threads=" + threads
                        + ": C[" + row + "," + col + "] expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    @Test
    void awkwardSizesMatchScalarOnOneAndTwoThreads() {
        for (int m : SIZES) for (int n : SIZES) for (int k : SIZES) {
            Operand a = dense(m, k, false, 0), b = dense(k, n, false, 0);
            for (int threads = 1; threads <= 2; threads++) check("dense", m, n, k, a, b, 0, n, false, threads);
        }
    }

    @Test
    void transposedOperandsAndBothSplitDirections() {
        int[][] shapes = {{257, 33, 65}, {33, 257, 100}, {100, 100, 257}, {1, 257, 100}, {65, 1, 33}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean ta : new boolean[]{false, true}) for (boolean tb : new boolean[]{false, true}) {
                Operand a = dense(m, k, ta, 0), b = dense(k, n, tb, 0);
                for (int threads = 1; threads <= 2; threads++) {
                    check("transA=" + ta + " transB=" + tb, m, n, k, a, b, 0, n, false, threads);
                }
            }
        }
    }

    @Test
    void severalKSlabsAndColumnSlabs() {
        // K beyond one KC slab (with a tail), and N beyond one NC slab: every block boundary.
        int[][] shapes = {{33, 65, 2 * GemmBlocked.KC + 77}, {9, GemmBlocked.NC + 37, GemmBlocked.KC + 3},
                {50, 3 * GemmMicroKernel.NR + 5, 2 * GemmBlocked.KC + 9}, {GemmBlocked.MC + 5, 2 * GemmMicroKernel.NR, GemmBlocked.KC + 1}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            Operand a = dense(m, k, false, 0), b = dense(k, n, false, 0);
            for (int threads = 1; threads <= 2; threads++) {
                check("slabs", m, n, k, a, b, 0, n, false, threads);
                check("slabs accumulate", m, n, k, a, b, 2, n + 1, true, threads);
                Operand bt = dense(k, n, true, 0);      // a Linear weight: the gathering pack, full and edge panels
                check("slabs transB accumulate", m, n, k, a, bt, 2, n + 1, true, threads);
            }
        }
    }

    @Test
    void accumulateOffsetsAndLeadingDimension() {
        int[][] shapes = {{7, 33, 65}, {65, 100, 7}, {1, 100, 257}, {100, 65, 300}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            Operand a = dense(m, k, false, 5), b = dense(k, n, false, 11);
            for (int threads = 1; threads <= 2; threads++) {
                check("accumulate", m, n, k, a, b, 3, n + 9, true, threads);
                check("offsets", m, n, k, a, b, 3, n + 9, false, threads);
                Operand bt = dense(k, n, true, 11);
                check("accumulate transB", m, n, k, a, bt, 3, n + 9, true, threads);
            }
        }
    }

    @Test
    void halfPrecisionSegmentsAreWidenedWhilePacking() {
        int[][] shapes = {{1, 257, 100}, {1, 100, 257}, {7, 65, 33}, {33, 100, 257}, {65, 1, 7}};
        for (DType dtype : new DType[]{DType.BF16, DType.F16, DType.F32}) {
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                for (boolean tb : new boolean[]{false, true}) {
                    Operand a = segment(m, k, false, dtype), b = segment(k, n, tb, dtype);
                    Operand af = dense(m, k, false, 0);
                    for (int threads = 1; threads <= 2; threads++) {
                        check(dtype + " transB=" + tb, m, n, k, a, b, 0, n, false, threads);
                        check(dtype + " fp32 A transB=" + tb, m, n, k, af, b, 0, n, true, threads);
                    }
                }
            }
        }
    }

    @Test
    void decodeShapeStreamsLargeWeightsOnTwoThreads() {
        // Wide enough that Gemv splits the columns between two threads, and (4,101) that one thread crosses
        // Gemv's 4,096-column block of y; bf16 tails included.
        for (int[] nk : new int[][]{{2048 + 5, 257}, {4096 + 5, 45}})    // 45 = 5 passes of eight rows, one of four, one row
        for (boolean tb : new boolean[]{false, true}) {
            int n = nk[0], k = nk[1];
            Operand x = dense(1, k, false, 2);
            Operand w = dense(k, n, tb, 0);
            Operand wb = segment(k, n, tb, DType.BF16);
            Operand wf = segment(k, n, tb, DType.F32);
            for (int threads = 1; threads <= 2; threads++) {
                check("decode fp32 transB=" + tb, 1, n, k, x, w, 1, n, false, threads);
                check("decode bf16 transB=" + tb, 1, n, k, x, wb, 1, n, true, threads);
                check("decode f32 segment transB=" + tb, 1, n, k, x, wf, 0, n, false, threads);
            }
        }
    }

    @Test
    void decodeRowsEqualTheirProductsOneRowAtATime() {
        // Gemv reads eight W rows per pass, spaced an eighth of the chunk apart, plus leftover rows one
        // by one: whatever the row count and chunking, each output must equal that row's product alone.
        for (DType dtype : new DType[]{null, DType.F32, DType.BF16})
        for (int n : new int[]{1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 255, 257, 1031})
        for (int k : new int[]{5, 64, 100}) {
            Operand w = dtype == null ? dense(k, n, true, 3) : segment(k, n, true, dtype);   // W [n, k]
            Operand x = dense(1, k, false, 1);
            for (int threads = 1; threads <= 2; threads++) {
                float[] y = new float[n];
                Parallel.withThreads(threads, () -> Gemm.sgemm(1, n, k, x.s, x.off, x.rs, x.cs, w.s, w.off, w.rs, w.cs,
                        y, 0, n, false));
                for (int j = 0; j < n; j++) {
                    float[] one = new float[1];
                    Gemm.sgemm(1, 1, k, x.s, x.off, x.rs, x.cs, w.s, w.off + (long) j * k, w.rs, w.cs, one, 0, 1, false);
                    // up to rounding only: interpreted and compiled Vector API reductions add lanes in different orders
                    assertEquals(one[0], y[j], 1e-5f * (1 + Math.abs(one[0])), dtype + " n=" + n + " k=" + k + " threads=" + threads + " row " + j);
                }
            }
        }
    }

    @Test
    void smallRowCountsStreamBInEveryLayoutAndStorage() {
        // M = 2..MAX_M goes to GemmSmallM: 4×4 dot blocks and their row / column / K tails,
        // 4-row × 2-vector axpy tiles and theirs, fp32 arrays in place, mapped f32 / bf16 / f16
        // widened per block; N wide enough that two threads split it.
        int[] ms = {2, 3, 4, 5, 8, 12, 13, GemmSmallM.MAX_M - 1, GemmSmallM.MAX_M};
        int[][] nk = {{1, 1}, {7, 33}, {33, 7}, {65, 100}, {257, 65}, {100, 257}, {1000, 300}};
        for (int m : ms) for (int[] s : nk) {
            int n = s[0], k = s[1];
            for (boolean tb : new boolean[]{false, true}) {
                Operand a = dense(m, k, false, 3), b = dense(k, n, tb, 5);
                for (int threads = 1; threads <= 2; threads++) {
                    check("smallM transB=" + tb, m, n, k, a, b, 0, n, false, threads);
                    check("smallM accumulate transB=" + tb, m, n, k, a, b, 2, n + 3, true, threads);
                }
            }
        }
        for (DType dtype : new DType[]{DType.BF16, DType.F16, DType.F32}) {
            for (int m : new int[]{2, 7, GemmSmallM.MAX_M}) for (int[] s : nk) {
                int n = s[0], k = s[1];
                if (n * k > 30_000) continue;               // the scalar reference reads segments slowly
                for (boolean tb : new boolean[]{false, true}) {
                    Operand a = dense(m, k, false, 0), b = segment(k, n, tb, dtype);
                    Operand ta = dense(m, k, true, 0);     // A transposed: gathered into rows first
                    for (int threads = 1; threads <= 2; threads++) {
                        check("smallM " + dtype + " transB=" + tb, m, n, k, a, b, 0, n, false, threads);
                        check("smallM " + dtype + " transA transB=" + tb, m, n, k, ta, b, 1, n, true, threads);
                    }
                }
            }
        }
    }

    @Test
    void packedPathStillServesJustAboveTheSmallRowLimit() {
        int m = GemmSmallM.MAX_M + 1, n = 100, k = 257;
        for (DType dtype : new DType[]{DType.F32, DType.BF16}) {
            for (boolean tb : new boolean[]{false, true}) {
                Operand a = dense(m, k, false, 0), b = segment(k, n, tb, dtype);
                check("packed " + dtype + " transB=" + tb, m, n, k, a, b, 0, n, false, 1);
            }
        }
        assertTrue(!GemmSmallM.supports(m, new FloatStorage(new float[1]), 1, k), "M = MAX_M + 1 is packed");
        assertTrue(GemmSmallM.supports(m - 1, new FloatStorage(new float[1]), 1, k), "M = MAX_M streams B");
    }

    @Test
    void readOnlyWeightsArePackedOnceAndReused() {
        // Read-only (memory-mapped) B goes through GemmPackedB: the second call reads the cached
        // slabs; several K and N slabs, tails, both layouts, and a second view of the same storage.
        // M = 3 streams it (GemmSmallM), M = 12 and M > MAX_M use the packed slabs.
        int[][] nk = {{100, GemmBlocked.KC + 3}, {GemmBlocked.NC + 37, 40}};
        for (int m : new int[]{3, 12, GemmSmallM.MAX_M + 9})
        for (DType dtype : new DType[]{DType.F32, DType.BF16}) for (int[] s : nk) {
            int n = s[0], k = s[1];
            for (boolean tb : new boolean[]{false, true}) {
                Operand w = segment(k, n, tb, dtype);
                SegmentStorage ro = new SegmentStorage(((SegmentStorage) w.s).segment(), dtype, false);
                Operand b = new Operand(ro, 0, w.rs, w.cs);
                Operand a = dense(m, k, false, 0);
                for (int threads = 1; threads <= 2; threads++) {
                    check("read-only " + dtype + " transB=" + tb, m, n, k, a, b, 0, n, false, threads);
                    check("read-only again " + dtype + " transB=" + tb, m, n, k, a, b, 1, n, true, threads);
                }
                // a narrower view at an offset of the same storage is a different cache entry
                Operand sub = tb ? new Operand(ro, 3, 1, k) : new Operand(ro, 3, n, 1);
                check("read-only view " + dtype + " transB=" + tb, m, 65, k - 3, a, sub, 0, 65, false, 1);
            }
        }
    }

    @Test
    void stridedViewsWithNoUnitStrideTakeTheGenericPath() {
        // Every other element of a larger matrix, in both directions: neither stride is 1.
        for (int m : new int[]{1, 33}) {
            int n = 65, k = 100;
            Operand a = new Operand(new FloatStorage(random(4 * m * k)), 1, 4 * k, 2);
            Operand b = new Operand(new FloatStorage(random(4 * k * n)), 0, 4 * n, 2);
            for (int threads = 1; threads <= 2; threads++) check("strided", m, n, k, a, b, 0, n, false, threads);
        }
    }

    @Test
    void bf16ValuesAreExactlyTheStoredBits() {
        // A single bf16 weight times 1 must come back bit-exact from the M=1, small-M and packed paths.
        MemorySegment seg = Arena.ofAuto().allocate(2 * 64, 8);
        float[] stored = new float[64];
        for (int i = 0; i < 64; i++) {
            short bits = HalfFloats.floatToBf16((float) Math.scalb(1.0 + i / 64.0, i % 7 - 3));
            seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, bits);
            stored[i] = HalfFloats.bf16ToFloat(bits);
        }
        SegmentStorage w = new SegmentStorage(seg, DType.BF16, false);   // [1, 64]
        for (int m : new int[]{1, 9, GemmSmallM.MAX_M + 1}) {
            float[] ones = new float[m];
            java.util.Arrays.fill(ones, 1f);
            float[] c = new float[m * 64];
            Gemm.sgemm(m, 64, 1, new FloatStorage(ones), 0, 1, 1, w, 0, 64, 1, c, 0, 64, false);
            for (int i = 0; i < m; i++) {
                assertArrayEquals(stored, java.util.Arrays.copyOfRange(c, i * 64, i * 64 + 64), 0f, "m=" + m);
            }
        }
    }

    @Test
    void denseOverloadAndEmptyK() {
        float[] c = new float[4];
        Gemm.sgemm(2, 2, 3, new float[]{1, 2, 3, 4, 5, 6}, new float[]{1, 0, 0, 1, 1, 1}, c);
        assertArrayEquals(new float[]{4, 5, 10, 11}, c, 0f);

        float[] z = {7, 7, 7, 7};
        Gemm.sgemm(2, 2, 0, new float[0], new float[0], z);
        assertArrayEquals(new float[4], z, 0f, "K = 0 without accumulate leaves C = 0");
        assertTrue(!Gemm.SCALAR, "tests run the vector path (genai4j.kernels.scalar is unset)");
    }
}
