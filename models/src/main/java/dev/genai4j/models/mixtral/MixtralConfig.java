package dev.genai4j.models.mixtral;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.nn.Activation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Mixtral's {@code config.json} (Jiang et al., "Mixtral of Experts", arXiv 2401.04088; fields and
 * defaults as HF {@code configuration_mixtral.py}). Also reads mistral-inference's native
 * {@code params.json} ({@code dim}, {@code n_layers}, {@code moe.num_experts} …) through
 * {@link #fromNativeParams}. {@code rope_theta} may sit at the top level (transformers 4) or in
 * {@code rope_parameters} (transformers 5). {@code eos_token_id} may be one id or a list.
 *
 * <pre>{@code
 * MixtralConfig c = MixtralConfig.read(Path.of("Mixtral-8x7B/config.json"));
 * c.numLocalExperts();      // 8
 * c.numExpertsPerTok();     // 2
 * c.headDim();              // 128
 * }</pre>
 */
public record MixtralConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        Activation hiddenAct,
        int maxPositionEmbeddings,
        float rmsNormEps,
        double ropeTheta,
        Integer slidingWindow,
        int numLocalExperts,
        int numExpertsPerTok,
        double routerAuxLossCoef,
        double routerJitterNoise,
        boolean tieWordEmbeddings,
        Integer bosTokenId,
        List<Integer> eosTokenIds,
        Integer padTokenId,
        double initializerRange) {

    public MixtralConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
        if (hiddenSize <= 0 || intermediateSize <= 0 || vocabSize <= 0 || numHiddenLayers <= 0 || maxPositionEmbeddings <= 0) {
            throw new ConfigException("mixtral config: vocab_size, hidden_size, intermediate_size, num_hidden_layers and "
                    + "max_position_embeddings must be positive, got " + vocabSize + ", " + hiddenSize + ", " + intermediateSize
                    + ", " + numHiddenLayers + ", " + maxPositionEmbeddings);
        }
        if (numAttentionHeads <= 0 || numKeyValueHeads <= 0 || numAttentionHeads % numKeyValueHeads != 0) {
            throw new ConfigException("mixtral config: num_key_value_heads (" + numKeyValueHeads
                    + ") must be positive and divide num_attention_heads (" + numAttentionHeads + ")");
        }
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new ConfigException("mixtral config: head_dim must be a positive even number (RoPE rotates pairs), got " + headDim);
        }
        if (numLocalExperts <= 0) throw new ConfigException("mixtral config: num_local_experts must be positive, got " + numLocalExperts);
        if (numExpertsPerTok <= 0 || numExpertsPerTok > numLocalExperts) {
            throw new ConfigException("mixtral config: num_experts_per_tok is " + numExpertsPerTok
                    + ", expected 1 … num_local_experts (" + numLocalExperts + ")");
        }
        if (slidingWindow != null && slidingWindow < 1) {
            throw new ConfigException("mixtral config: sliding_window must be ≥ 1 or null, got " + slidingWindow);
        }
    }

    /** Reads a HF {@code config.json}. */
    public static MixtralConfig read(Path file) { return fromJson(JsonConfig.read(file)); }

    /** Maps a HF Mixtral config; unknown or out-of-range values name the key and the file. */
    public static MixtralConfig fromJson(JsonConfig c) {
        String type = c.getString("model_type", "mixtral");
        if (!type.equals("mixtral")) {
            throw new ConfigException("config file " + c.file() + ": model_type is '" + type + "', expected 'mixtral'");
        }
        int hidden = c.getInt("hidden_size", 4096);
        int heads = c.getInt("num_attention_heads", 32);
        double theta = c.getDouble("rope_theta", 1e6);
        JsonConfig rope = c.getObjectOrNull("rope_parameters");
        if (rope != null) {
            checkDefaultRope(c, rope.getString("rope_type", "default"), "rope_parameters.rope_type");
            theta = rope.getDouble("rope_theta", theta);
        }
        JsonConfig scaling = c.getObjectOrNull("rope_scaling");
        if (scaling != null) {
            checkDefaultRope(c, scaling.getString("rope_type", scaling.getString("type", "default")), "rope_scaling.rope_type");
        }
        String act = c.getString("hidden_act", "silu");
        Activation activation;
        try {
            activation = Activation.fromHf(act.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config file " + c.file() + ": key 'hidden_act': " + e.getMessage(), e);
        }
        return new MixtralConfig(
                c.getInt("vocab_size", 32000),
                hidden,
                c.getInt("intermediate_size", 14336),
                c.getInt("num_hidden_layers", 32),
                heads,
                c.getInt("num_key_value_heads", 8),
                c.getInt("head_dim", heads > 0 ? hidden / heads : 0),
                activation,
                c.getInt("max_position_embeddings", 4096 * 32),
                (float) c.getDouble("rms_norm_eps", 1e-5),
                theta,
                c.has("sliding_window") ? c.getInt("sliding_window") : null,
                c.getInt("num_local_experts", 8),
                c.getInt("num_experts_per_tok", 2),
                c.getDouble("router_aux_loss_coef", 0.001),
                c.getDouble("router_jitter_noise", 0.0),
                c.getBoolean("tie_word_embeddings", false),
                c.has("bos_token_id") ? c.getInt("bos_token_id") : null,
                eosIds(c),
                c.has("pad_token_id") ? c.getInt("pad_token_id") : null,
                c.getDouble("initializer_range", 0.02));
    }

    /**
     * Maps mistral-inference's {@code params.json}: {@code dim}, {@code n_layers}, {@code n_heads},
     * {@code n_kv_heads}, {@code head_dim}, {@code hidden_dim}, {@code norm_eps}, {@code vocab_size},
     * {@code rope_theta}, {@code sliding_window}, {@code moe: {num_experts, num_experts_per_tok}}.
     * Native checkpoints use BOS 1 and EOS 2 (the Mistral sentencepiece vocabulary).
     */
    public static MixtralConfig fromNativeParams(JsonConfig p) {
        JsonConfig moe = p.getObjectOrNull("moe");
        if (moe == null) {
            throw new ConfigException("params file " + p.file() + ": no 'moe' section; this is a dense Mistral model, not Mixtral");
        }
        int dim = p.getInt("dim"), heads = p.getInt("n_heads");
        return new MixtralConfig(
                p.getInt("vocab_size"), dim, p.getInt("hidden_dim"), p.getInt("n_layers"), heads,
                p.getInt("n_kv_heads", heads), p.getInt("head_dim", dim / heads), Activation.SILU,
                p.getInt("max_seq_len", 4096 * 32), (float) p.getDouble("norm_eps", 1e-5), p.getDouble("rope_theta", 1e6),
                p.has("sliding_window") ? p.getInt("sliding_window") : null,
                moe.getInt("num_experts"), moe.getInt("num_experts_per_tok"), 0.001, 0.0, false, 1, List.of(2), null, 0.02);
    }

    private static void checkDefaultRope(JsonConfig c, String kind, String key) {
        if (!kind.equals("default")) {
            throw new ConfigException("config file " + c.file() + ": " + key + " is \"" + kind + "\"; only default RoPE is supported");
        }
    }

    private static List<Integer> eosIds(JsonConfig c) {
        JsonNode n = c.tree().get("eos_token_id");
        if (n == null || n.isNull()) return List.of(2);
        List<Integer> out = new ArrayList<>();
        if (n.isArray()) n.forEach(x -> out.add(x.asInt()));
        else if (n.canConvertToInt()) out.add(n.asInt());
        else throw new ConfigException("config file " + c.file() + ": key 'eos_token_id' must be an integer or a list of integers, found " + n);
        return out;
    }

    /** Query heads per key/value head (GQA group size). */
    public int groupSize() { return numAttentionHeads / numKeyValueHeads; }

    /** The HF {@code config.json} of this config (what {@code moe init} writes). */
    public Map<String, Object> toHfJson(String torchDtype) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", List.of("MixtralForCausalLM"));
        m.put("model_type", "mixtral");
        m.put("vocab_size", vocabSize);
        m.put("hidden_size", hiddenSize);
        m.put("intermediate_size", intermediateSize);
        m.put("num_hidden_layers", numHiddenLayers);
        m.put("num_attention_heads", numAttentionHeads);
        m.put("num_key_value_heads", numKeyValueHeads);
        m.put("head_dim", headDim);
        m.put("hidden_act", hiddenAct.name().toLowerCase(Locale.ROOT));
        m.put("max_position_embeddings", maxPositionEmbeddings);
        m.put("rms_norm_eps", (double) rmsNormEps);
        m.put("rope_theta", ropeTheta);
        m.put("sliding_window", slidingWindow);
        m.put("num_local_experts", numLocalExperts);
        m.put("num_experts_per_tok", numExpertsPerTok);
        m.put("router_aux_loss_coef", routerAuxLossCoef);
        m.put("router_jitter_noise", routerJitterNoise);
        m.put("tie_word_embeddings", tieWordEmbeddings);
        m.put("bos_token_id", bosTokenId);
        m.put("eos_token_id", eosTokenIds.size() == 1 ? eosTokenIds.getFirst() : eosTokenIds);
        m.put("pad_token_id", padTokenId);
        m.put("initializer_range", initializerRange);
        m.put("torch_dtype", torchDtype);
        m.put("attention_dropout", 0.0);
        m.put("use_cache", true);
        return m;
    }
}
