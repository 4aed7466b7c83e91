package dev.genai4j.models.modernbert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.nn.Activation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ModernBERT's {@code config.json} (arXiv 2412.13663; fields and defaults as HF
 * {@code configuration_modernbert.py}). Both published layouts are read:
 * <ul>
 *   <li>classic (transformers 4.48–4.5x): {@code global_attn_every_n_layers},
 *       {@code global_rope_theta}, {@code local_rope_theta} ({@code null} there means "local layers
 *       use the global θ");</li>
 *   <li>transformers 5: {@code layer_types} ({@code full_attention} / {@code sliding_attention}) and
 *       {@code rope_parameters} keyed by layer type, each with {@code rope_theta}.</li>
 * </ul>
 * {@code local_attention} is the whole local window: a local layer's query i sees keys
 * {@code |i − j| ≤ local_attention / 2}.
 *
 * <pre>{@code
 * ModernBertConfig c = ModernBertConfig.read(Path.of("ModernBERT-base/config.json"));
 * c.layerTypes().get(1);        // LayerType.LOCAL
 * c.ropeTheta(LayerType.LOCAL); // 10000.0
 * }</pre>
 */
public record ModernBertConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        Activation hiddenActivation,
        int maxPositionEmbeddings,
        float normEps,
        boolean normBias,
        int padTokenId,
        boolean attentionBias,
        float attentionDropout,
        List<LayerType> layerTypes,
        double globalRopeTheta,
        double localRopeTheta,
        int localAttention,
        float embeddingDropout,
        boolean mlpBias,
        float mlpDropout,
        boolean decoderBias,
        Pooling classifierPooling,
        float classifierDropout,
        boolean classifierBias,
        Activation classifierActivation,
        boolean tieWordEmbeddings,
        int numLabels,
        double initializerRange,
        double initializerCutoffFactor) {

    /** What a layer attends to: every key, or the keys within ±local_attention/2. */
    public enum LayerType {
        GLOBAL("full_attention"), LOCAL("sliding_attention");

        private final String hfName;

        LayerType(String hfName) { this.hfName = hfName; }

        /** The transformers-5 name ({@code full_attention} / {@code sliding_attention}). */
        public String hfName() { return hfName; }
    }

    /** How {@code ForSequenceClassification} pools the last hidden state. */
    public enum Pooling { CLS, MEAN }

    public ModernBertConfig {
        layerTypes = List.copyOf(layerTypes);
        if (hiddenSize <= 0 || numAttentionHeads <= 0 || hiddenSize % numAttentionHeads != 0) {
            throw new ConfigException("modernbert config: hidden_size " + hiddenSize
                    + " must be a positive multiple of num_attention_heads " + numAttentionHeads);
        }
        if (layerTypes.size() != numHiddenLayers) {
            throw new ConfigException("modernbert config: layer_types has " + layerTypes.size()
                    + " entries, num_hidden_layers is " + numHiddenLayers);
        }
        if (vocabSize <= 0 || intermediateSize <= 0 || maxPositionEmbeddings <= 0 || localAttention < 0) {
            throw new ConfigException("modernbert config: vocab_size, intermediate_size, max_position_embeddings must be positive"
                    + " and local_attention ≥ 0, got " + vocabSize + ", " + intermediateSize + ", " + maxPositionEmbeddings
                    + ", " + localAttention);
        }
    }

    /** HF's defaults (ModernBERT-base sizes). */
    public static ModernBertConfig defaults() {
        return fromJson(JsonConfig.parse("{}", "defaults"));
    }

    /** Reads {@code config.json}. */
    public static ModernBertConfig read(java.nio.file.Path file) {
        return fromJson(JsonConfig.read(file));
    }

    /** Maps either config layout; an unknown value names the key and the file. */
    public static ModernBertConfig fromJson(JsonConfig c) {
        String type = c.getString("model_type", "modernbert");
        if (!type.equals("modernbert")) {
            throw new ConfigException("config file " + c.file() + ": model_type is '" + type + "', expected 'modernbert'");
        }
        int layers = c.getInt("num_hidden_layers", 22);
        List<LayerType> types = layerTypes(c, layers);

        double globalTheta = c.getDouble("global_rope_theta", 160_000.0);
        // classic: an explicit null local_rope_theta makes local layers use the global θ (HF 4.48 attention init)
        JsonNode rawLocal = c.tree().get("local_rope_theta");
        double localTheta = rawLocal != null && rawLocal.isNull() ? globalTheta : c.getDouble("local_rope_theta", 10_000.0);
        JsonConfig rope = c.getObjectOrNull("rope_parameters");
        if (rope != null) {
            globalTheta = ropeTheta(rope, LayerType.GLOBAL, globalTheta);
            localTheta = ropeTheta(rope, LayerType.LOCAL, localTheta);
        }
        if (c.has("rope_scaling")) {
            throw new ConfigException("config file " + c.file() + ": key 'rope_scaling' is set; only default RoPE is supported");
        }

        String pooling = c.getString("classifier_pooling", "cls");
        Pooling pool = switch (pooling) {
            case "cls" -> Pooling.CLS;
            case "mean" -> Pooling.MEAN;
            default -> throw new ConfigException("config file " + c.file() + ": key 'classifier_pooling' must be \"cls\" or \"mean\", found \""
                    + pooling + "\"");
        };
        int numLabels = c.has("id2label") ? c.getObject("id2label").keys().size() : c.getInt("num_labels", 2);

        return new ModernBertConfig(
                c.getInt("vocab_size", 50368),
                c.getInt("hidden_size", 768),
                c.getInt("intermediate_size", 1152),
                layers,
                c.getInt("num_attention_heads", 12),
                activation(c, "hidden_activation"),
                c.getInt("max_position_embeddings", 8192),
                (float) c.getDouble("norm_eps", 1e-5),
                c.getBoolean("norm_bias", false),
                c.getInt("pad_token_id", 50283),
                c.getBoolean("attention_bias", false),
                (float) c.getDouble("attention_dropout", 0.0),
                types,
                globalTheta,
                localTheta,
                c.getInt("local_attention", 128),
                (float) c.getDouble("embedding_dropout", 0.0),
                c.getBoolean("mlp_bias", false),
                (float) c.getDouble("mlp_dropout", 0.0),
                c.getBoolean("decoder_bias", true),
                pool,
                (float) c.getDouble("classifier_dropout", 0.0),
                c.getBoolean("classifier_bias", false),
                activation(c, "classifier_activation"),
                c.getBoolean("tie_word_embeddings", true),
                numLabels,
                c.getDouble("initializer_range", 0.02),
                // HF: 2.0 when absent; an explicit null means 3 (its _init_weights fallback)
                c.tree().has("initializer_cutoff_factor") && !c.has("initializer_cutoff_factor")
                        ? 3.0 : c.getDouble("initializer_cutoff_factor", 2.0));
    }

    private static List<LayerType> layerTypes(JsonConfig c, int layers) {
        List<LayerType> out = new ArrayList<>(layers);
        if (c.has("layer_types")) {
            List<String> names = c.getStringList("layer_types");
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                if (n.equals(LayerType.GLOBAL.hfName())) out.add(LayerType.GLOBAL);
                else if (n.equals(LayerType.LOCAL.hfName())) out.add(LayerType.LOCAL);
                else throw new ConfigException("config file " + c.file() + ": layer_types[" + i + "] is \"" + n
                            + "\", expected \"full_attention\" or \"sliding_attention\"");
            }
            return out;
        }
        int every = c.getInt("global_attn_every_n_layers", 3);
        if (every <= 0) {
            throw new ConfigException("config file " + c.file() + ": global_attn_every_n_layers must be positive, got " + every);
        }
        for (int i = 0; i < layers; i++) out.add(i % every == 0 ? LayerType.GLOBAL : LayerType.LOCAL);
        return out;
    }

    private static double ropeTheta(JsonConfig rope, LayerType t, double fallback) {
        JsonConfig p = rope.getObjectOrNull(t.hfName());
        if (p == null) return fallback;
        String kind = p.getString("rope_type", "default");
        if (!kind.equals("default")) {
            throw new ConfigException("config file " + rope.file() + ": rope_parameters." + t.hfName() + ".rope_type is \""
                    + kind + "\"; only \"default\" is supported");
        }
        return p.getDouble("rope_theta", fallback);
    }

    private static Activation activation(JsonConfig c, String key) {
        String name = c.getString(key, "gelu");
        try {
            return Activation.fromHf(name.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config file " + c.file() + ": key '" + key + "': " + e.getMessage(), e);
        }
    }

    public int headDim() { return hiddenSize / numAttentionHeads; }

    /** This config with another number of classifier labels (fine-tuning a task head). */
    public ModernBertConfig withNumLabels(int n) {
        if (n < 1) throw new ConfigException("modernbert config: num_labels must be ≥ 1, got " + n);
        return new ModernBertConfig(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, hiddenActivation,
                maxPositionEmbeddings, normEps, normBias, padTokenId, attentionBias, attentionDropout, layerTypes, globalRopeTheta,
                localRopeTheta, localAttention, embeddingDropout, mlpBias, mlpDropout, decoderBias, classifierPooling,
                classifierDropout, classifierBias, classifierActivation, tieWordEmbeddings, n, initializerRange,
                initializerCutoffFactor);
    }

    /** The RoPE base of layers of this type. */
    public double ropeTheta(LayerType t) { return t == LayerType.GLOBAL ? globalRopeTheta : localRopeTheta; }
}
