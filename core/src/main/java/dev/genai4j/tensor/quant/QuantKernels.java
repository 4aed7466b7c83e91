package dev.genai4j.tensor.quant;

import dev.genai4j.tensor.kernels.VectorSupport;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Integer dot products of quantized weight rows with int8-quantized activations, 256-bit wide
 * (native on AVX2 and AVX-512): bytes widen to 16-bit lanes, products of two int8 values and the
 * sum of two such products fit in 16 bits (2 · 127² = 32258), the block sum widens to 32-bit lanes,
 * and each block's integer sum is scaled into a float accumulator once. One reduction per row.
 * The activations come already widened to 16 bits ({@link #widen(byte[])}, once per product, not
 * once per weight row): that saved two of the block's widening conversions, and the kernel is
 * compute-bound (a 4 MB matrix from cache read no faster than 198 MB from DRAM): 16.7 → 20 GB/s
 * on one thread in a probe on [3584, 1024] Q8_0.
 * One row per loop: a four-row variant did not fit C2's inlining budget and ran boxed, 10× slower
 * (two rows sharing the activation loads: 5× slower, in the same probe).
 */
final class QuantKernels {
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    /** Vector path only where 256-bit integer vectors are real hardware (else the scalar twin is faster). */
    static final boolean VECTOR = VectorSupport.ENABLED && IntVector.SPECIES_PREFERRED.vectorBitSize() >= 256;

    private QuantKernels() {}

    /**
     * Rows are visited four streams at a time: r0, r0 + s, r0 + 2s, r0 + 3s, then r0 + 1, … (s = a
     * quarter of the range), so four runs of memory advance together and the prefetchers keep four
     * streams in flight; the rows past 4s follow in order. From DRAM (48 Q8_0 [3584, 1024] matrices,
     * one thread): 15.4–16.1 GB/s in plain order, 16.9–17.8 in four streams, 10.7–11.1 in eight.
     */
    private static final int STREAMS = 4;

    /** The {@code idx}-th row visited in [r0, r1) with streams {@code s} rows long. */
    private static int spacedRow(int r0, int idx, int s) {
        return idx < STREAMS * s ? r0 + (idx % STREAMS) * s + idx / STREAMS : r0 + idx;
    }

    /** int8 activations as 16-bit lanes, the operand the row kernels take. */
    static short[] widen(byte[] x) {
        short[] out = new short[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i];
        return out;
    }

    /** y[r] = dot(weight row r, x) for rows [r0, r1) of a Q8_0 matrix with {@code blocks} blocks per row; x: int8 values in 16-bit lanes. */
    static void rowsQ8(byte[] w, float[] ws, int blocks, int r0, int r1, short[] x, int xOff, float[] xs, int xsOff,
                       float[] y, int yOff) {
        int rowBytes = blocks * QuantType.BLOCK;
        if (!VECTOR) {
            for (int r = r0; r < r1; r++)
                y[yOff + r] = QuantKernelsScalar.dotQ8(w, r * rowBytes, ws, r * blocks, x, xOff, xs, xsOff, blocks);
            return;
        }
        int n = r1 - r0, s = n / STREAMS;
        for (int idx = 0; idx < n; idx++) {
            int r = spacedRow(r0, idx, s);
            FloatVector a = FloatVector.zero(F);
            int w0 = r * rowBytes;
            for (int b = 0; b < blocks; b++) {
                int o = b * QuantType.BLOCK;
                ShortVector p = widen(w, w0 + o).mul(ShortVector.fromArray(S, x, xOff + o))
                        .add(widen(w, w0 + o + 16).mul(ShortVector.fromArray(S, x, xOff + o + 16)));
                a = blockSum(p).fma(FloatVector.broadcast(F, xs[xsOff + b] * ws[r * blocks + b]), a);
            }
            y[yOff + r] = a.reduceLanes(VectorOperators.ADD);
        }
    }

    /** As {@link #rowsQ8} for a Q4_0 matrix: the low nibbles meet x[0..16), the high ones x[16..32). */
    static void rowsQ4(byte[] w, float[] ws, int blocks, int r0, int r1, short[] x, int xOff, float[] xs, int xsOff,
                       float[] y, int yOff) {
        int rowBytes = blocks * 16;
        if (!VECTOR) {
            for (int r = r0; r < r1; r++)
                y[yOff + r] = QuantKernelsScalar.dotQ4(w, r * rowBytes, ws, r * blocks, x, xOff, xs, xsOff, blocks);
            return;
        }
        ShortVector eight = ShortVector.broadcast(S, (short) 8);
        ShortVector lowMask = ShortVector.broadcast(S, (short) 0x0F);
        int n = r1 - r0, s = n / STREAMS;
        for (int idx = 0; idx < n; idx++) {
            int r = spacedRow(r0, idx, s);
            FloatVector a = FloatVector.zero(F);
            int w0 = r * rowBytes;
            for (int b = 0; b < blocks; b++) {
                int o = b * QuantType.BLOCK;
                // zero-extended bytes: the low nibble by mask, the high one by shift
                ShortVector packed = (ShortVector) ByteVector.fromArray(B, w, w0 + b * 16)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
                ShortVector lo = packed.and(lowMask).sub(eight), hi = packed.lanewise(VectorOperators.LSHR, 4).sub(eight);
                ShortVector p = lo.mul(ShortVector.fromArray(S, x, xOff + o)).add(hi.mul(ShortVector.fromArray(S, x, xOff + o + 16)));
                a = blockSum(p).fma(FloatVector.broadcast(F, xs[xsOff + b] * ws[r * blocks + b]), a);
            }
            y[yOff + r] = a.reduceLanes(VectorOperators.ADD);
        }
    }

    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;

    /** dst[dOff..dOff+32) = q · d for one full Q8_0 block at {@code q[qOff..qOff+32)}. */
    static void dequantizeQ8(byte[] q, int qOff, float d, float[] dst, int dOff) {
        if (!VECTOR) {
            QuantKernelsScalar.dequantizeQ8(q, qOff, d, dst, dOff);
            return;
        }
        for (int i = 0; i < QuantType.BLOCK; i += 8) {
            ((FloatVector) ByteVector.fromArray(B64, q, qOff + i).convertShape(VectorOperators.B2F, F, 0)).mul(d).intoArray(dst, dOff + i);
        }
    }

    /** dst[dOff..dOff+32) for one full Q4_0 block at {@code q[qOff..qOff+16)}: low nibbles first, then high. */
    static void dequantizeQ4(byte[] q, int qOff, float d, float[] dst, int dOff) {
        if (!VECTOR) {
            QuantKernelsScalar.dequantizeQ4(q, qOff, d, dst, dOff);
            return;
        }
        ShortVector packed = (ShortVector) ByteVector.fromArray(B, q, qOff).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
        ShortVector lo = packed.and((short) 0x0F).sub((short) 8), hi = packed.lanewise(VectorOperators.LSHR, 4).sub((short) 8);
        ((FloatVector) lo.convertShape(VectorOperators.S2F, F, 0)).mul(d).intoArray(dst, dOff);
        ((FloatVector) lo.convertShape(VectorOperators.S2F, F, 1)).mul(d).intoArray(dst, dOff + 8);
        ((FloatVector) hi.convertShape(VectorOperators.S2F, F, 0)).mul(d).intoArray(dst, dOff + 16);
        ((FloatVector) hi.convertShape(VectorOperators.S2F, F, 1)).mul(d).intoArray(dst, dOff + 24);
    }

    private static ShortVector widen(byte[] a, int off) {
        return (ShortVector) ByteVector.fromArray(B, a, off).convertShape(VectorOperators.B2S, S, 0);
    }

    /** The 16 lanes of 16-bit partial sums as 8 float lanes (pairs added in 32 bits). */
    private static FloatVector blockSum(ShortVector p) {
        IntVector s = ((IntVector) p.convertShape(VectorOperators.S2I, I, 0)).add((IntVector) p.convertShape(VectorOperators.S2I, I, 1));
        return (FloatVector) s.convertShape(VectorOperators.I2F, F, 0);
    }
}
