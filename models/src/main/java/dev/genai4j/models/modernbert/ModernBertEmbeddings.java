package dev.genai4j.models.modernbert;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Dropout;
import dev.genai4j.nn.Embedding;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

/**
 * Token embeddings followed by a LayerNorm and dropout (HF {@code ModernBertEmbeddings}); no
 * position or token-type tables: positions enter through RoPE in every attention layer.
 */
final class ModernBertEmbeddings extends Module {
    private final Embedding tokEmbeddings;   // [V, H]
    private final LayerNorm norm;            // [H]
    private final Dropout drop;              // embedding_dropout, or null when 0

    private ModernBertEmbeddings(Embedding tok, LayerNorm norm, Dropout drop) {
        this.tokEmbeddings = child("tok_embeddings", tok);
        this.norm = child("norm", norm);
        this.drop = child("drop", drop);
    }

    static ModernBertEmbeddings load(Weights w, ModernBertConfig c, Rng rng) {
        int pad = c.padTokenId();
        Integer paddingIdx = pad >= 0 && pad < c.vocabSize() ? pad : null;
        return new ModernBertEmbeddings(
                Embedding.load(w.sub("tok_embeddings"), c.vocabSize(), c.hiddenSize(), paddingIdx),
                LayerNorm.load(w.sub("norm"), c.hiddenSize(), c.normEps(), c.normBias()),
                c.embeddingDropout() > 0f ? new Dropout(c.embeddingDropout(), rng) : null);
    }

    /** ids: [B, T] → [B, T, H]. */
    Tensor forward(Tensor ids) {
        Tensor h = norm.forward(tokEmbeddings.forward(ids));
        return drop == null ? h : drop.forward(h);
    }

    Embedding tokEmbeddings() { return tokEmbeddings; }
}
