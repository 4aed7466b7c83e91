package dev.genai4j.nn;

import dev.genai4j.io.Weights;
import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Randoms;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.Gemm;
import dev.genai4j.tensor.kernels.VectorMath;

import java.util.Arrays;

/**
 * {@code y = x · Wᵀ + b}, as {@code torch.nn.Linear}: weight [out, in], bias [out]. The GEMM reads
 * Wᵀ through strides, so a memory-mapped bf16 weight is used in place, never transposed or copied.
 *
 * <pre>{@code
 * Linear proj = new Linear(768, 3072, true, new Rng(0));
 * Tensor y = proj.forward(x);                // x: [B, T, 768] → y: [B, T, 3072]
 * Linear wo = Linear.load(w.sub("attn").sub("Wo"), 768, 768, false);
 * }</pre>
 */
public final class Linear extends Module {
    /** Elements per thread below which the in-place bias add stays on the calling thread. */
    private static final int PARALLEL_MIN_FLOATS = 1 << 15;
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;   // [out, in]
    private final Parameter bias;     // [out], or null

    /** Fresh layer with PyTorch's default init: weight and bias ~ U(−1/√in, 1/√in) (kaiming-uniform, a=√5). */
    public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
        this(inFeatures, outFeatures,
                uniform(rng, inFeatures, outFeatures, inFeatures),
                bias ? uniform(rng, inFeatures, outFeatures) : null);
    }

    private Linear(int inFeatures, int outFeatures, Tensor weight, Tensor bias) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: features must be positive, got in=" + inFeatures + " out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = param("weight", weight);
        this.bias = bias == null ? null : param("bias", bias);
    }

    private static Tensor uniform(Rng rng, int fanIn, int... shape) {
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        return Randoms.uniform(rng, -bound, bound, shape);
    }

    /** Reads {@code weight} [out, in] and, when {@code bias}, {@code bias} [out] under {@code w}'s prefix. */
    public static Linear load(Weights w, int inFeatures, int outFeatures, boolean bias) {
        return new Linear(inFeatures, outFeatures, w.get("weight", outFeatures, inFeatures),
                bias ? w.get("bias", outFeatures) : null);
    }

    /** x: [..., in] → [..., out]. */
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        if (s.length == 0 || s[s.length - 1] != inFeatures) {
            throw ShapeException.of("Linear(in=" + inFeatures + ", out=" + outFeatures + ")", "input [..., " + inFeatures + "]", s);
        }
        Tensor w = weight.value();
        Tensor y;
        if (s.length <= 2) {
            y = x.matmul(w.mT());                                   // [N, in] · [in, out]
        } else {
            // one GEMM over all leading positions instead of one per batch row
            int[] outShape = Arrays.copyOf(s, s.length);
            outShape[s.length - 1] = outFeatures;
            y = x.reshape(-1, inFeatures).matmul(w.mT()).reshape(outShape);
        }
        if (bias == null) return y;
        if (!NoGrad.isGradEnabled() && y.isContiguous() && y.storage() instanceof FloatStorage fs && y.offset() == 0
                && fs.array().length == y.numel()) {
            // inference: add the bias into the fresh GEMM output in place instead of a broadcast op
            // that allocates a second [N, out] array (measured 2–4 ms per BERT intermediate layer)
            float[] d = fs.array();
            addBias(d, d.length / outFeatures, 0, outFeatures);
            return y;
        }
        return y.add(bias.value());
    }

    /**
     * Inference into a caller's array: {@code y[rows, out] = x[rows, in] · Wᵀ + b}, both dense row-major
     * from offset 0. For a model's forward that reuses its activation buffers: a {@code new float[]} of
     * an [8·128, 1536] activation is zeroed by the allocating thread alone, while the other threads
     * wait (BERT at 8×128 tokens allocated ~130 MB per forward that way). {@code y} need not be
     * cleared (every element is written); it must not overlap {@code x}. Records no gradient.
     *
     * @throws ShapeException when either array is shorter than {@code rows} rows
     */
    public void forwardInto(float[] x, int rows, float[] y) {
        forwardInto(x, rows, y, 0, outFeatures);
    }

    /**
     * As {@link #forwardInto(float[], int, float[])}, with row r of y at {@code y[yOff + r·ldy …]}
     * ({@code ldy ≥ out}): several layers' outputs side by side in one array, say q | k | v. Columns
     * of y outside [yOff, yOff + out) of each row are left alone.
     *
     * @throws ShapeException when x or y is too short, or {@code ldy < out}
     */
    public void forwardInto(float[] x, int rows, float[] y, int yOff, int ldy) {
        if (rows < 0 || yOff < 0 || ldy < outFeatures || (long) rows * inFeatures > x.length
                || (rows > 0 && yOff + (long) (rows - 1) * ldy + outFeatures > y.length)) {
            throw new ShapeException("Linear(in=" + inFeatures + ", out=" + outFeatures + ").forwardInto: " + rows + " rows need x of "
                    + (long) rows * inFeatures + " and y of " + (rows == 0 ? 0 : yOff + (long) (rows - 1) * ldy + outFeatures)
                    + " floats, got " + x.length + " and " + y.length + " (y offset " + yOff + ", row stride " + ldy
                    + ", at least out = " + outFeatures + ")");
        }
        if (rows == 0) return;
        Tensor w = weight.value();                                  // [out, in], read as Wᵀ [in, out] through strides
        int[] ws = w.strides();
        Gemm.sgemm(rows, outFeatures, inFeatures, new FloatStorage(x), 0, inFeatures, 1,
                w.storage(), w.offset(), ws[1], ws[0], y, yOff, ldy, false);
        if (bias != null) addBias(y, rows, yOff, ldy);
    }

    /** y[r, :] += bias for the first {@code rows} rows (row r at yOff + r·ldy), in place. */
    private void addBias(float[] y, int rows, int yOff, int ldy) {
        addRowBias(y, rows, yOff, ldy, bias.value().contiguous().data(), outFeatures);
    }

    /**
     * y[yOff + r·ldy + j] += b[j] for r < rows, j < n, in place; rows shared out once there are enough
     * (8x128 tokens: this loop had run on one thread). Also {@link FusedLinear}'s bias.
     */
    static void addRowBias(float[] y, int rows, int yOff, int ldy, float[] b, int n) {
        Parallel.forChunks(rows, Math.max(1, PARALLEL_MIN_FLOATS / n), (r0, r1) -> {
            for (int r = r0; r < r1; r++) VectorMath.add(y, yOff + r * ldy, b, 0, y, yOff + r * ldy, n);
        });
    }

    public int inFeatures() { return inFeatures; }

    public int outFeatures() { return outFeatures; }

    public Parameter weight() { return weight; }

    /** The bias parameter, or {@code null} when the layer has none. */
    public Parameter bias() { return bias; }
}
