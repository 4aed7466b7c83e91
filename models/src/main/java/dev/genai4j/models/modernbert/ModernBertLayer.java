package dev.genai4j.models.modernbert;

import dev.genai4j.io.Weights;
import dev.genai4j.models.modernbert.ModernBertConfig.LayerType;
import dev.genai4j.nn.GatedMlp;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.Positions;
import dev.genai4j.nn.Rope;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

/**
 * One ModernBERT encoder layer (arXiv 2412.13663; HF {@code ModernBertEncoderLayer}): pre-norm
 * attention and a GeGLU MLP, each added to the residual stream. Layer 0 has no attention norm
 * (HF uses Identity there, because the embeddings end in a norm already).
 */
final class ModernBertLayer extends Module {
    private final LayerNorm attnNorm;          // [H], or null in layer 0
    private final ModernBertAttention attn;
    private final LayerNorm mlpNorm;           // [H]
    private final GatedMlp mlp;                // Wi [2I, H] → act(input half) · gate half → Wo [H, I]

    private ModernBertLayer(LayerNorm attnNorm, ModernBertAttention attn, LayerNorm mlpNorm, GatedMlp mlp) {
        this.attnNorm = child("attn_norm", attnNorm);
        this.attn = child("attn", attn);
        this.mlpNorm = child("mlp_norm", mlpNorm);
        this.mlp = child("mlp", mlp);
    }

    static ModernBertLayer load(Weights w, ModernBertConfig c, int index, Rng rng) {
        int h = c.hiddenSize();
        LayerNorm attnNorm = index == 0 ? null : LayerNorm.load(w.sub("attn_norm"), h, c.normEps(), c.normBias());
        LayerType type = c.layerTypes().get(index);
        GatedMlp mlp = GatedMlp.loadFused(w.sub("mlp"), h, c.intermediateSize(), c.hiddenActivation(), c.mlpBias(),
                GatedMlp.FusedNames.MODERNBERT);
        if (c.mlpDropout() > 0f) mlp.withDropout(c.mlpDropout(), rng);
        return new ModernBertLayer(attnNorm, ModernBertAttention.load(w.sub("attn"), c, type, rng),
                LayerNorm.load(w.sub("mlp_norm"), h, c.normEps(), c.normBias()), mlp);
    }

    /** x: [B, T, H] → [B, T, H]. */
    Tensor forward(Tensor x, Tensor attentionMask, Rope rope, Positions positions) {
        Tensor h = attnNorm == null ? x : attnNorm.forward(x);
        x = x.add(attn.forward(h, attentionMask, rope, positions));
        return x.add(mlp.forward(mlpNorm.forward(x)));
    }

    LayerType type() { return attn.type(); }

    ModernBertAttention attn() { return attn; }
}
