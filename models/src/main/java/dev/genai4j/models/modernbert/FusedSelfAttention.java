package dev.genai4j.models.modernbert;

import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.Attention;
import dev.genai4j.tensor.kernels.AttentionOperand;
import dev.genai4j.tensor.kernels.AttentionOptions;

/**
 * Inference attention on the fused kernel (online softmax, never a T×T matrix; a local layer
 * visits only the keys inside its window), reading v straight out of the fused qkv projection.
 * Same math as the tensor path: softmax(q·kᵀ/√hd, window and key padding)·v.
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
        AttentionOptions opt = AttentionOptions.defaults().withScale((float) (1.0 / Math.sqrt(hd)));
        if (window >= 0) opt = opt.localWindow(window);
        if (attentionMask != null) opt = opt.withKeyMask(attentionMask.data());
        // v = qkv[:, :, 2]: element (b, h, t, d) at b·T·3H + t·3H + 2H + h·hd + d
        AttentionOperand v = new AttentionOperand(qkvd, 2 * hidden, t * 3 * hidden, hd, 3 * hidden);
        Attention.forward(b, heads, heads, t, t, hd,
                new AttentionOperand(qd, 0, heads * t * hd, t * hd, hd),
                new AttentionOperand(kd, 0, heads * t * hd, t * hd, hd),
                v, AttentionOperand.bthd(out, t, heads, hd), opt, null);
        return Tensor.of(out, b, t, hidden);
    }
}
