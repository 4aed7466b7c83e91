package dev.genai4j.nn;

import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.AttentionBias;
import dev.genai4j.tensor.kernels.AttentionOptions;

import java.util.Arrays;

/**
 * Which keys each query may attend to, turned into an additive bias [B, 1, Tq, Tk] (0 where
 * allowed, {@code fill} where not) that broadcasts over heads. A description, not a tensor, so
 * that attention can build it for the current query block: query i of a block that starts at
 * cache slot {@code queryStart} sits at absolute slot {@code queryStart + i}; key j sits at slot j.
 * The parts combine (all must allow):
 * <ul>
 *   <li>causal: j ≤ i (absolute slots);</li>
 *   <li>window: i − left ≤ j ≤ i + right. ModernBERT local attention is
 *       {@link #symmetricWindow}(local_attention): |i − j| ≤ local_attention/2; Mistral's
 *       sliding window is {@link #causalWindow}(w): causal and i − j &lt; w;</li>
 *   <li>key padding: an HF {@code attention_mask} [B, Tk] of 1 (token) / 0 (padding).</li>
 * </ul>
 * The default fill is −∞, so masked keys get exactly zero probability; a query row with no
 * allowed key (a padding query under left padding) then gets all-zero probabilities (our
 * softmax maps an all −∞ row to zeros) where HF, filling with {@code finfo.min}, gives a uniform
 * row. Those rows belong to padding tokens; use {@code withFill(-Float.MAX_VALUE)} to reproduce
 * HF's values there too. The fused attention kernel (see {@code MultiHeadAttention}) follows the
 * same convention (zeros for rows that see no key), so both paths agree there; a finite fill
 * always takes the dense path.
 *
 * <pre>{@code
 * AttentionMask m = AttentionMask.causal().withKeyPadding(attentionMask);  // decoder, padded batch
 * Tensor bias = m.bias(2, 0, 5, 5);                                          // [2, 1, 5, 5]
 * }</pre>
 */
public final class AttentionMask {
    private static final int UNBOUNDED = AttentionOptions.UNBOUNDED;

    private final boolean causal;
    private final int left;           // keys at most `left` slots before the query (UNBOUNDED: any)
    private final int right;          // keys at most `right` slots after the query
    private final Tensor keyPadding;  // [B, Tk] of 0/1, or null
    private final Tensor custom;      // a caller-made additive bias, or null
    private final float fill;

    private AttentionMask(boolean causal, int left, int right, Tensor keyPadding, Tensor custom, float fill) {
        this.causal = causal;
        this.left = left;
        this.right = right;
        this.keyPadding = keyPadding;
        this.custom = custom;
        this.fill = fill;
    }

    /** Every query sees every key (bidirectional encoder without padding). */
    public static AttentionMask none() { return new AttentionMask(false, UNBOUNDED, UNBOUNDED, null, null, Float.NEGATIVE_INFINITY); }

    /** Decoder self-attention: key slot ≤ query slot. */
    public static AttentionMask causal() { return new AttentionMask(true, UNBOUNDED, UNBOUNDED, null, null, Float.NEGATIVE_INFINITY); }

    /** ModernBERT local attention: |i − j| ≤ window/2 (window = config {@code local_attention}). */
    public static AttentionMask symmetricWindow(int window) {
        if (window < 0) throw new IllegalArgumentException("AttentionMask: window must be ≥ 0, got " + window);
        return none().withWindow(window / 2, window / 2);
    }

    /** Mistral sliding window: causal and i − j &lt; window. */
    public static AttentionMask causalWindow(int window) {
        if (window < 1) throw new IllegalArgumentException("AttentionMask: window must be ≥ 1, got " + window);
        return causal().withWindow(window - 1, 0);
    }

    /** An additive bias made elsewhere, broadcastable to [B, 1, Tq, Tk] (or [B, H, Tq, Tk]). */
    public static AttentionMask ofBias(Tensor bias) {
        if (bias.dim() != 4) throw ShapeException.of("AttentionMask.ofBias", "a 4-d bias [B|1, H|1, Tq, Tk]", bias.shape());
        return new AttentionMask(false, UNBOUNDED, UNBOUNDED, null, bias, Float.NEGATIVE_INFINITY);
    }

    /** Also allow only keys with i − left ≤ j ≤ i + right. */
    public AttentionMask withWindow(int left, int right) {
        if (left < 0 || right < 0) throw new IllegalArgumentException("AttentionMask: window bounds must be ≥ 0, got left=" + left + " right=" + right);
        return new AttentionMask(causal, left, right, keyPadding, custom, fill);
    }

