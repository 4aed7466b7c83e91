package dev.genai4j.models.bert;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.AttentionMask;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.MultiHeadAttention;
import dev.genai4j.tensor.Tensor;

/**
 * One post-LN transformer encoder layer (arXiv 1810.04805; HF {@code BertLayer}):
 * {@code x = LN(x + Attn(x)); x = LN(x + W2·act(W1·x))}.
 */
final class BertLayer extends Module {
    private final MultiHeadAttention attention;   // attention.self.{query,key,value}, attention.output.dense
    private final LayerNorm attentionNorm;        // attention.output.LayerNorm
    private final Linear intermediate;            // intermediate.dense [I, H]
    private final Linear output;                  // output.dense [H, I]
    private final LayerNorm outputNorm;           // output.LayerNorm
    private final BertConfig c;

    private BertLayer(BertConfig c, MultiHeadAttention attention, LayerNorm attentionNorm, Linear intermediate,
                      Linear output, LayerNorm outputNorm) {
        this.c = c;
        this.attention = child("attention", attention);
        this.attentionNorm = child("attention.output.LayerNorm", attentionNorm);
        this.intermediate = child("intermediate.dense", intermediate);
        this.output = child("output.dense", output);
        this.outputNorm = child("output.LayerNorm", outputNorm);
    }

    static BertLayer load(Weights w, BertConfig c) {
        var cfg = MultiHeadAttention.Config.of(c.hiddenSize(), c.numAttentionHeads())
                .withBias(true, true).withNames(MultiHeadAttention.Names.BERT);
        return new BertLayer(c,
                MultiHeadAttention.load(w.sub("attention"), cfg, null),
                LayerNorm.load(w.sub("attention").sub("output").sub("LayerNorm"), c.hiddenSize(), c.layerNormEps(), true),
                Linear.load(w.sub("intermediate").sub("dense"), c.hiddenSize(), c.intermediateSize(), true),
                Linear.load(w.sub("output").sub("dense"), c.intermediateSize(), c.hiddenSize(), true),
                LayerNorm.load(w.sub("output").sub("LayerNorm"), c.hiddenSize(), c.layerNormEps(), true));
    }

    /** x: [B, T, H] → [B, T, H]. */
    Tensor forward(Tensor x, AttentionMask mask) {
        x = attentionNorm.forward(x.add(attention.forward(x, mask, null, null)));
        Tensor h = c.hiddenAct().apply(intermediate.forward(x));        // [B, T, I]
        return outputNorm.forward(x.add(output.forward(h)));
    }
}
