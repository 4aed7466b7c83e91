package dev.genai4j.nn.functional;

import dev.genai4j.tensor.Autograd;
import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.GradFn;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.Attention;
import dev.genai4j.tensor.kernels.AttentionOperand;
import dev.genai4j.tensor.kernels.AttentionOptions;

import java.util.Arrays;

/**
 * Scaled-dot-product attention as one differentiable op on the fused {@link Attention} kernel
 * (online softmax; memory O(threads·D) beyond the operands, never a [Tq, Tk] score matrix), as
 * {@code torch.nn.functional.scaled_dot_product_attention} with grouped-query heads: q
 * [B, Hq, Tq, D], k and v [B, Hkv, Tk, D] with Hq a multiple of Hkv. Masks, windows, the query
 * offset of a KV-cache decode and an optional constant bias come in {@link AttentionOptions}.
 * Backward gives dq, dk, dv (the bias gets no gradient: a bias that needs one must take the
 * composed tensor-op path). Operands are read in place through their strides when they are fp32
 * with a contiguous last axis (the usual reshape/transpose views of a projection); others are
 * copied once. Query rows that see no key give zeros.
 *
 * <pre>{@code
 * Tensor ctx = AttentionOp.attention(q, k, v, AttentionOptions.defaults().causal(0));   // [B, Hq, T, D]
 * }</pre>
 */
public final class AttentionOp {
    private AttentionOp() {}

    /**
     * softmax(q·kᵀ·scale + bias, masked)·v → [B, Hq, Tq, D]. The result is a transposed view of
     * a dense [B, Tq, Hq, D] array, so {@code transpose(1, 2).reshape(B, Tq, Hq·D)} is free.
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, AttentionOptions opt) {
        if (q.dim() != 4) throw ShapeException.of("attention q", "[B, Hq, Tq, D]", q.shape());
        int batch = q.size(0), hq = q.size(1), tq = q.size(2), d = q.size(3);
        if (k.dim() != 4 || k.size(0) != batch || k.size(3) != d)
            throw ShapeException.of("attention k", "[" + batch + ", Hkv, Tk, " + d + "]", k.shape());
        int hkv = k.size(1), tk = k.size(2);
        if (!Arrays.equals(v.shape(), k.shape())) throw ShapeException.of("attention v", "k's shape " + Arrays.toString(k.shape()), v.shape());
        if (hq % hkv != 0)
            throw new ShapeException("attention: query heads Hq=" + hq + " must be a multiple of kv heads Hkv=" + hkv);
        AttentionOperand qo = operand(q), ko = operand(k), vo = operand(v);
        float[] out = new float[batch * tq * hq * d];
        AttentionOperand oo = AttentionOperand.bthd(out, tq, hq, d);
        boolean grad = Autograd.recording(q, k, v);
        float[] lse = grad ? new float[batch * hq * tq] : null;
        Attention.forward(batch, hq, hkv, tq, tk, d, qo, ko, vo, oo, opt, lse);
        Tensor base = Tensor.of(out, batch, tq, hq, d);                         // [B, Tq, Hq, D]
        if (grad) {
            Autograd.record(base, new GradFn("scaled_dot_product_attention", q, k, v) {
                @Override public Tensor[] backward(Tensor g) {                  // g [B, Tq, Hq, D]
                    AttentionOperand go = AttentionOperand.bthd(g.data(), tq, hq, d);
                    float[] dq = new float[batch * hq * tq * d], dk = new float[batch * hkv * tk * d], dv = new float[dk.length];
                    Attention.backward(batch, hq, hkv, tq, tk, d, qo, ko, vo, oo, go, lse, opt,
                            AttentionOperand.bhtd(dq, hq, tq, d), AttentionOperand.bhtd(dk, hkv, tk, d),
                            AttentionOperand.bhtd(dv, hkv, tk, d));
                    return new Tensor[]{needs(0) ? Tensor.of(dq, batch, hq, tq, d) : null,
                            needs(1) ? Tensor.of(dk, batch, hkv, tk, d) : null,
                            needs(2) ? Tensor.of(dv, batch, hkv, tk, d) : null};
                }
            });
        }
        return base.transpose(1, 2);
    }

    /** The tensor's elements as a kernel operand: in place when fp32 with unit last stride, else a dense copy. */
    private static AttentionOperand operand(Tensor t) {
        int[] st = t.strides();
        Tensor c = t.storage() instanceof FloatStorage && (st[3] == 1 || t.size(3) == 1) && st[0] >= 0 && st[1] >= 0 && st[2] >= 0
                ? t : Tensor.of(t.toFloatArray(), t.shape());
        int[] s = c.strides();
        return new AttentionOperand(((FloatStorage) c.storage()).array(), c.offset(), s[0], s[1], s[2]);
    }
}
