package dev.genai4j.nn;

import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.Gemm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Linear layers that read the same input, run for inference as one GEMM:
 * {@code y[rows, Σout] = x[rows, in] · [W₁; W₂; …]ᵀ + [b₁; b₂; …]}. A transformer's q, k and v
 * projections are the use: one product of three times the width forks the threads once instead
 * of three times and packs x once, which counts at a dozen tokens.
 *
 * <p>The concatenated weight is an fp32 copy in read-only native memory, so the GEMM's packed
 * weight cache keeps its packing like a mapped checkpoint weight's. It is made only from
 * read-only weights (a loaded checkpoint), and {@link #isCurrent()} checks on every call that the
 * layers still hold those same tensors: a fine-tune that makes the weights trainable replaces
 * them, and the caller falls back to the separate layers.
 *
 * <pre>{@code
 * FusedLinear qkv = FusedLinear.ofReadOnly(query, key, value);     // null when not read-only
 * if (qkv != null && qkv.isCurrent()) qkv.forwardInto(x, rows, y);  // y [rows, 3·H]
 * }</pre>
 */
public final class FusedLinear {
    private final Linear[] parts;
    private final Tensor[] sources;          // the weight and bias tensors the copy was made from
    private final SegmentStorage weight;     // [out, in] fp32, read-only
    private final float[] bias;              // [out], or null when no part has a bias
    private final int inFeatures, outFeatures;

    private FusedLinear(Linear[] parts, Tensor[] sources, SegmentStorage weight, float[] bias, int in, int out) {
        this.parts = parts;
        this.sources = sources;
        this.weight = weight;
        this.bias = bias;
        this.inFeatures = in;
        this.outFeatures = out;
    }

    /**
     * The layers fused, or null when any weight or bias is not a read-only (checkpoint) tensor or the
     * layers' input widths differ. A part without a bias adds zeros.
     */
    public static FusedLinear ofReadOnly(Linear... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("FusedLinear: no layers to fuse");
        int in = parts[0].inFeatures(), out = 0;
        boolean anyBias = false;
        Tensor[] sources = new Tensor[2 * parts.length];
        for (int i = 0; i < parts.length; i++) {
            Linear p = parts[i];
            Tensor w = p.weight().value();
            if (p.inFeatures() != in || w.storage().isWritable()) return null;
            sources[2 * i] = w;
            if (p.bias() != null) {
                if (p.bias().value().storage().isWritable()) return null;      // an optimizer could change it in place
                sources[2 * i + 1] = p.bias().value();
                anyBias = true;
            }
            out += p.outFeatures();
        }
        MemorySegment seg = Arena.ofAuto().allocate((long) out * in * Float.BYTES, 64);
        float[] bias = anyBias ? new float[out] : null;
        long row = 0;
        for (int i = 0; i < parts.length; i++) {
            Linear p = parts[i];
            float[] w = sources[2 * i].toFloatArray();                      // [out_i, in]
            MemorySegment.copy(w, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED, row * in * Float.BYTES, w.length);
            if (sources[2 * i + 1] != null) System.arraycopy(sources[2 * i + 1].toFloatArray(), 0, bias, (int) row, p.outFeatures());
            row += p.outFeatures();
        }
        return new FusedLinear(parts.clone(), sources, new SegmentStorage(seg, DType.F32, false), bias, in, out);
    }

    /** Whether every layer still holds the weight and bias tensors the fused copy was made from. */
    public boolean isCurrent() {
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].weight().value() != sources[2 * i]) return false;
            Parameter b = parts[i].bias();
            if ((b == null ? null : b.value()) != sources[2 * i + 1]) return false;
        }
        return true;
    }

    /**
     * {@code y[rows, out] = x[rows, in] · Wᵀ + b}, dense row-major from offset 0; the first
     * layer's outputs fill columns [0, out₁), the next layer's the following ones. Records no gradient.
     *
     * @throws ShapeException when either array is shorter than {@code rows} rows
     */
    public void forwardInto(float[] x, int rows, float[] y) {
        if (rows < 0 || (long) rows * inFeatures > x.length || (long) rows * outFeatures > y.length) {
            throw new ShapeException("FusedLinear(in=" + inFeatures + ", out=" + outFeatures + ").forwardInto: " + rows + " rows need x of "
                    + (long) rows * inFeatures + " and y of " + (long) rows * outFeatures + " floats, got " + x.length + " and " + y.length);
        }
        if (rows == 0) return;
        Gemm.sgemm(rows, outFeatures, inFeatures, new FloatStorage(x), 0, inFeatures, 1,
                weight, 0, 1, inFeatures, y, 0, outFeatures, false);
        if (bias != null) Linear.addRowBias(y, rows, 0, outFeatures, bias, outFeatures);
    }

    public int inFeatures() { return inFeatures; }

    public int outFeatures() { return outFeatures; }
}
