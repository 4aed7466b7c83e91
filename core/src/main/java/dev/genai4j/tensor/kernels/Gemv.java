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

/**
 * The M = 1 (decode) shape of {@link Gemm}: {@code y[N] (+)= x[K] · B[K, N]}. It is memory-bound,
 * so B is streamed exactly once, never packed: when B is row-major {@code [K, N]} each B row is an
 * axpy into y (four rows per pass over y, y stays in L1); when B is a transposed {@code [N, K]}
 * weight (as {@code Linear} stores it) each output is a dot product along a contiguous row, four
 * rows at a time. bf16 rows are widened in registers, so bf16 weights read half the bytes.
 */
final class Gemv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, S.vectorShape());
    private static final VectorSpecies<Short> SS = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Columns of y updated per pass over four B rows: 8 KiB of y, resident in L1. */
    private static final int COL_BLOCK = 2048;
    /** Columns handed to a thread at a time. */
    private static final int SPLIT = 64;

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
        int blocks = (n + SPLIT - 1) / SPLIT;
        int grain = Math.max(1, (1 << 18) / Math.max(1, SPLIT * k));   // ≥ 256 K weights per thread
        Parallel.forRange(blocks, grain, (from, to) -> {
            int j0 = from * SPLIT, j1 = Math.min(n, to * SPLIT);
            if (bCs == 1) rowMajor(j0, j1, k, x, xOff, b, bOff, bRs, c, cOff, accumulate);
            else transposed(j0, j1, k, x, xOff, b, bOff, bCs, c, cOff, accumulate);
        });
    }

    // ---- B row-major [K, N]: y[j0..j1) += Σ_p x[p] · B[p, j] ----

    private static void rowMajor(int j0, int j1, int k, float[] x, int xOff, Storage b, long bOff, int bRs,
                                 float[] c, int cOff, boolean accumulate) {
        if (!accumulate) java.util.Arrays.fill(c, cOff + j0, cOff + j1, 0f);
        float[] row = null;
        for (int jb = j0; jb < j1; jb += COL_BLOCK) {
            int je = Math.min(j1, jb + COL_BLOCK);
            int y0 = cOff + jb, len = je - jb;
            int p = 0;
            if (b instanceof FloatStorage fs) {
                float[] w = fs.array();
                int base = (int) bOff + jb;
                for (; p + 4 <= k; p += 4) {
                    axpy4(w, base + p * bRs, bRs, x[xOff + p], x[xOff + p + 1], x[xOff + p + 2], x[xOff + p + 3], c, y0, len);
                }
                for (; p < k; p++) axpy1(w, base + p * bRs, x[xOff + p], c, y0, len);
            } else {
                SegmentStorage ss = (SegmentStorage) b;
                MemorySegment seg = ss.segment();
                long base = bOff + jb;
                if (ss.dtype() == DType.F32) {
                    for (; p + 4 <= k; p += 4) {
                        axpy4F32(seg, (base + (long) p * bRs) * 4, (long) bRs * 4,
                                x[xOff + p], x[xOff + p + 1], x[xOff + p + 2], x[xOff + p + 3], c, y0, len);
                    }
                } else if (ss.dtype() == DType.BF16) {
                    for (; p + 4 <= k; p += 4) {
                        axpy4Bf16(seg, (base + (long) p * bRs) * 2, (long) bRs * 2,
                                x[xOff + p], x[xOff + p + 1], x[xOff + p + 2], x[xOff + p + 3], c, y0, len);
                    }
                }
                if (p < k && row == null) row = new float[Math.min(COL_BLOCK, j1 - j0)];
                for (; p < k; p++) {                 // f16 rows, and the last k % 4 rows of the others
                    long r = base + (long) p * bRs;
                    for (int j = 0; j < len; j++) row[j] = ss.get(r + j);
                    axpy1(row, 0, x[xOff + p], c, y0, len);
                }
            }
        }
    }

    private static void axpy4(float[] w, int r0, int rs, float x0, float x1, float x2, float x3,
                              float[] y, int y0, int len) {
        int r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
        FloatVector v0 = FloatVector.broadcast(S, x0), v1 = FloatVector.broadcast(S, x1);
        FloatVector v2 = FloatVector.broadcast(S, x2), v3 = FloatVector.broadcast(S, x3);
        int j = 0;
        for (int bound = S.loopBound(len); j < bound; j += L) {
            FloatVector acc = FloatVector.fromArray(S, y, y0 + j);
            acc = FloatVector.fromArray(S, w, r0 + j).fma(v0, acc);
            acc = FloatVector.fromArray(S, w, r1 + j).fma(v1, acc);
            acc = FloatVector.fromArray(S, w, r2 + j).fma(v2, acc);
            acc = FloatVector.fromArray(S, w, r3 + j).fma(v3, acc);
            acc.intoArray(y, y0 + j);
        }
        for (; j < len; j++) {
            y[y0 + j] += w[r0 + j] * x0 + w[r1 + j] * x1 + w[r2 + j] * x2 + w[r3 + j] * x3;
        }
    }

    private static void axpy1(float[] w, int r0, float x0, float[] y, int y0, int len) {
        FloatVector v0 = FloatVector.broadcast(S, x0);
        int j = 0;
        for (int bound = S.loopBound(len); j < bound; j += L) {
            FloatVector.fromArray(S, w, r0 + j).fma(v0, FloatVector.fromArray(S, y, y0 + j)).intoArray(y, y0 + j);
        }
        for (; j < len; j++) y[y0 + j] += w[r0 + j] * x0;
    }

    private static void axpy4F32(MemorySegment seg, long r0, long rs, float x0, float x1, float x2, float x3,
                                 float[] y, int y0, int len) {
        long r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
        FloatVector v0 = FloatVector.broadcast(S, x0), v1 = FloatVector.broadcast(S, x1);
        FloatVector v2 = FloatVector.broadcast(S, x2), v3 = FloatVector.broadcast(S, x3);
        int j = 0;
        for (int bound = S.loopBound(len); j < bound; j += L) {
            long o = (long) j * 4;
            FloatVector acc = FloatVector.fromArray(S, y, y0 + j);
            acc = FloatVector.fromMemorySegment(S, seg, r0 + o, LE).fma(v0, acc);
            acc = FloatVector.fromMemorySegment(S, seg, r1 + o, LE).fma(v1, acc);
            acc = FloatVector.fromMemorySegment(S, seg, r2 + o, LE).fma(v2, acc);
            acc = FloatVector.fromMemorySegment(S, seg, r3 + o, LE).fma(v3, acc);
            acc.intoArray(y, y0 + j);
        }
        for (; j < len; j++) {
            long o = (long) j * 4;
            y[y0 + j] += seg.get(F32, r0 + o) * x0 + seg.get(F32, r1 + o) * x1
                    + seg.get(F32, r2 + o) * x2 + seg.get(F32, r3 + o) * x3;
        }
    }

    private static void axpy4Bf16(MemorySegment seg, long r0, long rs, float x0, float x1, float x2, float x3,
                                  float[] y, int y0, int len) {
        long r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
        FloatVector v0 = FloatVector.broadcast(S, x0), v1 = FloatVector.broadcast(S, x1);
        FloatVector v2 = FloatVector.broadcast(S, x2), v3 = FloatVector.broadcast(S, x3);
        int j = 0;
        for (int bound = S.loopBound(len); j < bound; j += L) {
            long o = (long) j * 2;
            FloatVector acc = FloatVector.fromArray(S, y, y0 + j);
            acc = bf16(seg, r0 + o).fma(v0, acc);
            acc = bf16(seg, r1 + o).fma(v1, acc);
            acc = bf16(seg, r2 + o).fma(v2, acc);
            acc = bf16(seg, r3 + o).fma(v3, acc);
            acc.intoArray(y, y0 + j);
        }
        for (; j < len; j++) {
            long o = (long) j * 2;
            y[y0 + j] += bf16At(seg, r0 + o) * x0 + bf16At(seg, r1 + o) * x1
                    + bf16At(seg, r2 + o) * x2 + bf16At(seg, r3 + o) * x3;
        }
    }

    // ---- B transposed, stored as W[N, K] row-major: y[j] += dot(W[j, :], x) ----

    private static void transposed(int j0, int j1, int k, float[] x, int xOff, Storage b, long bOff, int ldw,
                                   float[] c, int cOff, boolean accumulate) {
        int j = j0;
        if (b instanceof FloatStorage fs) {
            float[] w = fs.array();
            for (; j + 4 <= j1; j += 4) dot4(w, (int) bOff + j * ldw, ldw, k, x, xOff, c, cOff + j, accumulate);
            for (; j < j1; j++) {
                float s = dot1(w, (int) bOff + j * ldw, k, x, xOff);
                c[cOff + j] = accumulate ? c[cOff + j] + s : s;
            }
            return;
        }
        SegmentStorage ss = (SegmentStorage) b;
        MemorySegment seg = ss.segment();
        if (ss.dtype() == DType.F32 || ss.dtype() == DType.BF16) {
            boolean bf = ss.dtype() == DType.BF16;
            long es = bf ? 2 : 4;
            for (; j + 4 <= j1; j += 4) {
                long r0 = (bOff + (long) j * ldw) * es;
                if (bf) dot4Bf16(seg, r0, ldw * es, k, x, xOff, c, cOff + j, accumulate);
                else dot4F32(seg, r0, ldw * es, k, x, xOff, c, cOff + j, accumulate);
            }
        }
        for (; j < j1; j++) {                          // f16 rows, and the last rows of the others
            long r = bOff + (long) j * ldw;
            float s = 0;
            for (int p = 0; p < k; p++) s += ss.get(r + p) * x[xOff + p];
            c[cOff + j] = accumulate ? c[cOff + j] + s : s;
        }
    }

    private static void dot4(float[] w, int r0, int ldw, int k, float[] x, int xOff,
                             float[] y, int yAt, boolean accumulate) {
        int r1 = r0 + ldw, r2 = r1 + ldw, r3 = r2 + ldw;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + p);
            a0 = FloatVector.fromArray(S, w, r0 + p).fma(xv, a0);
            a1 = FloatVector.fromArray(S, w, r1 + p).fma(xv, a1);
            a2 = FloatVector.fromArray(S, w, r2 + p).fma(xv, a2);
            a3 = FloatVector.fromArray(S, w, r3 + p).fma(xv, a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) {
            float xp = x[xOff + p];
            s0 += w[r0 + p] * xp; s1 += w[r1 + p] * xp; s2 += w[r2 + p] * xp; s3 += w[r3 + p] * xp;
        }
        store4(y, yAt, s0, s1, s2, s3, accumulate);
    }

    private static float dot1(float[] w, int r0, int k, float[] x, int xOff) {
        FloatVector a0 = FloatVector.zero(S);
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += L) {
            a0 = FloatVector.fromArray(S, w, r0 + p).fma(FloatVector.fromArray(S, x, xOff + p), a0);
        }
        float s = a0.reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) s += w[r0 + p] * x[xOff + p];
        return s;
    }

    private static void dot4F32(MemorySegment seg, long r0, long rs, int k, float[] x, int xOff,
                                float[] y, int yAt, boolean accumulate) {
        long r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += L) {
            long o = (long) p * 4;
            FloatVector xv = FloatVector.fromArray(S, x, xOff + p);
            a0 = FloatVector.fromMemorySegment(S, seg, r0 + o, LE).fma(xv, a0);
            a1 = FloatVector.fromMemorySegment(S, seg, r1 + o, LE).fma(xv, a1);
            a2 = FloatVector.fromMemorySegment(S, seg, r2 + o, LE).fma(xv, a2);
            a3 = FloatVector.fromMemorySegment(S, seg, r3 + o, LE).fma(xv, a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) {
            long o = (long) p * 4;
            float xp = x[xOff + p];
            s0 += seg.get(F32, r0 + o) * xp; s1 += seg.get(F32, r1 + o) * xp;
            s2 += seg.get(F32, r2 + o) * xp; s3 += seg.get(F32, r3 + o) * xp;
        }
        store4(y, yAt, s0, s1, s2, s3, accumulate);
    }

    private static void dot4Bf16(MemorySegment seg, long r0, long rs, int k, float[] x, int xOff,
                                 float[] y, int yAt, boolean accumulate) {
        long r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += L) {
            long o = (long) p * 2;
            FloatVector xv = FloatVector.fromArray(S, x, xOff + p);
            a0 = bf16(seg, r0 + o).fma(xv, a0);
            a1 = bf16(seg, r1 + o).fma(xv, a1);
            a2 = bf16(seg, r2 + o).fma(xv, a2);
            a3 = bf16(seg, r3 + o).fma(xv, a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) {
            long o = (long) p * 2;
            float xp = x[xOff + p];
            s0 += bf16At(seg, r0 + o) * xp; s1 += bf16At(seg, r1 + o) * xp;
            s2 += bf16At(seg, r2 + o) * xp; s3 += bf16At(seg, r3 + o) * xp;
        }
        store4(y, yAt, s0, s1, s2, s3, accumulate);
    }

    private static void store4(float[] y, int at, float s0, float s1, float s2, float s3, boolean accumulate) {
        if (accumulate) {
            y[at] += s0; y[at + 1] += s1; y[at + 2] += s2; y[at + 3] += s3;
        } else {
            y[at] = s0; y[at + 1] = s1; y[at + 2] = s2; y[at + 3] = s3;
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
