package dev.genai4j.models.deberta;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.nn.Activation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A DeBERTa-v2/v3 {@code config.json} (HF {@code DebertaV2Config}; absent keys take HF's defaults,
 * including the {@code getattr} defaults of the modeling code). Both layouts the Hub carries are
 * read: {@code save_pretrained}'s ({@code "pos_att_type": ["p2c", "c2p"]}) and the original
 * microsoft/deberta-v3-* one ({@code "pos_att_type": "p2c|c2p"}).
 *
 * <pre>{@code
 * DebertaV2Config c = DebertaV2Config.from(JsonConfig.read(Path.of("deberta-v3-small/config.json")));
 * c.attentionSpan();   // 256: position_buckets
 * c.scaleFactor();     // 3: content + c2p + p2c
 * }</pre>
 *
 * @param embeddingSize        width of the embedding tables ({@code embedding_size}, default hidden_size); projected by {@code embeddings.embed_proj} when it differs
 * @param attentionHeadSize    per-head width ({@code attention_head_size}, default hidden_size / heads)
 * @param relativeAttention    {@code relative_attention}: the disentangled c2p / p2c terms and {@code encoder.rel_embeddings}
 * @param maxRelativePositions {@code max_relative_positions} after HF's rule: below 1 means max_position_embeddings
 * @param positionBuckets      {@code position_buckets}, or −1 for plain clipped distances
 * @param c2p                  {@code pos_att_type} has content→position
 * @param p2c                  {@code pos_att_type} has position→content
 * @param normRelEmbedding     {@code norm_rel_ebd} has {@code layer_norm}: {@code encoder.LayerNorm} on the relative embeddings
 */
