package dev.genai4j.models.clip;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.Weights;
import dev.genai4j.nn.Activation;
import dev.genai4j.tensor.Tensor;

/**
 * A CLIP {@code config.json} (HF {@code CLIPConfig}): the two towers and the shared embedding
 * width. {@link #fromOpenAiWeights} derives the same from an OpenAI-named state dict the way
 * OpenAI's {@code build_model} does, for checkpoints that come without a config.
 *
 * <pre>{@code
 * ClipConfig c = ClipConfig.from(JsonConfig.read(Path.of("models/clip-vit-b32/config.json")));
 * int d = c.projectionDim();   // 512
 * }</pre>
 */
public record ClipConfig(ClipTextConfig text, ClipVisionConfig vision, int projectionDim, float logitScaleInit) {

    public ClipConfig {
        if (text == null || vision == null) throw new ConfigException("CLIP config: text and vision configs are required");
        if (projectionDim <= 0) throw new ConfigException("CLIP config: projection_dim must be positive, got " + projectionDim);
    }

    /** Reads an HF {@code CLIPConfig} ({@code model_type: clip}); absent sub-configs take HF's defaults. */
    public static ClipConfig from(JsonConfig j) {
        String type = j.getString("model_type", "clip");
        if (!type.equals("clip")) {
            throw new ConfigException(j.file() + ": model_type is '" + type + "', expected 'clip' (a CLIPModel config with text_config and vision_config)");
        }
        JsonConfig t = j.getObjectOrNull("text_config"), v = j.getObjectOrNull("vision_config");
        return new ClipConfig(t == null ? ClipTextConfig.defaults() : ClipTextConfig.from(t),
                v == null ? ClipVisionConfig.defaults() : ClipVisionConfig.from(v),
                j.getInt("projection_dim", 512), (float) j.getDouble("logit_scale_init_value", 2.6592));
    }

    /**
     * The config OpenAI's {@code clip.model.build_model} infers from a ViT state dict: widths and
     * depths from tensor shapes, 64-wide heads, QuickGELU, and pooling at the largest id (the
     * legacy rule, {@code eos_token_id = 2} in HF terms, which is what OpenAI's code does).
     *
     * @throws UnsupportedClipException for a ResNet image tower
     */
    public static ClipConfig fromOpenAiWeights(Weights w) {
        OpenAiClipWeights.requireVit(w);
        Tensor conv = w.get("visual.conv1.weight");                       // [Dv, 3, P, P]
        Tensor visPos = w.get("visual.positional_embedding");             // [1 + G², Dv]
        int dv = conv.size(0), patch = conv.size(3);
        int grid = (int) Math.round(Math.sqrt(visPos.size(0) - 1));
        Tensor tok = w.get("token_embedding.weight");                     // [V, Dt]
        int dt = w.get("ln_final.weight").size(0);
        int projection = w.get("text_projection").size(1);               // [Dt, P]
        int ctx = w.get("positional_embedding").size(0);
        int visLayers = OpenAiClipWeights.countBlocks(w, "visual.transformer.resblocks.");
        int txtLayers = OpenAiClipWeights.countBlocks(w, "transformer.resblocks.");
        int visMlp = w.get("visual.transformer.resblocks.0.mlp.c_fc.weight").size(0);
        int txtMlp = w.get("transformer.resblocks.0.mlp.c_fc.weight").size(0);
        ClipTextConfig text = new ClipTextConfig(tok.size(0), dt, txtMlp, txtLayers, Math.max(1, dt / 64), ctx,
                Activation.QUICK_GELU, 1e-5f, tok.size(0) - 2, 2, tok.size(0) - 1);
        ClipVisionConfig vision = new ClipVisionConfig(dv, visMlp, visLayers, Math.max(1, dv / 64), conv.size(1),
                grid * patch, patch, Activation.QUICK_GELU, 1e-5f);
        return new ClipConfig(text, vision, projection, 2.6592f);
    }
}
