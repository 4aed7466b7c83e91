package dev.genai4j.models.diffusion;

import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.functional.AttentionOp;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.AttentionOptions;

/**
 * diffusers' {@code Attention} as used by {@code BasicTransformerBlock}: queries from the image
 * tokens, keys and values from the same tokens (self, {@code attn1}) or from the text token states
 * (cross, {@code attn2}); {@code to_q/to_k/to_v} without bias, {@code to_out.0} with bias.
 * The attention itself runs on the fused kernel (no [T, L] score matrix).
 */
final class Attention extends Module {
    private final Linear toQ, toK, toV, toOut;   // [C, C], [C, ctx], [C, ctx], [C, C]
    private final int heads, headDim;
    private LowRankAdapter[] lora;                 // q, k, v, out once adapters are added; not in the state dict

    Attention(int channels, int contextDim, int headDim, Rng rng) {
        this.headDim = headDim;
        this.heads = channels / headDim;
        toQ = child("to_q", new Linear(channels, channels, false, rng));
        toK = child("to_k", new Linear(contextDim, channels, false, rng));
        toV = child("to_v", new Linear(contextDim, channels, false, rng));
        toOut = child("to_out.0", new Linear(channels, channels, true, rng));
    }

    /** The projection names LoRA adapts, in {@link #addLora}'s order. */
    static final String[] PROJECTIONS = {"to_q", "to_k", "to_v", "to_out.0"};

    /** x [B, T, C], context [B, L, ctx] (x itself for self-attention) → [B, T, C]. */
    Tensor forward(Tensor x, Tensor context) {
        int b = x.size(0), t = x.size(1), l = context.size(1);
        Tensor q = project(0, toQ, x).reshape(b, t, heads, headDim).transpose(1, 2);         // [B, h, T, d]
        Tensor k = project(1, toK, context).reshape(b, l, heads, headDim).transpose(1, 2);   // [B, h, L, d]
        Tensor v = project(2, toV, context).reshape(b, l, heads, headDim).transpose(1, 2);   // [B, h, L, d]
        Tensor ctx = AttentionOp.attention(q, k, v, AttentionOptions.defaults().withScale((float) (1.0 / Math.sqrt(headDim))));
        return project(3, toOut, ctx.transpose(1, 2).reshape(b, t, heads * headDim));
    }

    private Tensor project(int i, Linear layer, Tensor x) {
        Tensor y = layer.forward(x);
        return lora == null ? y : lora[i].add(x, y);
    }

    /** Adds rank-r adapters to to_q, to_k, to_v and to_out.0 (once); returns them in that order. */
    LowRankAdapter[] addLora(int rank, float alpha, Rng rng) {
        if (lora != null) throw new IllegalStateException("attention already has LoRA adapters");
        Linear[] layers = {toQ, toK, toV, toOut};
        LowRankAdapter[] a = new LowRankAdapter[layers.length];
        for (int i = 0; i < layers.length; i++) a[i] = new LowRankAdapter(layers[i].inFeatures(), layers[i].outFeatures(), rank, alpha, rng);
        lora = a;
        return a.clone();
    }

    /** The adapted projections' weights with their adapters merged in, by projection name; empty without adapters. */
    java.util.Map<String, Tensor> mergedWeights() {
        java.util.Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        if (lora == null) return out;
        Linear[] layers = {toQ, toK, toV, toOut};
        for (int i = 0; i < layers.length; i++) out.put(PROJECTIONS[i] + ".weight", lora[i].merged(layers[i].weight().value()));
        return out;
    }
}
