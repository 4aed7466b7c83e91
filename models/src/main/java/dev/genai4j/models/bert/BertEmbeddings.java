package dev.genai4j.models.bert;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Embedding;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Tensor;

/** word + absolute position + token type embeddings, then LayerNorm (HF {@code BertEmbeddings}). */
final class BertEmbeddings extends Module {
    private final Embedding word;        // [V, H]
    private final Embedding position;    // [P, H]
    private final Embedding tokenType;   // [types, H], or null when type_vocab_size is 0
    private final LayerNorm norm;

    private BertEmbeddings(Embedding word, Embedding position, Embedding tokenType, LayerNorm norm) {
        this.word = child("word_embeddings", word);
        this.position = child("position_embeddings", position);
        this.tokenType = tokenType == null ? null : child("token_type_embeddings", tokenType);
        this.norm = child("LayerNorm", norm);
    }

    static BertEmbeddings load(Weights w, BertConfig c) {
        return new BertEmbeddings(
                Embedding.load(w.sub("word_embeddings"), c.vocabSize(), c.hiddenSize(), c.padTokenId()),
                Embedding.load(w.sub("position_embeddings"), c.maxPositionEmbeddings(), c.hiddenSize(), null),
                c.typeVocabSize() > 0 ? Embedding.load(w.sub("token_type_embeddings"), c.typeVocabSize(), c.hiddenSize(), null) : null,
                LayerNorm.load(w.sub("LayerNorm"), c.hiddenSize(), c.layerNormEps(), true));
    }

    /** ids, typeIds: [B, T] → [B, T, H]; positions are 0 … T−1 for every row, as in HF. */
    Tensor forward(Tensor ids, Tensor typeIds) {
        int t = ids.size(1);
        Tensor x = word.forward(ids);                                     // [B, T, H]
        Tensor pos = position.forward(Tensor.arange(t));                  // [T, H]
        x = x.add(pos);
        if (tokenType != null) x = x.add(tokenType.forward(typeIds));
        return norm.forward(x);
    }
}
