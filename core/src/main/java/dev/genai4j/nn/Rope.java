package dev.genai4j.nn;

import dev.genai4j.tensor.IndexOutOfRangeException;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.List;

/**
 * Rotary position embeddings (RoFormer, arXiv 2104.09864): channel pair i of each head is rotated
 * by the angle {@code pos · θ^(−2i/rotaryDim)}. Two layouts pair the channels differently:
 * <ul>
 *   <li>{@link Layout#ROTATE_HALF}: pairs (i, i + rotaryDim/2) — HF Llama, Mixtral, ModernBERT, GPT-NeoX;</li>
 *   <li>{@link Layout#INTERLEAVED}: pairs (2i, 2i+1) — GPT-J, Meta's original Llama.</li>
 * </ul>
 * Only the first {@code rotaryDim} channels rotate (partial rotary); the rest pass through.
 * Each instance has its own θ, so layers with different θ (ModernBERT global vs local) each get one.
 * cos/sin tables are precomputed for positions [0, maxPositions).
 *
 * <pre>{@code
 * Rope rope = new Rope(64, 64, 8192, 160_000.0, Rope.Layout.ROTATE_HALF);
 * Tensor q2 = rope.apply(q, Positions.range(0, q.size(2)));   // q: [B, H, T, 64]
 * }</pre>
 */
public final class Rope {
    public enum Layout { ROTATE_HALF, INTERLEAVED }

    private final int headDim;
    private final int rotaryDim;
    private final int maxPositions;
    private final double theta;
    private final Layout layout;
    private final float[] cos;   // [maxPositions, rotaryDim/2]
    private final float[] sin;   // [maxPositions, rotaryDim/2]

    public Rope(int headDim, int rotaryDim, int maxPositions, double theta, Layout layout) {
        if (rotaryDim <= 0 || rotaryDim > headDim || rotaryDim % 2 != 0) {
            throw new IllegalArgumentException("Rope: rotaryDim must be even and in (0, headDim=" + headDim + "], got " + rotaryDim);
        }
        if (maxPositions <= 0) throw new IllegalArgumentException("Rope: maxPositions must be positive, got " + maxPositions);
        this.headDim = headDim;
        this.rotaryDim = rotaryDim;
        this.maxPositions = maxPositions;
        this.theta = theta;
        this.layout = layout;
        int half = rotaryDim / 2;
        cos = new float[maxPositions * half];
        sin = new float[maxPositions * half];
        // fp32 like HF: inv_freq = 1 / θ^(2i/d) in float, angle = float(pos · inv_freq); only cos/sin
        // themselves are evaluated in double. At long positions this rounding is what the
        // reference does, and a double-precision angle would differ from it by ~1e-3.
        float[] invFreq = new float[half];
        for (int i = 0; i < half; i++) invFreq[i] = (float) (1.0 / (float) Math.pow(theta, (float) (2 * i) / rotaryDim));
        for (int p = 0; p < maxPositions; p++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) p * invFreq[i];
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
    }

    /** Full-width rotation in the rotate-half layout (the HF default). */
    public Rope(int headDim, int maxPositions, double theta) {
        this(headDim, headDim, maxPositions, theta, Layout.ROTATE_HALF);
    }

    /**
     * Rotates q or k. x: [B, H, T, headDim]; positions: T per sequence (shared or per batch row).
     * Differentiable in x.
     */
    public Tensor apply(Tensor x, Positions positions) {
        if (x.dim() != 4 || x.size(-1) != headDim) {
            throw ShapeException.of("Rope(headDim=" + headDim + ")", "[B, H, T, " + headDim + "]", x.shape());
        }
        int b = x.size(0), t = x.size(2);
        positions.check("Rope", b, t);
        if (positions.max() >= maxPositions) {
            throw new IndexOutOfRangeException("Rope: position " + positions.max() + " beyond the table of " + maxPositions
                    + " positions (raise maxPositions / max_position_embeddings)");
        }
        int half = rotaryDim / 2;
        int rowsB = positions.isShared() ? 1 : b;
        float[] c = new float[rowsB * t * half], s = new float[rowsB * t * half];
        for (int r = 0; r < rowsB; r++) {
            for (int i = 0; i < t; i++) {
                int src = positions.at(r, i) * half, dst = (r * t + i) * half;
                System.arraycopy(cos, src, c, dst, half);
                System.arraycopy(sin, src, s, dst, half);
            }
        }
        Tensor cosT = Tensor.of(c, rowsB, 1, t, half);          // broadcasts over heads
        Tensor sinT = Tensor.of(s, rowsB, 1, t, half);

        Tensor rot = rotaryDim == headDim ? x : x.narrow(3, 0, rotaryDim);
        Tensor out;
        if (layout == Layout.ROTATE_HALF) {
            Tensor x1 = rot.narrow(3, 0, half), x2 = rot.narrow(3, half, half);
            Tensor o1 = x1.mul(cosT).sub(x2.mul(sinT));
            Tensor o2 = x2.mul(cosT).add(x1.mul(sinT));
            out = Tensor.cat(List.of(o1, o2), 3);
        } else {
            Tensor pairs = rot.reshape(b, x.size(1), t, half, 2);   // [B, H, T, half, (even, odd)]
            Tensor xe = pairs.select(4, 0), xo = pairs.select(4, 1);
            Tensor oe = xe.mul(cosT).sub(xo.mul(sinT));
            Tensor oo = xo.mul(cosT).add(xe.mul(sinT));
            out = Tensor.stack(List.of(oe, oo), 4).reshape(b, x.size(1), t, rotaryDim);
        }
        if (rotaryDim == headDim) return out;
        return Tensor.cat(List.of(out, x.narrow(3, rotaryDim, headDim - rotaryDim)), 3);
    }

    public int headDim() { return headDim; }

    public int rotaryDim() { return rotaryDim; }

    public int maxPositions() { return maxPositions; }

    public double theta() { return theta; }

    public Layout layout() { return layout; }
}
