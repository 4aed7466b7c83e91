package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.Storage;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Copies a block of a strided operand into the contiguous panels the micro-kernel reads, converting
 * to fp32 on the way (bf16 / f16 weights are widened here, once per block, not per FMA).
 *
 * <p>One routine packs both operands. The source element {@code (t, p)} sits at
 * {@code off + t·sT + p·sP}, where {@code t} runs across a panel (A rows, or B columns) and
 * {@code p} along K. Panel {@code q} holds {@code width} values of t for each of the {@code kc}
 * steps: {@code dst[dstOff + q·width·kc + p·width + (t − q·width)]}; missing rows/columns of the
 * last panel are zero so the kernel can always run a full tile.
 */
final class GemmPacking {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** 8 floats, an A panel's width (MR): a 256-bit vector where the CPU has one. */
    private static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256;

    /** K steps per block of a transposing pack: 64 steps × 32 floats = 8 KB of panel, well inside L1. */
    private static final int P_BLOCK = 64;

    private GemmPacking() {}

    static void pack(Storage src, long off, int sT, int sP, int count, int kc, int width, float[] dst, int dstOff) {
        int panels = (count + width - 1) / width;
        for (int q = 0; q < panels; q++) {
            int t0 = q * width, valid = Math.min(width, count - t0);
            int base = dstOff + q * width * kc;
            long panelOff = off + (long) t0 * sT;
            if (valid < width) Arrays.fill(dst, base, base + width * kc, 0f);
            if (src instanceof FloatStorage fs) {
                packArray(fs.array(), panelOff, sT, sP, valid, kc, width, dst, base);
            } else if (src instanceof SegmentStorage ss
                    && (ss.dtype() == DType.F32 || ss.dtype() == DType.BF16 || ss.dtype() == DType.F16)) {
                packSegment(ss.segment(), ss.dtype(), panelOff, sT, sP, valid, kc, width, dst, base);
            } else {
                for (int t = 0; t < valid; t++) {
                    long row = panelOff + (long) t * sT;
                    for (int p = 0; p < kc; p++) dst[base + p * width + t] = src.get(row + (long) p * sP);
                }
            }
        }
    }

    private static void packArray(float[] a, long offL, int sT, int sP, int valid, int kc, int width, float[] dst, int base) {
        int off = (int) offL;
        if (sT == 1 && valid == width && width == 2 * L) {   // B row-major: two vector copies per step
            for (int p = 0, s = off, d = base; p < kc; p++, s += sP, d += width) {
                FloatVector.fromArray(S, a, s).intoArray(dst, d);
                FloatVector.fromArray(S, a, s + L).intoArray(dst, d + L);
            }
        } else if (sT == 1 && valid == 8 && width == 8 && S8.length() == 8) {   // A transposed (a weight gradient's
            // activationsᵀ): one 8-float vector per step; an 8-float System.arraycopy per step was
            // most of the packing time in a diffusion UNet's Linear backward
            for (int p = 0, s = off, d = base; p < kc; p++, s += sP, d += 8) FloatVector.fromArray(S8, a, s).intoArray(dst, d);
        } else if (sT == 1) {             // a panel row is contiguous in the source: copy runs
            for (int p = 0, s = off, d = base; p < kc; p++, s += sP, d += width) {
                System.arraycopy(a, s, dst, d, valid);
            }
        } else if (sP == 1 && valid == 8 && width == 8) {    // A row-major: read 8 rows side by side,
            int s0 = off, s1 = s0 + sT, s2 = s1 + sT, s3 = s2 + sT;  // write the panel sequentially
            int s4 = s3 + sT, s5 = s4 + sT, s6 = s5 + sT, s7 = s6 + sT;
            for (int p = 0, d = base; p < kc; p++, d += 8) {
                dst[d] = a[s0 + p]; dst[d + 1] = a[s1 + p]; dst[d + 2] = a[s2 + p]; dst[d + 3] = a[s3 + p];
                dst[d + 4] = a[s4 + p]; dst[d + 5] = a[s5 + p]; dst[d + 6] = a[s6 + p]; dst[d + 7] = a[s7 + p];
            }
        } else if (sP == 1 && valid == width && width == 2 * L) {   // a Linear weight as B, full panel:
            // two gathers per step, each reading one float from each of L rows (vgatherdps)
            int[] rows = new int[L];
            for (int i = 0; i < L; i++) rows[i] = i * sT;
            int hi = off + L * sT;
            for (int p = 0, d = base; p < kc; p++, d += width) {
                FloatVector.fromArray(S, a, off + p, rows, 0).intoArray(dst, d);
                FloatVector.fromArray(S, a, hi + p, rows, 0).intoArray(dst, d + L);
            }
        } else if (sP == 1) {             // each t is a contiguous run along K (a Linear weight as B):
            // transpose in blocks of P_BLOCK steps, so the block of the panel being written (P_BLOCK
            // rows of `width` floats) stays in L1 while every t adds its column; a whole-kc pass per t
            // wrote a 64 KB panel once per column, from L2 (packing was twice the micro-kernel's time
            // in a ViT-B/32 forward at batch 1).
            for (int p0 = 0; p0 < kc; p0 += P_BLOCK) {
                int pEnd = Math.min(kc, p0 + P_BLOCK);
                for (int t = 0; t < valid; t++) {
                    int s = off + t * sT;
                    for (int p = p0, d = base + p0 * width + t; p < pEnd; p++, d += width) dst[d] = a[s + p];
                }
            }
        } else {
            for (int t = 0; t < valid; t++) {
                int s = off + t * sT;
                for (int p = 0, d = base + t; p < kc; p++, d += width) dst[d] = a[s + p * sP];
            }
        }
    }

