package dev.genai4j.models.gliner;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;

import java.util.Set;

/**
 * A GLiNER {@code gliner_config.json} (urchade/GLiNER {@code GLiNERConfig}), with the defaults of
 * the reference for absent keys. Older checkpoints say {@code has_rnn: true}, newer ones
 * {@code num_rnn_layers: N}; both become {@link #numRnnLayers()}. {@code encoder_config} is the
 * backbone's HF config, embedded, or null when the reference would fetch it by {@code model_name}.
 * A non-null {@code labels_encoder} makes a bi-encoder: labels are encoded by their own model
 * ({@code labels_encoder_config}) and mean-pooled, and the text carries no prompt.
 *
 * <pre>{@code
 * GlinerConfig c = GlinerConfig.from(JsonConfig.read(dir.resolve("gliner_config.json")));
 * c.maxWidth();   // 12: spans of 1..12 words
 * }</pre>
 *
 * @param hiddenSize        width of the span / prompt heads (the backbone is projected to it when wider or narrower)
 * @param classTokenIndex   id of {@code ent_token} in the tokenizer: prompt entries are read at its positions
 * @param maxWidth          longest span in words
 * @param maxLen            most words per text (the reference drops the rest)
 * @param embedEntToken     true: a label is represented at its {@code <<ENT>>} token; false: at the token after it
 * @param encoderConfig     the backbone's config.json, or null when not embedded
 * @param biEncoder         {@code labels_encoder} is set: labels have their own encoder
 * @param labelsEncoderConfig the labels encoder's config.json ({@code labels_encoder_config}), or null
 */
public record GlinerConfig(int hiddenSize, int classTokenIndex, int maxWidth, String spanMode, int maxLen,
                           String entToken, String sepToken, boolean embedEntToken, String wordsSplitterType,
                           int numRnnLayers, String subtokenPooling, String modelName, JsonConfig encoderConfig,
                           boolean biEncoder, JsonConfig labelsEncoderConfig) {

    /** Backbone {@code model_type}s that run here. */
    static final java.util.List<String> SUPPORTED_BACKBONES = java.util.List.of("bert", "modernbert", "deberta-v2");

    /** Span modes the reference defines; only {@code markerV0} runs here so far. */
    static final Set<String> KNOWN_SPAN_MODES = Set.of("markerV0", "marker", "query", "mlp", "cat", "conv_conv",
            "conv_max", "conv_mean", "conv_sum", "conv_share", "token_level");

    public GlinerConfig {
        if (hiddenSize <= 0 || maxWidth <= 0 || maxLen <= 0 || numRnnLayers < 0) {
            throw new ConfigException("GLiNER config: hidden_size " + hiddenSize + ", max_width " + maxWidth + ", max_len "
                    + maxLen + " must be positive and num_rnn_layers " + numRnnLayers + " non-negative");
        }
        if (!spanMode.equals("markerV0") && !spanMode.equals("token_level")) {
            throw new ConfigException("GLiNER config: span_mode '" + spanMode + "' is "
                    + (KNOWN_SPAN_MODES.contains(spanMode) ? "not supported yet" : "unknown") + "; supported: markerV0, token_level");
        }
        if (!wordsSplitterType.equals("whitespace")) {
            // the reference's other splitters wrap spaCy, MeCab, Jieba … which have no Java twin here
            throw new ConfigException("GLiNER config: words_splitter_type '" + wordsSplitterType + "' is not supported; supported: whitespace (the regex splitter)");
        }
        if (!subtokenPooling.equals("first")) {
            throw new ConfigException("GLiNER config: subtoken_pooling '" + subtokenPooling + "' is not supported; supported: first");
        }
    }

    /** Without a labels encoder config (the constructor before bi-encoders ran here). */
    public GlinerConfig(int hiddenSize, int classTokenIndex, int maxWidth, String spanMode, int maxLen, String entToken, String sepToken,
                        boolean embedEntToken, String wordsSplitterType, int numRnnLayers, String subtokenPooling, String modelName,
                        JsonConfig encoderConfig, boolean biEncoder) {
        this(hiddenSize, classTokenIndex, maxWidth, spanMode, maxLen, entToken, sepToken, embedEntToken, wordsSplitterType, numRnnLayers,
                subtokenPooling, modelName, encoderConfig, biEncoder, null);
    }

    /**
     * The labels encoder's family (bi-encoder only) from {@code labels_encoder_config.model_type}.
     *
     * @throws ConfigException when the config is not embedded or the family cannot run here
     */
    public String labelsBackbone() {
        if (labelsEncoderConfig == null) {
            throw new ConfigException("GLiNER: labels_encoder is set (bi-encoder) but labels_encoder_config is null; the reference would fetch it"
                    + " from the Hub. Embed the labels encoder's config.json as labels_encoder_config in gliner_config.json");
        }
        String type = labelsEncoderConfig.getString("model_type", "");
        if (!SUPPORTED_BACKBONES.contains(type)) {
            throw new ConfigException("GLiNER: labels encoder model_type '" + type + "' is not supported yet; supported: " + String.join(", ", SUPPORTED_BACKBONES));
        }
        return type;
    }

    /** Span mode {@code token_level}: start / end / inside scores per word instead of span scores. */
    public boolean tokenLevel() { return spanMode.equals("token_level"); }

    public static GlinerConfig from(JsonConfig j) {
        int rnn = j.has("num_rnn_layers") ? j.getInt("num_rnn_layers") : (j.getBoolean("has_rnn", true) ? 1 : 0);
        String mode = j.getString("span_mode", "markerV0");
        try {
            return new GlinerConfig(j.getInt("hidden_size", 512), j.getInt("class_token_index", -1), j.getInt("max_width", 12),
                    mode, j.getInt("max_len", 384), j.getString("ent_token", "<<ENT>>"), j.getString("sep_token", "<<SEP>>"),
                    j.getBoolean("embed_ent_token", true), j.getString("words_splitter_type", "whitespace"), rnn,
                    j.getString("subtoken_pooling", "first"), j.getString("model_name", "microsoft/deberta-v3-small"),
                    j.getObjectOrNull("encoder_config"), j.has("labels_encoder"), j.getObjectOrNull("labels_encoder_config"));
        } catch (ConfigException e) {
            throw new ConfigException(j.file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The backbone family from {@code encoder_config.model_type} (or, when not embedded, from
     * {@code model_name}: the published DeBERTa-v3 backbones are known); throws for backbones that cannot run here yet.
     */
    public String backbone() {
        String type = encoderConfig != null ? encoderConfig.getString("model_type", "") : "";
        if (SUPPORTED_BACKBONES.contains(type)) return type;
        // GLiNER v2.x configs name a published DeBERTa-v3 and embed nothing: its config is known here
        if (encoderConfig == null && dev.genai4j.models.deberta.PublishedDebertaConfigs.known(modelName)) return "deberta-v2";
        if (encoderConfig == null) {
            throw new ConfigException("GLiNER: encoder_config is null; the reference would fetch the config of '" + modelName
                    + "' from the Hub. Embed that config.json as encoder_config in gliner_config.json");
        }
        throw new ConfigException("GLiNER: backbone model_type '" + type + "' is not supported yet; supported backbones: " + String.join(", ", SUPPORTED_BACKBONES));
    }
}
