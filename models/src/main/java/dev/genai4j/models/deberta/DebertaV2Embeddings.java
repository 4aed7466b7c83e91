package dev.genai4j.models.deberta;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Embedding;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Tensor;

/**
 * HF {@code DebertaV2Embeddings}: word embeddings, plus absolute positions only when
 * {@code position_biased_input} (DeBERTa-v3 has none), plus token types when
 * {@code type_vocab_size > 0}, the optional {@code embed_proj}, LayerNorm, and finally the
 * attention mask multiplied in, so padded positions enter the encoder as zero vectors.
 */
final class DebertaV2Embeddings extends Module {
    private final Embedding word;        // [V, E]
    private final Embedding position;    // [P, E], or null without position_biased_input
    private final Embedding tokenType;   // [types, E], or null when type_vocab_size is 0
    private final Linear embedProj;      // [H, E] without bias, or null when E == H
    private final LayerNorm norm;

    private DebertaV2Embeddings(Embedding word, Embedding position, Embedding tokenType, Linear embedProj, LayerNorm norm) {
        this.word = child("word_embeddings", word);
        this.position = position == null ? null : child("position_embeddings", position);
        this.tokenType = tokenType == null ? null : child("token_type_embeddings", tokenType);
        this.embedProj = embedProj == null ? null : child("embed_proj", embedProj);
        this.norm = child("LayerNorm", norm);
    }

    static DebertaV2Embeddings load(Weights w, DebertaV2Config c) {
        int e = c.embeddingSize();
        return new DebertaV2Embeddings(
                Embedding.load(w.sub("word_embeddings"), c.vocabSize(), e, c.padTokenId()),
                c.positionBiasedInput() ? Embedding.load(w.sub("position_embeddings"), c.maxPositionEmbeddings(), e, null) : null,
                c.typeVocabSize() > 0 ? Embedding.load(w.sub("token_type_embeddings"), c.typeVocabSize(), e, null) : null,
                e != c.hiddenSize() ? Linear.load(w.sub("embed_proj"), e, c.hiddenSize(), false) : null,
                LayerNorm.load(w.sub("LayerNorm"), c.hiddenSize(), c.layerNormEps(), true));
    }

    /** ids, typeIds, mask: [B, T] (mask null = all tokens) → [B, T, H]; positions 0 … T−1 in every row, as HF. */
    Tensor forward(Tensor ids, Tensor typeIds, Tensor mask) {
        int t = ids.size(1);
        Tensor x = word.forward(ids);                                           // [B, T, E]
        if (position != null) x = x.add(position.forward(Tensor.arange(t)));    // + [T, E]
        if (tokenType != null) x = x.add(tokenType.forward(typeIds));
        if (embedProj != null) x = embedProj.forward(x);                        // [B, T, H]
        x = norm.forward(x);
        return mask == null ? x : x.mul(mask.unsqueeze(2));                    // padded rows → 0
    }
}
