package dev.genai4j.models.clip.train;

import dev.genai4j.models.clip.ClipConfig;
import dev.genai4j.models.clip.ClipTextConfig;
import dev.genai4j.models.clip.ClipVisionConfig;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fresh CLIP weights under HF names, drawn as HF {@code CLIPPreTrainedModel._init_weights} does
 * (factor 1): attention q/k/v ~ N(0, D^-½·(2L)^-½), out_proj ~ N(0, D^-½), fc1 ~ N(0, (2D)^-½),
 * fc2 ~ N(0, D^-½·(2L)^-½), embeddings N(0, 0.02) (text positions 0.01, class token D^-½),
 * projections N(0, D^-½), LayerNorms 1/0, biases 0, and {@code logit_scale = ln(1/0.07)}.
 *
 * <pre>{@code
 * Map<String, Tensor> w = ClipInit.clip(config, new Rng(0));
 * ClipModel m = ClipModel.load(Weights.ofMap(w), config);
 * }</pre>
 */
public final class ClipInit {
    /** ln(1/0.07): CLIP's initial temperature (arXiv 2103.00020 §2.5). */
    public static final float LOGIT_SCALE_INIT = (float) Math.log(1 / 0.07);

    private ClipInit() {}

    /** Both towers, both projections and the logit scale. */
    public static Map<String, Tensor> clip(ClipConfig c, Rng rng) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        vision(w, "vision_model.", c.vision(), rng);
        text(w, "text_model.", c.text(), rng);
        w.put("visual_projection.weight", normal(rng, (float) Math.pow(c.vision().hiddenSize(), -0.5), c.projectionDim(), c.vision().hiddenSize()));
        w.put("text_projection.weight", normal(rng, (float) Math.pow(c.text().hiddenSize(), -0.5), c.projectionDim(), c.text().hiddenSize()));
        w.put("logit_scale", Tensor.of(new float[]{LOGIT_SCALE_INIT}));
        return w;
    }

    /** The image tower's weights under {@code prefix} (e.g. {@code "vision_model."}). */
    public static void vision(Map<String, Tensor> w, String prefix, ClipVisionConfig v, Rng rng) {
        int d = v.hiddenSize();
        w.put(prefix + "embeddings.class_embedding", normal(rng, (float) Math.pow(d, -0.5), d));
        w.put(prefix + "embeddings.patch_embedding.weight", normal(rng, 0.02f, d, v.numChannels(), v.patchSize(), v.patchSize()));
        w.put(prefix + "embeddings.position_embedding.weight", normal(rng, 0.02f, v.numPatches() + 1, d));
        layerNorm(w, prefix + "pre_layrnorm.", d);
        layers(w, prefix + "encoder.layers.", v.numHiddenLayers(), d, v.intermediateSize(), rng);
        layerNorm(w, prefix + "post_layernorm.", d);
    }

    static void text(Map<String, Tensor> w, String prefix, ClipTextConfig t, Rng rng) {
        int d = t.hiddenSize();
        w.put(prefix + "embeddings.token_embedding.weight", normal(rng, 0.02f, t.vocabSize(), d));
        w.put(prefix + "embeddings.position_embedding.weight", normal(rng, 0.01f, t.maxPositionEmbeddings(), d));
        layers(w, prefix + "encoder.layers.", t.numHiddenLayers(), d, t.intermediateSize(), rng);
        layerNorm(w, prefix + "final_layer_norm.", d);
    }

    private static void layers(Map<String, Tensor> w, String prefix, int n, int d, int inter, Rng rng) {
        float inStd = (float) (Math.pow(d, -0.5) * Math.pow(2 * n, -0.5)), outStd = (float) Math.pow(d, -0.5);
        float fc1Std = (float) Math.pow(2 * d, -0.5);
        for (int i = 0; i < n; i++) {
            String p = prefix + i + ".";
            for (String proj : new String[]{"q_proj", "k_proj", "v_proj", "out_proj"}) {
                w.put(p + "self_attn." + proj + ".weight", normal(rng, proj.equals("out_proj") ? outStd : inStd, d, d));
                w.put(p + "self_attn." + proj + ".bias", Tensor.zeros(d));
            }
            layerNorm(w, p + "layer_norm1.", d);
            layerNorm(w, p + "layer_norm2.", d);
            w.put(p + "mlp.fc1.weight", normal(rng, fc1Std, inter, d));
            w.put(p + "mlp.fc1.bias", Tensor.zeros(inter));
            w.put(p + "mlp.fc2.weight", normal(rng, inStd, d, inter));
            w.put(p + "mlp.fc2.bias", Tensor.zeros(d));
        }
    }

    private static void layerNorm(Map<String, Tensor> w, String prefix, int d) {
        float[] ones = new float[d];
        java.util.Arrays.fill(ones, 1f);
        w.put(prefix + "weight", Tensor.of(ones, d));
        w.put(prefix + "bias", Tensor.zeros(d));
    }

    static Tensor normal(Rng rng, float std, int... shape) {
        return Tensor.randn(rng, shape).mul(std).contiguous();
    }
}
