package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.IndexOutOfRangeException;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.TensorException;

/**
 * Fused scaled-dot-product attention, softmax(q·kᵀ·scale + bias, masked)·v, forward and
 * backward, over float[] operands addressed by strides ({@link AttentionOperand}). Grouped-query
 * attention: {@code hq} query heads share {@code hkv} key/value heads, query head h reading kv
 * head {@code h / (hq / hkv)}. Masks, windows, bias and scale come in {@link AttentionOptions}.
 * Work runs in parallel over (batch, head, query block); memory beyond the operands is
 * O(threads · D), and local / sliding windows visit only the keys inside the window. Plain
 * attention over one vector to 256 keys runs as whole-matrix products instead ({@link AttentionSmall}).
 *
 * <pre>{@code
 * // q [B, Hq, T, D], k and v [B, Hkv, T, D]: causal GQA self-attention
 * float[] lse = new float[B * Hq * T];
 * Attention.forward(B, Hq, Hkv, T, T, D,
 *         AttentionOperand.bhtd(q, Hq, T, D), AttentionOperand.bhtd(k, Hkv, T, D),
 *         AttentionOperand.bhtd(v, Hkv, T, D), AttentionOperand.bhtd(out, Hq, T, D),
 *         AttentionOptions.defaults().causal(0), lse);
 * }</pre>
 */
public final class Attention {
    private Attention() {}

    /**
     * out[b, h, i] = Σ_j softmax_j(s_ij)·v[b, h/g, j], s_ij = scale·q_i·k_j + bias over the visible
     * keys. Rows that see no key get zeros. {@code lse} ([B, Hq, Tq] dense, or null) receives each
     * row's log Σ_j exp(s_ij) (−∞ for rows that see no key), which {@link #backward} needs.
     */
    public static void forward(int batch, int hq, int hkv, int tq, int tk, int d,
                               AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand out,
                               AttentionOptions opt, float[] lse) {
        forward(batch, hq, hkv, tq, tk, d, q, k, v, out, opt, lse, VectorSupport.ENABLED);
    }

    static void forward(int batch, int hq, int hkv, int tq, int tk, int d,
                        AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand out,
                        AttentionOptions opt, float[] lse, boolean vector) {
        check("attention", batch, hq, hkv, tq, tk, d, opt, lse);
        checkOperand("attention", "q", q, batch, hq, tq, d);
        checkOperand("attention", "k", k, batch, hkv, tk, d);
        checkOperand("attention", "v", v, batch, hkv, tk, d);
        checkOperand("attention", "out", out, batch, hq, tq, d);
        if (vector && AttentionSmall.supports(hq, hkv, tq, tk, d, opt)) {
            AttentionSmall.forward(batch, hq, tq, tk, d, q, k, v, out, opt, lse);
            return;
        }
        AttentionForward.run(batch, hq, hkv, tq, tk, d, q, k, v, out, opt, lse, vector);
    }

    /**
     * Gradients of {@link #forward} given dOut: writes (overwrites) dq [B, Hq, Tq, D] and dk, dv
     * [B, Hkv, Tk, D]. Needs the forward's {@code out} and {@code lse}, and the same options.
     * The bias gets no gradient here.
     */
    public static void backward(int batch, int hq, int hkv, int tq, int tk, int d,
                                AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand out,
                                AttentionOperand dOut, float[] lse, AttentionOptions opt,
                                AttentionOperand dq, AttentionOperand dk, AttentionOperand dv) {
        backward(batch, hq, hkv, tq, tk, d, q, k, v, out, dOut, lse, opt, dq, dk, dv, VectorSupport.ENABLED);
    }

