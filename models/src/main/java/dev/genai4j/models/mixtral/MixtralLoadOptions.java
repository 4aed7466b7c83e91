package dev.genai4j.models.mixtral;

import dev.genai4j.tensor.quant.QuantType;

/**
 * How {@link MixtralForCausalLM#load(java.nio.file.Path, MixtralLoadOptions)} builds the model.
 *
 * @param quantize block quantization for the experts' w1/w2/w3 (the bulk of a Mixtral: 96 % of
 *                 8x7B's weights), done tensor by tensor while loading; null keeps the checkpoint's
 *                 dtype, memory-mapped. Attention, embeddings, norms, router and lm_head always stay
 *                 mapped in their stored dtype.
 *
 * <pre>{@code
 * var lm = MixtralForCausalLM.load(dir, MixtralLoadOptions.quantized(QuantType.Q8_0));
 * }</pre>
 */
public record MixtralLoadOptions(QuantType quantize) {
    /** The checkpoint as stored. */
    public static final MixtralLoadOptions DEFAULT = new MixtralLoadOptions(null);

    public static MixtralLoadOptions quantized(QuantType type) { return new MixtralLoadOptions(type); }
}
