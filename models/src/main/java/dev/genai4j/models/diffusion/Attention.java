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

    Attention(int channels, int contextDim, int headDim, Rng rng) {
        this.headDim = headDim;
        this.heads = channels / headDim;
        toQ = child("to_q", new Linear(channels, channels, false, rng));
        toK = child("to_k", new Linear(contextDim, channels, false, rng));
        toV = child("to_v", new Linear(contextDim, channels, false, rng));
        toOut = child("to_out.0", new Linear(channels, channels, true, rng));
    }

    /** x [B, T, C], context [B, L, ctx] (x itself for self-attention) → [B, T, C]. */
    Tensor forward(Tensor x, Tensor context) {
        int b = x.size(0), t = x.size(1), l = context.size(1);
        Tensor q = toQ.forward(x).reshape(b, t, heads, headDim).transpose(1, 2);         // [B, h, T, d]
        Tensor k = toK.forward(context).reshape(b, l, heads, headDim).transpose(1, 2);   // [B, h, L, d]
        Tensor v = toV.forward(context).reshape(b, l, heads, headDim).transpose(1, 2);   // [B, h, L, d]
        Tensor ctx = AttentionOp.attention(q, k, v, AttentionOptions.defaults().withScale((float) (1.0 / Math.sqrt(headDim))));
        return toOut.forward(ctx.transpose(1, 2).reshape(b, t, heads * headDim));
    }
}