    static void backward(int batch, int hq, int hkv, int tq, int tk, int d,
                         AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand out,
                         AttentionOperand dOut, float[] lse, AttentionOptions opt,
                         AttentionOperand dq, AttentionOperand dk, AttentionOperand dv, boolean vector) {
        if (lse == null)
            throw new TensorException("attentionBackward: lse is required; pass the array forward filled");
        check("attentionBackward", batch, hq, hkv, tq, tk, d, opt, lse);
        checkOperand("attentionBackward", "q", q, batch, hq, tq, d);
        checkOperand("attentionBackward", "k", k, batch, hkv, tk, d);
        checkOperand("attentionBackward", "v", v, batch, hkv, tk, d);
        checkOperand("attentionBackward", "out", out, batch, hq, tq, d);
        checkOperand("attentionBackward", "dOut", dOut, batch, hq, tq, d);
        checkOperand("attentionBackward", "dq", dq, batch, hq, tq, d);
        checkOperand("attentionBackward", "dk", dk, batch, hkv, tk, d);
        checkOperand("attentionBackward", "dv", dv, batch, hkv, tk, d);
        if (vector && AttentionSmall.supports(hq, hkv, tq, tk, d, opt)) {
            AttentionSmall.backward(batch, hq, tq, tk, d, q, k, v, out, dOut, lse, opt, dq, dk, dv);
            return;
        }
        AttentionBackward.run(batch, hq, hkv, tq, tk, d, q, k, v, out, dOut, lse, opt, dq, dk, dv, vector);
    }

    private static void check(String op, int batch, int hq, int hkv, int tq, int tk, int d,
                              AttentionOptions opt, float[] lse) {
        if (batch < 0 || tq < 0 || tk < 0 || hq < 1 || hkv < 1 || d < 1)
            throw new ShapeException(op + ": sizes must be B, Tq, Tk ≥ 0 and Hq, Hkv, D ≥ 1, got B=" + batch
                    + " Hq=" + hq + " Hkv=" + hkv + " Tq=" + tq + " Tk=" + tk + " D=" + d);
        if (hq % hkv != 0)
            throw new ShapeException(op + ": query heads Hq=" + hq + " must be a multiple of kv heads Hkv=" + hkv);
        long rows = (long) batch * tk;
        if (opt.keyMask() != null && opt.keyMask().length < rows)
            throw new ShapeException(op + ": keyMask must be [B=" + batch + ", Tk=" + tk + "], got length " + opt.keyMask().length);
        if (opt.keyMaskValues() != null && opt.keyMaskValues().length < rows)
            throw new ShapeException(op + ": keyMask must be [B=" + batch + ", Tk=" + tk + "], got length "
                    + opt.keyMaskValues().length);
        if (lse != null && lse.length < (long) batch * hq * tq)
            throw new ShapeException(op + ": lse must be [B=" + batch + ", Hq=" + hq + ", Tq=" + tq + "], got length " + lse.length);
        AttentionBias bias = opt.bias();
        if (bias != null && batch > 0 && tq > 0 && tk > 0) {
            long last = bias.offset() + (long) (batch - 1) * bias.batchStride() + (long) (hq - 1) * bias.headStride()
                    + (long) (tq - 1) * bias.queryStride() + tk - 1;
            if (bias.offset() < 0 || bias.batchStride() < 0 || bias.headStride() < 0 || bias.queryStride() < 0
                    || last >= bias.data().length)
                throw new IndexOutOfRangeException(op + ": bias [B=" + batch + ", Hq=" + hq + ", Tq=" + tq + ", Tk=" + tk
                        + "] with " + bias + " needs index " + last + " but its array has length " + bias.data().length);
        }
    }

    private static void checkOperand(String op, String name, AttentionOperand x, int batch, int heads, int t, int d) {
        if (batch == 0 || t == 0) return;
        long last = x.offset() + (long) (batch - 1) * x.batchStride() + (long) (heads - 1) * x.headStride()
                + (long) (t - 1) * x.tokenStride() + d - 1;
        if (x.offset() < 0 || x.batchStride() < 0 || x.headStride() < 0 || x.tokenStride() < 0 || last >= x.data().length)
            throw new IndexOutOfRangeException(op + ": " + name + " [B=" + batch + ", H=" + heads + ", T=" + t + ", D=" + d
                    + "] with offset " + x.offset() + " and strides (" + x.batchStride() + ", " + x.headStride() + ", "
                    + x.tokenStride() + ", 1) needs index " + last + " but its array has length " + x.data().length);
    }
}
