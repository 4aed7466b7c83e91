package dev.genai4j.models.bert;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.nn.Activation;

/**
 * A BERT {@code config.json} (HF {@code BertConfig}; absent keys take HF's defaults). Only the
 * absolute position embeddings of the original BERT are supported.
 *
 * <pre>{@code
 * BertConfig c = BertConfig.from(JsonConfig.read(Path.of("models/minilm/config.json")));
 * int headDim = c.hiddenSize() / c.numAttentionHeads();   // 32
 * }</pre>
 */
public record BertConfig(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
                         int intermediateSize, Activation hiddenAct, int maxPositionEmbeddings,
                         int typeVocabSize, float layerNormEps, int padTokenId) {

    public BertConfig {
        if (hiddenSize <= 0 || numAttentionHeads <= 0 || hiddenSize % numAttentionHeads != 0) {
            throw new ConfigException("BERT config: hidden_size " + hiddenSize + " must be a positive multiple of num_attention_heads " + numAttentionHeads);
        }
        if (numHiddenLayers <= 0 || intermediateSize <= 0 || vocabSize <= 0 || maxPositionEmbeddings <= 0) {
            throw new ConfigException("BERT config: num_hidden_layers, intermediate_size, vocab_size and max_position_embeddings must be positive, got "
                    + numHiddenLayers + ", " + intermediateSize + ", " + vocabSize + ", " + maxPositionEmbeddings);
        }
    }

    public static BertConfig from(JsonConfig j) {
        String pet = j.getString("position_embedding_type", "absolute");
        if (!pet.equals("absolute")) {
            throw new ConfigException(j.file() + ": position_embedding_type '" + pet + "' is not supported (only 'absolute')");
        }
        Activation act;
        try {
            act = Activation.fromHf(j.getString("hidden_act", "gelu"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(j.file() + ": hidden_act: " + e.getMessage(), e);
        }
        return new BertConfig(j.getInt("vocab_size", 30522), j.getInt("hidden_size", 768),
                j.getInt("num_hidden_layers", 12), j.getInt("num_attention_heads", 12),
                j.getInt("intermediate_size", 3072), act, j.getInt("max_position_embeddings", 512),
                j.getInt("type_vocab_size", 2), (float) j.getDouble("layer_norm_eps", 1e-12),
                j.getInt("pad_token_id", 0));
    }

    public int headDim() { return hiddenSize / numAttentionHeads; }
}