    /** Also mask keys whose {@code attentionMask} [B, Tk] entry is 0. */
    public AttentionMask withKeyPadding(Tensor attentionMask) {
        if (attentionMask.dim() != 2) throw ShapeException.of("AttentionMask.withKeyPadding", "attention_mask [B, Tk]", attentionMask.shape());
        return new AttentionMask(causal, left, right, attentionMask, custom, fill);
    }

    /** The value for disallowed keys (default −∞). */
    public AttentionMask withFill(float fill) {
        return new AttentionMask(causal, left, right, keyPadding, custom, fill);
    }

    public boolean isCausal() { return causal; }

    /**
     * The additive bias [B', 1, Tq, Tk] (B' = 1 when nothing depends on the batch row) for
     * {@code tq} queries at slots {@code queryStart …} over keys at slots {@code 0 … tk−1}.
     * Returns {@code null} when nothing is masked.
     */
    public Tensor bias(int batch, int queryStart, int tq, int tk) {
        if (custom != null) {
            int[] s = custom.shape();
            if ((s[0] != 1 && s[0] != batch) || s[2] != tq || s[3] != tk) {
                throw ShapeException.of("AttentionMask", "a bias [1|" + batch + ", H|1, " + tq + ", " + tk + "]", s);
            }
            return custom;
        }
        boolean windowed = left != UNBOUNDED || right != UNBOUNDED;
        if (!causal && !windowed && keyPadding == null) return null;
        float[] pad = null;
        if (keyPadding != null) {
            int[] s = keyPadding.shape();
            if (s[0] != batch || s[1] != tk) {
                throw ShapeException.of("AttentionMask: attention_mask", "[" + batch + ", " + tk + "] (batch, all keys incl. cached)", s);
            }
            pad = keyPadding.data();
        }
        int rows = pad == null ? 1 : batch;
        float[] out = new float[rows * tq * tk];
        for (int b = 0; b < rows; b++) {
            for (int i = 0; i < tq; i++) {
                long qi = (long) queryStart + i;
                int base = (b * tq + i) * tk;
                for (int j = 0; j < tk; j++) {
                    boolean ok = !(causal && j > qi)
                            && (left == UNBOUNDED || j >= qi - left)
                            && (right == UNBOUNDED || j <= qi + right)
                            && (pad == null || pad[b * tk + j] != 0f);
                    if (!ok) out[base + j] = fill;
                }
            }
        }
        return Tensor.of(out, rows, 1, tq, tk);
    }

    /**
     * The same mask as options of the fused attention kernel, for {@code tq} queries at slots
     * {@code queryStart …} over {@code tk} keys and {@code heads} query heads; {@code null} when
     * the kernel cannot express it: a finite fill (fully masked rows must then be uniform, as HF,
     * where the kernel gives zeros, as this mask's −∞ default does), a custom bias that requires
     * grad (the kernel gives the bias no gradient) or whose head axis is neither 1 nor
     * {@code heads}. Nothing of size [Tq, Tk] is built except for a custom bias, which is used
     * in place of one.
     */
    AttentionOptions kernelOptions(int batch, int queryStart, int tq, int tk, int heads) {
        if (fill != Float.NEGATIVE_INFINITY) return null;
        AttentionOptions opt = AttentionOptions.defaults().withQueryOffset(queryStart);
        if (custom != null) {
            int[] s = custom.shape();
            if (custom.requiresGrad() || (s[1] != 1 && s[1] != heads)) return null;
            if ((s[0] != 1 && s[0] != batch) || s[2] != tq || s[3] != tk) {
                throw ShapeException.of("AttentionMask", "a bias [1|" + batch + ", H|1, " + tq + ", " + tk + "]", s);
            }
            return opt.withBias(AttentionBias.dense(custom.data(), s[0], s[1], tq, tk));
        }
        if (causal) opt = opt.causal(queryStart);
        opt = opt.withWindow(left, right);    // UNBOUNDED is the kernel's UNBOUNDED
        if (keyPadding != null) {
            int[] s = keyPadding.shape();
            if (s[0] != batch || s[1] != tk) {
                throw ShapeException.of("AttentionMask: attention_mask", "[" + batch + ", " + tk + "] (batch, all keys incl. cached)", s);
            }
            opt = opt.withKeyMask(keyPadding.data());
        }
        return opt;
    }

    @Override
    public String toString() {
        return "AttentionMask[causal=" + causal + (left == UNBOUNDED ? "" : ", left=" + left)
                + (right == UNBOUNDED ? "" : ", right=" + right) + (keyPadding == null ? "" : ", keyPadding " + Arrays.toString(keyPadding.shape()))
                + (custom == null ? "" : ", custom bias " + Arrays.toString(custom.shape())) + ", fill=" + fill + "]";
    }
}
