package dev.genai4j.models.clip;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.nn.Activation;

/**
 * The image tower of a CLIP {@code config.json} ({@code vision_config}, HF {@code CLIPVisionConfig};
 * absent keys take HF's defaults, OpenAI ViT-B/32's). Only the ViT tower exists here.
 *
 * <pre>{@code
 * ClipVisionConfig v = ClipConfig.from(JsonConfig.read(dir.resolve("config.json"))).vision();
 * int tokens = v.numPatches() + 1;   // 50 for 224 / 32, the class token included
 * }</pre>
 */
public record ClipVisionConfig(int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads,
                               int numChannels, int imageSize, int patchSize, Activation hiddenAct, float layerNormEps) {

    public ClipVisionConfig {
        ClipTextConfig.check("vision_config", hiddenSize, numAttentionHeads, numHiddenLayers, intermediateSize);
        if (numChannels <= 0 || patchSize <= 0 || imageSize <= 0 || imageSize % patchSize != 0) {
            throw new ConfigException("CLIP vision_config: image_size " + imageSize + " must be a positive multiple of patch_size "
                    + patchSize + " and num_channels (" + numChannels + ") positive");
        }
    }

    /** HF's default CLIPVisionConfig. */
    public static ClipVisionConfig defaults() {
        return new ClipVisionConfig(768, 3072, 12, 12, 3, 224, 32, Activation.QUICK_GELU, 1e-5f);
    }

    static ClipVisionConfig from(JsonConfig j) {
        ClipVisionConfig d = defaults();
        return new ClipVisionConfig(j.getInt("hidden_size", d.hiddenSize), j.getInt("intermediate_size", d.intermediateSize),
                j.getInt("num_hidden_layers", d.numHiddenLayers), j.getInt("num_attention_heads", d.numAttentionHeads),
                j.getInt("num_channels", d.numChannels), j.getInt("image_size", d.imageSize),
                j.getInt("patch_size", d.patchSize), ClipTextConfig.activation(j, d.hiddenAct),
                (float) j.getDouble("layer_norm_eps", d.layerNormEps));
    }

    /** Patches per side. */
    public int grid() { return imageSize / patchSize; }

    public int numPatches() { return grid() * grid(); }

    public int headDim() { return hiddenSize / numAttentionHeads; }
}