    private static void packSegment(MemorySegment seg, DType dtype, long off, int sT, int sP, int valid, int kc,
                                    int width, float[] dst, int base) {
        if (dtype == DType.F32 && (sT == 1 || sP == 1)) {
            packSegmentF32(seg, off, sT, sP, valid, kc, width, dst, base);
            return;
        }
        for (int t = 0; t < valid; t++) {
            long s = off + (long) t * sT;
            int d = base + t;
            switch (dtype) {
                case F32 -> {
                    for (int p = 0; p < kc; p++, d += width) dst[d] = seg.getAtIndex(F32, s + (long) p * sP);
                }
                case BF16 -> {
                    for (int p = 0; p < kc; p++, d += width) {
                        dst[d] = Float.intBitsToFloat(seg.getAtIndex(I16, s + (long) p * sP) << 16);
                    }
                }
                default -> {                // F16
                    for (int p = 0; p < kc; p++, d += width) {
                        dst[d] = Float.float16ToFloat(seg.getAtIndex(I16, s + (long) p * sP));
                    }
                }
            }
        }
    }

    /** Per-thread row buffer for {@link #packSegmentF32}: one K run of a mapped f32 operand. */
    private static final ThreadLocal<float[]> RUN = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * Mapped f32 with a unit stride: bulk copies instead of one bounds-checked segment read per
     * element (that read was most of a BERT forward's packing time). Contiguous panel rows
     * (B row-major) are copied straight into the panel; contiguous K runs (a transposed
     * {@code Linear} weight) are copied into a heap row, then scattered across the panel.
     */
    private static void packSegmentF32(MemorySegment seg, long off, int sT, int sP, int valid, int kc, int width,
                                       float[] dst, int base) {
        if (sT == 1) {
            for (int p = 0, d = base; p < kc; p++, d += width) MemorySegment.copy(seg, F32, (off + (long) p * sP) * 4, dst, d, valid);
            return;
        }
        float[] run = RUN.get();
        if (run.length < kc) {
            run = new float[kc];
            RUN.set(run);
        }
        for (int t = 0; t < valid; t++) {
            MemorySegment.copy(seg, F32, (off + (long) t * sT) * 4, run, 0, kc);
            for (int p = 0, d = base + t; p < kc; p++, d += width) dst[d] = run[p];
        }
    }
}
