package dev.genai4j.models.clip;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Activation;
import dev.genai4j.nn.AttentionMask;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.MultiHeadAttention;
import dev.genai4j.tensor.Tensor;

/**
 * One pre-LN transformer block of either CLIP tower (arXiv 2103.00020; HF {@code CLIPEncoderLayer}):
 * {@code x += Attn(LN1(x)); x += fc2(act(fc1(LN2(x))))}. Attention runs on the fused kernel.
 */
final class ClipEncoderLayer extends Module {
    private final LayerNorm norm1;            // layer_norm1 [D]
    private final MultiHeadAttention attn;    // self_attn.{q,k,v,out}_proj [D, D] with bias
    private final LayerNorm norm2;            // layer_norm2 [D]
    private final Linear fc1;                 // mlp.fc1 [I, D]
    private final Linear fc2;                 // mlp.fc2 [D, I]
    private final Activation act;

    private ClipEncoderLayer(LayerNorm norm1, MultiHeadAttention attn, LayerNorm norm2, Linear fc1, Linear fc2, Activation act) {
        this.norm1 = child("layer_norm1", norm1);
        this.attn = child("self_attn", attn);
        this.norm2 = child("layer_norm2", norm2);
        this.fc1 = child("mlp.fc1", fc1);
        this.fc2 = child("mlp.fc2", fc2);
        this.act = act;
    }

    static ClipEncoderLayer load(Weights w, int hidden, int heads, int intermediate, Activation act, float eps) {
        var cfg = MultiHeadAttention.Config.of(hidden, heads).withNames(MultiHeadAttention.Names.CLIP).withBias(true, true);
        return new ClipEncoderLayer(LayerNorm.load(w.sub("layer_norm1"), hidden, eps, true),
                MultiHeadAttention.load(w.sub("self_attn"), cfg, null),
                LayerNorm.load(w.sub("layer_norm2"), hidden, eps, true),
                Linear.load(w.sub("mlp.fc1"), hidden, intermediate, true),
                Linear.load(w.sub("mlp.fc2"), intermediate, hidden, true), act);
    }

    /** x: [B, T, D] → [B, T, D]; {@code mask} null for full bidirectional attention (the image tower). */
    Tensor forward(Tensor x, AttentionMask mask) {
        x = x.add(attn.forward(norm1.forward(x), mask, null, null));
        return x.add(fc2.forward(act.apply(fc1.forward(norm2.forward(x)))));
    }
}
