package dev.genai4j.models.pointe.train;

import dev.genai4j.io.Weights;
import dev.genai4j.models.pointe.GaussianDiffusion;
import dev.genai4j.models.pointe.PointEConfig;
import dev.genai4j.models.pointe.PointETransformer;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A freshly initialized Point-E transformer (base or upsampler), initialized as the reference's
 * {@code PointDiffusionTransformer} does: the backbone's and the time MLP's linears N(0, (init_scale/√width)²)
 * with zero bias ({@code init_linear}, init_scale 0.25), {@code input_proj} and {@code clip_embed.1} with
 * torch's default uniform(±1/√fan_in), LayerNorms at 1/0, and {@code output_proj} all zeros so the first
 * prediction is ε̂ = 0 with the mid-range variance. The upsampler adds {@code cond_point_proj} (torch's default init)
 * and the {@code channel_scales}/{@code channel_biases} buffers of the published upsample config.
 *
 * <pre>{@code
 * PointETransformer m = PointEInit.create(config, new Rng(0));
 * }</pre>
 */
public final class PointEInit {
    public static final double INIT_SCALE = 0.25;

    private PointEInit() {}

    public static PointETransformer create(PointEConfig c, Rng rng) {
        return PointETransformer.load(Weights.ofMap(weights(c, rng)), c);
    }

    /** The state dict of a new model, under the reference's names. */
    public static Map<String, Tensor> weights(PointEConfig c, Rng rng) {
        int w = c.width(), g = c.gridFeatureDim();
        float std = (float) (INIT_SCALE * Math.sqrt(1.0 / w));
        Map<String, Tensor> m = new LinkedHashMap<>();
        uniformLinear(m, "input_proj", c.pointFeatureChannels(), w, rng);
        normalLinear(m, "time_embed.c_fc", w, 4 * w, std, rng);
        normalLinear(m, "time_embed.c_proj", 4 * w, w, std, rng);
        layerNorm(m, "clip_embed.0", g);
        uniformLinear(m, "clip_embed.1", g, w, rng);
        layerNorm(m, "ln_pre", w);
        for (int i = 0; i < c.layers(); i++) {
            String p = "backbone.resblocks." + i + ".";
            layerNorm(m, p + "ln_1", w);
            normalLinear(m, p + "attn.c_qkv", w, 3 * w, std, rng);
            normalLinear(m, p + "attn.c_proj", w, w, std, rng);
            layerNorm(m, p + "ln_2", w);
            normalLinear(m, p + "mlp.c_fc", w, 4 * w, std, rng);
            normalLinear(m, p + "mlp.c_proj", 4 * w, w, std, rng);
        }
        layerNorm(m, "ln_post", w);
        m.put("output_proj.weight", Tensor.zeros(c.outputChannels(), w));
        m.put("output_proj.bias", Tensor.zeros(c.outputChannels()));
        if (c.kind() == PointEConfig.Kind.GRID_UPSAMPLE) {          // drawn last, so a base model's init is what it was before the upsampler
            uniformLinear(m, "cond_point_proj", c.pointFeatureChannels(), w, rng);
            m.put("channel_scales", Tensor.of(GaussianDiffusion.DEFAULT_SCALES.clone(), c.inputChannels()));   // the published upsample config's
            m.put("channel_biases", Tensor.of(GaussianDiffusion.DEFAULT_BIASES.clone(), c.inputChannels()));   // buffers: low_res data → model space
        }
        return m;
    }

    private static void normalLinear(Map<String, Tensor> m, String name, int in, int out, float std, Rng rng) {
        m.put(name + ".weight", Tensor.randn(rng, out, in).mul(std).detach());
        m.put(name + ".bias", Tensor.zeros(out));
    }

    private static void uniformLinear(Map<String, Tensor> m, String name, int in, int out, Rng rng) {
        float bound = (float) (1.0 / Math.sqrt(in));
        m.put(name + ".weight", uniform(rng, bound, out, in));
        m.put(name + ".bias", uniform(rng, bound, out));
    }

    private static Tensor uniform(Rng rng, float bound, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (2 * rng.uniform() - 1) * bound;
        return Tensor.of(v, shape);
    }

    private static void layerNorm(Map<String, Tensor> m, String name, int dim) {
        m.put(name + ".weight", Tensor.full(1f, dim));
        m.put(name + ".bias", Tensor.zeros(dim));
    }
}