public record DebertaV2Config(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads, int intermediateSize,
                              Activation hiddenAct, int maxPositionEmbeddings, int typeVocabSize, float layerNormEps,
                              int padTokenId, int embeddingSize, int attentionHeadSize, boolean positionBiasedInput,
                              boolean relativeAttention, int maxRelativePositions, int positionBuckets, boolean shareAttKey,
                              boolean c2p, boolean p2c, boolean normRelEmbedding) {

    public DebertaV2Config {
        if (hiddenSize <= 0 || numAttentionHeads <= 0 || attentionHeadSize <= 0) {
            throw new ConfigException("DeBERTa-v2 config: hidden_size " + hiddenSize + ", num_attention_heads " + numAttentionHeads
                    + " and attention_head_size " + attentionHeadSize + " must be positive");
        }
        if (numHiddenLayers <= 0 || intermediateSize <= 0 || vocabSize <= 0 || maxPositionEmbeddings <= 0 || embeddingSize <= 0) {
            throw new ConfigException("DeBERTa-v2 config: num_hidden_layers, intermediate_size, vocab_size, max_position_embeddings and"
                    + " embedding_size must be positive, got " + numHiddenLayers + ", " + intermediateSize + ", " + vocabSize + ", "
                    + maxPositionEmbeddings + ", " + embeddingSize);
        }
        if (relativeAttention && maxRelativePositions < 1) {
            throw new ConfigException("DeBERTa-v2 config: max_relative_positions resolved to " + maxRelativePositions + "; must be ≥ 1");
        }
    }

    /** The position→content / content→position terms the reference knows. */
    private static final List<String> KNOWN_POS_ATT = List.of("c2p", "p2c");

    /** Norms of {@code norm_rel_ebd} the reference knows. */
    private static final List<String> KNOWN_REL_NORMS = List.of("layer_norm", "none");

    /**
     * Reads {@code config.json}.
     *
     * @throws ConfigException for {@code conv_kernel_size} (DeBERTa-v2-xlarge's convolution layer), an unknown
     *                         {@code pos_att_type} or {@code norm_rel_ebd}, or an unknown {@code hidden_act}
     */
    public static DebertaV2Config from(JsonConfig j) {
        String where = j.file();
        if (j.has("conv_kernel_size") && j.getInt("conv_kernel_size") > 0) {
            // ConvLayer after the first layer (microsoft/deberta-v2-xlarge, -xxlarge): not in DeBERTa-v3
            throw new ConfigException(where + ": conv_kernel_size " + j.getInt("conv_kernel_size")
                    + " asks for the DeBERTa-v2-xlarge-style convolution layer (encoder.conv), which is not supported;"
                    + " DeBERTa-v3 checkpoints have no conv_kernel_size");
        }
        boolean c2p = false, p2c = false;
        for (String t : posAttTypes(j)) {
            switch (t) {
                case "c2p" -> c2p = true;
                case "p2c" -> p2c = true;
                default -> throw new ConfigException(where + ": pos_att_type '" + t + "' is not known; DeBERTa-v2 supports "
                        + String.join(", ", KNOWN_POS_ATT));
            }
        }
        boolean normRel = false;
        for (String n : j.getString("norm_rel_ebd", "none").toLowerCase(Locale.ROOT).split("\\|")) {
            String s = n.strip();
            if (!KNOWN_REL_NORMS.contains(s)) {
                throw new ConfigException(where + ": norm_rel_ebd '" + s + "' is not known; expected " + String.join(" or ", KNOWN_REL_NORMS));
            }
            if (s.equals("layer_norm")) normRel = true;
        }
        Activation act;
        try {
            act = Activation.fromHf(j.getString("hidden_act", "gelu"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": hidden_act: " + e.getMessage(), e);
        }
        int hidden = j.getInt("hidden_size", 1536), heads = j.getInt("num_attention_heads", 24);
        int maxPos = j.getInt("max_position_embeddings", 512);
        int maxRel = j.getInt("max_relative_positions", -1);
        if (maxRel < 1) maxRel = maxPos;
        if (heads > 0 && hidden % heads != 0 && !j.has("attention_head_size")) {
            throw new ConfigException(where + ": hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
        }
        try {
            return new DebertaV2Config(j.getInt("vocab_size", 128100), hidden, j.getInt("num_hidden_layers", 24), heads,
                    j.getInt("intermediate_size", 6144), act, maxPos, j.getInt("type_vocab_size", 0),
                    (float) j.getDouble("layer_norm_eps", 1e-7), j.getInt("pad_token_id", 0), j.getInt("embedding_size", hidden),
                    j.getInt("attention_head_size", heads > 0 ? hidden / heads : 0), j.getBoolean("position_biased_input", true),
                    j.getBoolean("relative_attention", false), maxRel, j.getInt("position_buckets", -1),
                    j.getBoolean("share_att_key", false), c2p, p2c, normRel);
        } catch (ConfigException e) {
            throw new ConfigException(where + ": " + e.getMessage(), e);
        }
    }

    /** {@code pos_att_type}: a list, a "|"-separated string (lower-cased, as HF does), or absent / null (none). */
    private static List<String> posAttTypes(JsonConfig j) {
        if (!j.has("pos_att_type")) return List.of();
        List<String> raw;
        if (j.tree().get("pos_att_type").isTextual()) {
            raw = List.of(j.getString("pos_att_type").split("\\|"));
        } else {
            raw = j.getStringList("pos_att_type");
        }
        List<String> out = new ArrayList<>();
        for (String s : raw) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            if (!t.isEmpty()) out.add(t);
        }
        return out;
    }

    /** All heads together: the width of query_proj / key_proj / value_proj outputs. */
    public int allHeadSize() { return numAttentionHeads * attentionHeadSize; }

    /** {@code att_span} of the attention: position_buckets when bucketed, else max_relative_positions. */
    public int attentionSpan() { return positionBuckets > 0 ? positionBuckets : maxRelativePositions; }

    /** Rows of {@code encoder.rel_embeddings}: twice the span. */
    public int relEmbeddingRows() { return 2 * attentionSpan(); }

    /** 1 + the number of relative terms: scores are divided by √(head_dim · this). */
    public int scaleFactor() { return 1 + (c2p ? 1 : 0) + (p2c ? 1 : 0); }
}
