package dev.genai4j.models.mixtral;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.nn.KvCache;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.Positions;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Mixtral sparse mixture-of-experts language model (Jiang et al., "Mixtral of Experts",
 * arXiv 2401.04088); matches HF {@code modeling_mixtral.py} {@code MixtralForCausalLM} in eager mode,
 * including {@code router_logits} and {@code load_balancing_loss_func} ({@link LoadBalancingLoss}).
 * Loads HF folders ({@code config.json} + {@code model.safetensors} or shards), transformers-5 packed
 * experts and mistral-inference folders ({@code params.json} + {@code consolidated.safetensors});
 * weights stay memory-mapped in their stored dtype (f32, bf16, f16).
 *
 * <pre>{@code
 * try (MixtralForCausalLM lm = MixtralForCausalLM.load(Path.of("Mixtral-8x7B-v0.1"));
 *      var g = NoGrad.enter()) {
 *     MixtralForCausalLM.Output o = lm.forward(ids);        // ids [1, T] → logits [1, T, V]
 *     Tensor aux = LoadBalancingLoss.compute(o.routerLogits(), 8, 2, null);
 * }
 * }</pre>
 */
public final class MixtralForCausalLM extends Module implements AutoCloseable {
    /** Logits [B, T', V] (T' = T, or 1 when only the last position was asked for) and router logits per layer [B·T, E]. */
    public record Output(Tensor logits, List<TopKRouter.Routing> routings) {
        /** HF's {@code router_logits}: one [B·T, E] tensor per layer. */
        public List<Tensor> routerLogits() { return routings.stream().map(TopKRouter.Routing::logits).toList(); }
    }

    /** The file mistral-inference writes. */
    public static final String NATIVE_WEIGHTS = "consolidated.safetensors";

    private final MixtralConfig config;
    private final MixtralModel model;
    private final Linear lmHead;                 // [V, H]
    private final MixtralWeightLayout layout;
    private AutoCloseable resource;              // the mapped checkpoint, when this model opened it

    private MixtralForCausalLM(MixtralConfig config, MixtralModel model, Linear lmHead, MixtralWeightLayout layout) {
        this.config = config;
        this.model = child("model", model);
        this.lmHead = child("lm_head", lmHead);
        this.layout = layout;
    }

    /** Builds the model from weights in any of the {@link MixtralWeightLayout}s (detected from the names). */
    public static MixtralForCausalLM load(Weights w, MixtralConfig c) { return load(w, c, MixtralLoadOptions.DEFAULT); }

    /** As above, with {@link MixtralLoadOptions} (e.g. experts quantized to Q8_0 while loading). */
    public static MixtralForCausalLM load(Weights w, MixtralConfig c, MixtralLoadOptions options) {
        MixtralWeightLayout layout = MixtralWeightLayout.detect(w);
        Weights hub = layout.toHub(w, c);
        MixtralModel model = MixtralModel.load(hub.sub("model"), c, layout.ropeLayout(), options.quantize());
        MixtralForCausalLM lm = new MixtralForCausalLM(c, model, Linear.load(hub.sub("lm_head"), c.hiddenSize(), c.vocabSize(), false), layout);
        lm.eval();
        return lm;
    }

    /**
     * Opens a folder: HF ({@code config.json}; {@code model.safetensors} or
     * {@code model.safetensors.index.json} + shards) or mistral-inference ({@code params.json} +
     * {@code consolidated.safetensors}). Close the model to unmap the files.
     */
    public static MixtralForCausalLM load(Path dir) { return load(dir, MixtralLoadOptions.DEFAULT); }

    /**
     * As {@link #load(Path)}; with {@code MixtralLoadOptions.quantized(QuantType.Q8_0)} each expert
     * weight is read from the mapping a few rows at a time, quantized, and its pages released, so a
     * checkpoint larger than memory loads into ~0.56× (Q8_0) or ~0.31× (Q4_0) of its bf16 expert bytes
     * plus the mapped non-expert weights.
     */
    public static MixtralForCausalLM load(Path dir, MixtralLoadOptions options) {
        MixtralConfig c = readConfig(dir);
        Path nativeFile = dir.resolve(NATIVE_WEIGHTS);
        boolean hf = Files.exists(dir.resolve(SafetensorsWeights.MODEL_FILE)) || Files.exists(dir.resolve("model.safetensors.index.json"));
        SafetensorsWeights w = Weights.open(!hf && Files.exists(nativeFile) ? nativeFile : dir);
        try {
            MixtralForCausalLM lm = load(w, c, options);
            lm.resource = w;
            return lm;
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
    }

    /** {@code config.json} (HF) or, failing that, {@code params.json} (mistral-inference). */
    public static MixtralConfig readConfig(Path dir) {
        if (!Files.isDirectory(dir)) throw new CheckpointException("mixtral: model folder " + dir + " does not exist");
        Path hf = dir.resolve("config.json"), params = dir.resolve("params.json");
        if (Files.exists(hf)) return MixtralConfig.read(hf);
        if (Files.exists(params)) return MixtralConfig.fromNativeParams(JsonConfig.read(params));
        throw new CheckpointException("mixtral: " + dir + " has neither config.json (HF) nor params.json (mistral-inference)");
    }

    /** Full forward without padding, cache or explicit positions: ids [B, T] → logits [B, T, V]. */
    public Output forward(Tensor ids) { return forward(ids, null, null, null, false); }

    /**
     * ids: [B, T] → logits.
     *
     * @param attentionMask [B, cached + T] of 1/0 (left padding), or null
     * @param positions     RoPE positions (null: cache length + 0 … T−1)
     * @param caches        per-layer KV caches ({@link #newCaches}), or null
     * @param lastOnly      project only the last position of each row to the vocabulary ([B, 1, V]):
     *                      generation never needs the others
     */
    public Output forward(Tensor ids, Tensor attentionMask, Positions positions, KvCache[] caches, boolean lastOnly) {
        MixtralModel.Output o = model.forward(ids, attentionMask, positions, caches);
        Tensor h = o.hidden();                                            // [B, T, H]
        if (lastOnly && h.size(1) > 1) h = h.narrow(1, h.size(1) - 1, 1); // [B, 1, H]
        return new Output(lmHead.forward(h), o.routings());
    }

    /** One KV cache per layer for {@code batch} sequences of up to {@code maxLength} tokens. */
    public KvCache[] newCaches(int batch, int maxLength) {
        return KvCache.forLayers(config.numHiddenLayers(), batch, config.numKeyValueHeads(), maxLength, config.headDim());
    }

    public MixtralConfig config() { return config; }

    public MixtralModel model() { return model; }

    public Linear lmHead() { return lmHead; }

    /** Which published naming the weights came in. */
    public MixtralWeightLayout layout() { return layout; }

    /** Unmaps the checkpoint when this model opened it; idempotent. */
    @Override
    public void close() {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new CheckpointException("mixtral: closing the checkpoint failed: " + e.getMessage(), e);
            }
            resource = null;
        }
    }
}
