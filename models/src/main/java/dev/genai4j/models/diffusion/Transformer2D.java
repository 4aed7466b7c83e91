package dev.genai4j.models.diffusion;

import dev.genai4j.nn.GroupNorm;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.functional.GegluOp;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

/**
 * The Stable Diffusion spatial transformer (arXiv 2112.10752; diffusers {@code Transformer2DModel}
 * with {@code use_linear_projection=True} and one {@code BasicTransformerBlock}): GroupNorm, flatten
 * the H·W pixels into tokens, {@code proj_in}, then pre-norm self-attention, cross-attention to the
 * text tokens and a GEGLU feed-forward, {@code proj_out}, reshape back and add the input.
 */
final class Transformer2D extends Module {
    private final GroupNorm norm;                     // GroupNorm(groups, C, 1e-6), as diffusers
    private final Linear projIn, projOut;             // [C, C]
    private final LayerNorm norm1, norm2, norm3;
    private final Attention attn1, attn2;
    private final Linear ffIn;                        // ff.net.0.proj [2·4C, C]: value | gate
    private final Linear ffOut;                       // ff.net.2 [C, 4C]

    Transformer2D(int channels, int contextDim, int headDim, int groups, Rng rng) {
        norm = child("norm", new GroupNorm(groups, channels, 1e-6f, true));
        projIn = child("proj_in", new Linear(channels, channels, true, rng));
        String b = "transformer_blocks.0.";
        norm1 = child(b + "norm1", new LayerNorm(channels, 1e-5f, true));
        attn1 = child(b + "attn1", new Attention(channels, channels, headDim, rng));
        norm2 = child(b + "norm2", new LayerNorm(channels, 1e-5f, true));
        attn2 = child(b + "attn2", new Attention(channels, contextDim, headDim, rng));
        norm3 = child(b + "norm3", new LayerNorm(channels, 1e-5f, true));
        int inner = 4 * channels;
        ffIn = child(b + "ff.net.0.proj", new Linear(channels, 2 * inner, true, rng));
        ffOut = child(b + "ff.net.2", new Linear(inner, channels, true, rng));
        projOut = child("proj_out", new Linear(channels, channels, true, rng));
    }

    /** x [B, C, H, W], text [B, L, ctx] → [B, C, H, W]. */
    Tensor forward(Tensor x, Tensor text) {
        int b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        Tensor tokens = norm.forward(x).reshape(b, c, h * w).transpose(1, 2);   // [B, HW, C]
        Tensor s = projIn.forward(tokens);
        Tensor n1 = norm1.forward(s);
        s = s.add(attn1.forward(n1, n1));
        s = s.add(attn2.forward(norm2.forward(s), text));
        s = s.add(ffOut.forward(GegluOp.geglu(ffIn.forward(norm3.forward(s)))));   // value · GELU(gate)
        Tensor out = projOut.forward(s).transpose(1, 2).reshape(b, c, h, w);    // [B, C, H, W]
        return out.add(x);
    }
}
