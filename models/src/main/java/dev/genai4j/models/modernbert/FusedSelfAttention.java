package dev.genai4j.models.modernbert;

import dev.genai4j.tensor.Autograd;
import dev.genai4j.tensor.GradFn;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.Attention;
import dev.genai4j.tensor.kernels.AttentionOperand;
import dev.genai4j.tensor.kernels.AttentionOptions;

/**
 * Attention on the fused kernel (online softmax, never a T×T matrix; a local layer
 * visits only the keys inside its window), reading v straight out of the fused qkv projection.
 * Same math as the tensor path: softmax(q·kᵀ/√hd, window and key padding)·v. For training,
 * {@link #attendDifferentiable} records the kernel's own backward (FlashAttention-2 style, from the
 * saved output and log-sum-exp), so gradients need no T×T buffer either.
 */
final class FusedSelfAttention {
    private FusedSelfAttention() {}

    /**
     * @param q             rotated queries [B, nH, T, hd]
     * @param k             rotated keys [B, nH, T, hd]
     * @param qkv           the projection output [B, T, 3, nH, hd] (v read in place)
     * @param attentionMask [B, T] 0/1 or null
     * @param window        local_attention for a local layer, or -1 for a global one
     * @return the context [B, T, nH·hd]
     */
    static Tensor attend(Tensor q, Tensor k, Tensor qkv, Tensor attentionMask, int window) {
        int b = q.size(0), heads = q.size(1), t = q.size(2), hd = q.size(3), hidden = heads * hd;
        // data(): the row-major elements from index 0 (the backing array when dense, else a copy)
        float[] qd = q.data(), kd = k.data(), qkvd = qkv.data();
        float[] out = new float[b * t * hidden];
        AttentionOptions opt = options(hd, attentionMask, window);
        // v = qkv[:, :, 2]: element (b, h, t, d) at b·T·3H + t·3H + 2H + h·hd + d
        AttentionOperand v = new AttentionOperand(qkvd, 2 * hidden, t * 3 * hidden, hd, 3 * hidden);
        Attention.forward(b, heads, heads, t, t, hd,
                new AttentionOperand(qd, 0, heads * t * hd, t * hd, hd),
                new AttentionOperand(kd, 0, heads * t * hd, t * hd, hd),
                v, AttentionOperand.bthd(out, t, heads, hd), opt, null);
        return Tensor.of(out, b, t, hidden);
    }

    /**
     * As {@link #attend}, recording a backward into q, k and v (each [B, nH, T, hd], any strides).
     *
     * @return the context [B, T, nH·hd]
     */
    static Tensor attendDifferentiable(Tensor q, Tensor k, Tensor v, Tensor attentionMask, int window) {
        int b = q.size(0), heads = q.size(1), t = q.size(2), hd = q.size(3), hidden = heads * hd;
        float[] qd = q.data(), kd = k.data(), vd = v.data();              // row-major [B, nH, T, hd]
        float[] out = new float[b * t * hidden];                          // [B, T, nH, hd]
        float[] lse = new float[b * heads * t];
        AttentionOptions opt = options(hd, attentionMask, window);
        AttentionOperand qo = AttentionOperand.bhtd(qd, heads, t, hd), ko = AttentionOperand.bhtd(kd, heads, t, hd),
                vo = AttentionOperand.bhtd(vd, heads, t, hd), oo = AttentionOperand.bthd(out, t, heads, hd);
        Attention.forward(b, heads, heads, t, t, hd, qo, ko, vo, oo, opt, lse);
        Tensor ctx = Tensor.of(out, b, t, hidden);
        if (!Autograd.recording(q, k, v)) return ctx;
        return Autograd.record(ctx, new GradFn("modernbertFusedAttention", q, k, v) {
            @Override
            public Tensor[] backward(Tensor g) {                           // g: [B, T, H] = [B, T, nH, hd]
                float[] dq = new float[qd.length], dk = new float[kd.length], dv = new float[vd.length];
                Attention.backward(b, heads, heads, t, t, hd, qo, ko, vo, oo, AttentionOperand.bthd(g.data(), t, heads, hd),
                        lse, opt, AttentionOperand.bhtd(dq, heads, t, hd), AttentionOperand.bhtd(dk, heads, t, hd),
                        AttentionOperand.bhtd(dv, heads, t, hd));
                return new Tensor[]{needs(0) ? Tensor.of(dq, b, heads, t, hd) : null,
                        needs(1) ? Tensor.of(dk, b, heads, t, hd) : null, needs(2) ? Tensor.of(dv, b, heads, t, hd) : null};
            }
        });
    }

    private static AttentionOptions options(int hd, Tensor attentionMask, int window) {
        AttentionOptions opt = AttentionOptions.defaults().withScale((float) (1.0 / Math.sqrt(hd)));
        if (window >= 0) opt = opt.localWindow(window);
        return attentionMask == null ? opt : opt.withKeyMask(attentionMask.data());
    }
}
