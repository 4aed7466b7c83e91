package dev.genai4j.models.clip;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.nn.Activation;

/**
 * The text tower of a CLIP {@code config.json} ({@code text_config}, HF {@code CLIPTextConfig};
 * absent keys take HF's defaults, which are OpenAI ViT-B/32's).
 *
 * <pre>{@code
 * ClipTextConfig t = ClipConfig.from(JsonConfig.read(dir.resolve("config.json"))).text();
 * int maxTokens = t.maxPositionEmbeddings();   // 77
 * }</pre>
 *
 * @param eosTokenId which token pools the sequence; 2 selects HF's legacy rule (argmax of the ids)
 */
public record ClipTextConfig(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
                             int numAttentionHeads, int maxPositionEmbeddings, Activation hiddenAct,
                             float layerNormEps, int bosTokenId, int eosTokenId, int padTokenId) {

    public ClipTextConfig {
        check("text_config", hiddenSize, numAttentionHeads, numHiddenLayers, intermediateSize);
        if (vocabSize <= 0 || maxPositionEmbeddings <= 0) {
            throw new ConfigException("CLIP text_config: vocab_size and max_position_embeddings must be positive, got "
                    + vocabSize + ", " + maxPositionEmbeddings);
        }
    }

    /** HF's default CLIPTextConfig. */
    public static ClipTextConfig defaults() {
        return new ClipTextConfig(49408, 512, 2048, 12, 8, 77, Activation.QUICK_GELU, 1e-5f, 49406, 49407, 1);
    }

    static ClipTextConfig from(JsonConfig j) {
        ClipTextConfig d = defaults();
        return new ClipTextConfig(j.getInt("vocab_size", d.vocabSize), j.getInt("hidden_size", d.hiddenSize),
                j.getInt("intermediate_size", d.intermediateSize), j.getInt("num_hidden_layers", d.numHiddenLayers),
                j.getInt("num_attention_heads", d.numAttentionHeads),
                j.getInt("max_position_embeddings", d.maxPositionEmbeddings), activation(j, d.hiddenAct),
                (float) j.getDouble("layer_norm_eps", d.layerNormEps), j.getInt("bos_token_id", d.bosTokenId),
                j.getInt("eos_token_id", d.eosTokenId), j.getInt("pad_token_id", d.padTokenId));
    }

    /**
     * True when pooling takes HF's legacy rule, the position of the largest id (the EOT token is
     * the largest id of OpenAI's vocabulary): transformers ≤ 4.46 use it exactly when
     * {@code eos_token_id == 2}, the value old CLIP configs carried before PR #24773.
     */
    public boolean legacyPooling() { return eosTokenId == 2; }

    public int headDim() { return hiddenSize / numAttentionHeads; }

    static Activation activation(JsonConfig j, Activation fallback) {
        if (!j.has("hidden_act")) return fallback;
        try {
            return Activation.fromHf(j.getString("hidden_act"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(j.file() + ": hidden_act: " + e.getMessage(), e);
        }
    }

    static void check(String where, int hidden, int heads, int layers, int intermediate) {
        if (hidden <= 0 || heads <= 0 || hidden % heads != 0) {
            throw new ConfigException("CLIP " + where + ": hidden_size " + hidden + " must be a positive multiple of num_attention_heads " + heads);
        }
        if (layers <= 0 || intermediate <= 0) {
            throw new ConfigException("CLIP " + where + ": num_hidden_layers and intermediate_size must be positive, got " + layers + ", " + intermediate);
        }
    }
}
