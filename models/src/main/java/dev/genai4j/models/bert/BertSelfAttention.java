package dev.genai4j.models.bert;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.FusedLinear;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.Attention;
import dev.genai4j.tensor.kernels.AttentionOperand;
import dev.genai4j.tensor.kernels.AttentionOptions;

/**
 * BERT self-attention block without its LayerNorm (HF {@code BertSelfAttention} + the output
 * dense): q, k, v projections, softmax(q·kᵀ/√d + padding mask)·v, output projection. Inference
 * ({@link #forwardInto}) runs the fused attention kernel straight on the [B, T, nH·hd] projections
 * (no head transposes); with autograd ({@link #forward}) it is tensor ops.
 */
final class BertSelfAttention extends Module {
    private final Linear query, key, value;   // [H, H] each
    private final Linear output;              // attention.output.dense [H, H]
    private final int heads, headDim;
    /**
     * q, k and v as one GEMM for inference, when the weights are a loaded checkpoint's (else null).
     * At 1×12 tokens the three [12, 384]·[384, 384] products of MiniLM each forked the threads and
     * packed x; one [12, 384]·[384, 1152] does it once.
     */
    private final FusedLinear qkv;

    private BertSelfAttention(Linear q, Linear k, Linear v, Linear o, int heads, int headDim) {
        this.query = child("self.query", q);
        this.key = child("self.key", k);
        this.value = child("self.value", v);
        this.output = child("output.dense", o);
        this.heads = heads;
        this.headDim = headDim;
        this.qkv = FusedLinear.ofReadOnly(q, k, v);
    }

    static BertSelfAttention load(Weights w, BertConfig c) {
        int h = c.hiddenSize();
        return new BertSelfAttention(Linear.load(w.sub("self.query"), h, h, true), Linear.load(w.sub("self.key"), h, h, true),
                Linear.load(w.sub("self.value"), h, h, true), Linear.load(w.sub("output.dense"), h, h, true),
                c.numAttentionHeads(), c.headDim());
    }

    /**
     * Inference on dense arrays: x [B·T, H] → {@code s.projection} [B·T, H], through {@code s.qkv} and {@code s.context}.
     * keyMask: [B·T] true for real tokens, or null.
     */
    void forwardInto(float[] x, int b, int t, boolean[] keyMask, BertBuffers s) {
        int rows = b * t, h = heads * headDim, row = 3 * h;
        if (qkv != null && qkv.isCurrent()) {
            qkv.forwardInto(x, rows, s.qkv);                                   // [B·T, 3H]: q | k | v
        } else {
            query.forwardInto(x, rows, s.qkv, 0, row);
            key.forwardInto(x, rows, s.qkv, h, row);
            value.forwardInto(x, rows, s.qkv, 2 * h, row);
        }
        AttentionOptions opt = AttentionOptions.defaults().withScale((float) (1.0 / Math.sqrt(headDim)));
        if (keyMask != null) opt = opt.withKeyMask(keyMask);
        Attention.forward(b, heads, heads, t, t, headDim,
                new AttentionOperand(s.qkv, 0, t * row, headDim, row), new AttentionOperand(s.qkv, h, t * row, headDim, row),
                new AttentionOperand(s.qkv, 2 * h, t * row, headDim, row), AttentionOperand.bthd(s.context, t, heads, headDim), opt, null);
        output.forwardInto(s.context, rows, s.projection);
    }

    /** With autograd: x [B, T, H], mask [B, T] (1 = token) or null → [B, T, H]. */
    Tensor forward(Tensor x, boolean[] keyMask, Tensor maskTensor) {
        int b = x.size(0), t = x.size(1), h = heads * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        Tensor qh = query.forward(x).reshape(b, t, heads, headDim).transpose(1, 2);   // [B, nH, T, hd]
        Tensor kh = key.forward(x).reshape(b, t, heads, headDim).transpose(1, 2);
        Tensor vh = value.forward(x).reshape(b, t, heads, headDim).transpose(1, 2);
        Tensor s = qh.matmul(kh.mT()).mul(scale);                          // [B, nH, T, T]
        if (maskTensor != null) s = s.add(maskTensor.eq(0f).mul(-1e30f).reshape(b, 1, 1, t));   // HF: finfo.min on padded keys
        Tensor ctx = s.softmax(-1).matmul(vh).transpose(1, 2).reshape(b, t, h);
        return output.forward(ctx);
    }
}
