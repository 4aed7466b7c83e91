package dev.genai4j.models.modernbert;

import dev.genai4j.io.Weights;
import dev.genai4j.models.modernbert.ModernBertConfig.LayerType;
import dev.genai4j.nn.AttentionMask;
import dev.genai4j.nn.Dropout;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.Positions;
import dev.genai4j.nn.Rope;
import dev.genai4j.tensor.Autograd;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

/**
 * ModernBERT self-attention (arXiv 2412.13663; HF {@code ModernBertAttention}, eager semantics):
 * one fused projection {@code Wqkv} whose output is [q | k | v] with heads contiguous, RoPE with
 * the θ of this layer's type, bidirectional softmax attention — every key for a global layer,
 * keys with {@code |i − j| ≤ local_attention/2} for a local one — key padding from the HF
 * {@code attention_mask}, then {@code Wo} and {@code out_drop}.
 */
final class ModernBertAttention extends Module {
    private final int hidden;
    private final int heads;
    private final int headDim;
    private final LayerType type;
    private final int localAttention;
    private final Linear wqkv;          // [3H, H]: rows q (nH·hd) | k | v
    private final Linear wo;            // [H, H]
    private final float attnDropoutP;   // on the probabilities, training only
    private final Rng rng;              // for the probability dropout, or null
    private final Dropout outDrop;      // after Wo (HF out_drop), or null when p = 0
    private boolean fusedAllowed = true;

    ModernBertAttention(ModernBertConfig c, LayerType type, Linear wqkv, Linear wo, Rng rng) {
        this.hidden = c.hiddenSize();
        this.heads = c.numAttentionHeads();
        this.headDim = c.headDim();
        this.type = type;
        this.localAttention = c.localAttention();
        this.wqkv = child("Wqkv", wqkv);
        this.wo = child("Wo", wo);
        this.attnDropoutP = c.attentionDropout();
        this.rng = rng;
        this.outDrop = c.attentionDropout() > 0f ? child("out_drop", new Dropout(c.attentionDropout(), rng)) : null;
    }

    static ModernBertAttention load(Weights w, ModernBertConfig c, LayerType type, Rng rng) {
        int h = c.hiddenSize();
        return new ModernBertAttention(c, type, Linear.load(w.sub("Wqkv"), h, 3 * h, c.attentionBias()),
                Linear.load(w.sub("Wo"), h, h, c.attentionBias()), rng);
    }

    /**
     * x: [B, T, H] → [B, T, H].
     *
     * @param attentionMask HF attention_mask [B, T] (1 token, 0 padding) or null for none
     * @param rope          the rotary table of this layer's type
     * @param positions     position ids of the tokens
     */
    Tensor forward(Tensor x, Tensor attentionMask, Rope rope, Positions positions) {
        if (x.dim() != 3 || x.size(2) != hidden) {
            throw ShapeException.of("ModernBertAttention(hidden=" + hidden + ")", "input [B, T, " + hidden + "]", x.shape());
        }
        int b = x.size(0), t = x.size(1);
        Tensor qkv = wqkv.forward(x).reshape(b, t, 3, heads, headDim);   // [B, T, 3, nH, hd]
        Tensor q = rope.apply(qkv.select(2, 0).transpose(1, 2), positions);   // [B, nH, T, hd]
        Tensor k = rope.apply(qkv.select(2, 1).transpose(1, 2), positions);   // [B, nH, T, hd]
        Tensor v = qkv.select(2, 2).transpose(1, 2);                          // [B, nH, T, hd]
        int window = type == LayerType.LOCAL ? localAttention : -1;
        Tensor ctx;                                                            // [B, T, H]
        if (!useFused()) {
            ctx = attend(q, k, v, attentionMask).transpose(1, 2).reshape(b, t, hidden);
        } else if (Autograd.recording(q, k, v)) {
            ctx = FusedSelfAttention.attendDifferentiable(q, k, v, attentionMask, window);
        } else {
            ctx = FusedSelfAttention.attend(q, k, qkv, attentionMask, window);
        }
        Tensor out = wo.forward(ctx);
        return outDrop == null ? out : outDrop.forward(out);
    }

    /**
     * The fused kernel serves inference and training (its backward is recorded); only dropout on
     * the probabilities, which the kernel has not, falls back to the tensor path, as does
     * {@code allowFused(false)}.
     */
    private boolean useFused() {
        return fusedAllowed && !(isTraining() && attnDropoutP > 0f);
    }

    /** false: attention on tensor ops that build the T×T scores (HF "eager"), e.g. to compare the two. */
    void allowFused(boolean on) { fusedAllowed = on; }

    /** softmax(q·kᵀ/√hd + mask)·v with the T×T scores as tensors: differentiable, memory O(T²). */
    private Tensor attend(Tensor q, Tensor k, Tensor v, Tensor attentionMask) {
        int b = q.size(0), t = q.size(2);
        Tensor scores = q.matmul(k.mT()).mul((float) (1.0 / Math.sqrt(headDim)));   // [B, nH, T, T]
        Tensor bias = mask(attentionMask).bias(b, 0, t, t);                        // [B|1, 1, T, T] or null
        if (bias != null) scores = scores.add(bias);
        Tensor probs = scores.softmax(-1);
        probs = Dropout.apply(probs, attnDropoutP, isTraining(), rng);
        return probs.matmul(v);
    }

    private AttentionMask mask(Tensor attentionMask) {
        AttentionMask m = type == LayerType.LOCAL ? AttentionMask.symmetricWindow(localAttention) : AttentionMask.none();
        return attentionMask == null ? m : m.withKeyPadding(attentionMask);
    }

    LayerType type() { return type; }
}
