package dev.genai4j.models.pointe;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Tensor;

/**
 * One {@code backbone.resblocks.N} of Point-E ({@code ResidualAttentionBlock}): pre-LN,
 * {@code x += c_proj(attn(c_qkv(ln_1(x)))); x += mlp.c_proj(gelu(mlp.c_fc(ln_2(x))))}, full
 * bidirectional attention over time token, conditioning tokens and points alike.
 *
 * <p>The fused {@code c_qkv} output is read as the reference's {@code QKVMultiheadAttention} does:
 * viewed {@code [B, T, heads, 3·c]} and split per head into q | k | v, which is not the
 * {@code [3, heads, c]} order other families use; q and k are each scaled by {@code c^-1/4} before the
 * product (the reference does this for fp16 stability; here it only fixes the rounding).
 */
final class PointEBlock extends Module {
    private final LayerNorm ln1;     // ln_1 [W]
    private final Linear qkv;        // attn.c_qkv [3W, W]
    private final Linear attnProj;   // attn.c_proj [W, W]
    private final LayerNorm ln2;     // ln_2 [W]
    private final Linear fc;         // mlp.c_fc [4W, W]
    private final Linear proj;       // mlp.c_proj [W, 4W]
    private final int heads;

    private PointEBlock(LayerNorm ln1, Linear qkv, Linear attnProj, LayerNorm ln2, Linear fc, Linear proj, int heads) {
        this.ln1 = child("ln_1", ln1);
        this.qkv = child("attn.c_qkv", qkv);
        this.attnProj = child("attn.c_proj", attnProj);
        this.ln2 = child("ln_2", ln2);
        this.fc = child("mlp.c_fc", fc);
        this.proj = child("mlp.c_proj", proj);
        this.heads = heads;
    }

    static PointEBlock load(Weights w, int width, int heads) {
        return new PointEBlock(LayerNorm.load(w.sub("ln_1"), width, PointETransformer.LN_EPS, true),
                Linear.load(w.sub("attn.c_qkv"), width, 3 * width, true),
                Linear.load(w.sub("attn.c_proj"), width, width, true),
                LayerNorm.load(w.sub("ln_2"), width, PointETransformer.LN_EPS, true),
                Linear.load(w.sub("mlp.c_fc"), width, 4 * width, true),
                Linear.load(w.sub("mlp.c_proj"), 4 * width, width, true), heads);
    }

    /** x: [B, T, W] → [B, T, W]. */
    Tensor forward(Tensor x) {
        x = x.add(attnProj.forward(attention(qkv.forward(ln1.forward(x)))));
        return x.add(proj.forward(fc.forward(ln2.forward(x)).gelu()));
    }

    /** qkv: [B, T, 3W] → [B, T, W]. */
    private Tensor attention(Tensor qkv) {
        int b = qkv.shape()[0], t = qkv.shape()[1], c = qkv.shape()[2] / heads / 3;
        float scale = (float) (1.0 / Math.sqrt(Math.sqrt(c)));
        Tensor perHead = qkv.view(b, t, heads, 3 * c);                              // [B, T, H, 3c]: q | k | v per head
        Tensor q = perHead.narrow(3, 0, c).permute(0, 2, 1, 3).mul(scale);          // [B, H, T, c]
        Tensor k = perHead.narrow(3, c, c).permute(0, 2, 3, 1).mul(scale);          // [B, H, c, T]
        Tensor v = perHead.narrow(3, 2 * c, c).permute(0, 2, 1, 3);                 // [B, H, T, c]
        Tensor weight = q.matmul(k).softmax(-1);                                    // [B, H, T, T]
        return weight.matmul(v).permute(0, 2, 1, 3).reshape(b, t, heads * c);       // [B, T, W]
    }
}
