package dev.genai4j.models.pointe;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Point-E's point-cloud diffusion transformer (arXiv 2212.08751 §4; the reference's
 * {@code CLIPImageGridPointDiffusionTransformer} and {@code CLIPImageGridUpsamplePointDiffusionTransformer}),
 * with the reference's parameter names. Points are tokens: {@code input_proj} lifts each point's
 * channels (xyz + rgb) to the width; the timestep embedding ({@code time_embed} MLP of the sinusoidal
 * embedding), the CLIP grid ({@code clip_embed} = LayerNorm + Linear over each grid token) and, for the
 * upsampler, the low-resolution cloud ({@code cond_point_proj}) are prepended as tokens, run through
 * {@code ln_pre}, the backbone and {@code ln_post}, then dropped; {@code output_proj} gives per point the
 * predicted noise and the learned-range variance interpolation (2·C channels).
 *
 * <pre>{@code
 * PointETransformer m = PointETransformer.load(weights, config);
 * Tensor out = m.forward(x, t, grid, null);   // x [N, 6, n_ctx], t [N], grid [N, 1024, 256] → [N, 12, n_ctx]
 * }</pre>
 */
public final class PointETransformer extends Module {
    static final float LN_EPS = 1e-5f;   // torch.nn.LayerNorm's default, which the reference keeps

    private final PointEConfig config;
    private final Linear inputProj;      // input_proj [W, C]
    private final Linear timeFc;         // time_embed.c_fc [4W, W]
    private final Linear timeProj;       // time_embed.c_proj [W, 4W]
    private final LayerNorm clipNorm;    // clip_embed.0 [G]
    private final Linear clipProj;       // clip_embed.1 [W, G]
    private final Linear condPointProj;  // cond_point_proj [W, C] (upsampler only)
    private final Tensor channelScales;  // channel_scales [C] buffer (upsampler only; may be absent)
    private final Tensor channelBiases;  // channel_biases [C] buffer (upsampler only; may be absent)
    private final LayerNorm lnPre;
    private final List<PointEBlock> blocks = new ArrayList<>();
    private final LayerNorm lnPost;
    private final Linear outputProj;     // output_proj [C', W]

    private PointETransformer(Weights w, PointEConfig c) {
        this.config = c;
        int width = c.width();
        inputProj = child("input_proj", Linear.load(w.sub("input_proj"), c.pointFeatureChannels(), width, true));
        timeFc = child("time_embed.c_fc", Linear.load(w.sub("time_embed.c_fc"), width, 4 * width, true));
        timeProj = child("time_embed.c_proj", Linear.load(w.sub("time_embed.c_proj"), 4 * width, width, true));
        clipNorm = child("clip_embed.0", LayerNorm.load(w.sub("clip_embed.0"), c.gridFeatureDim(), LN_EPS, true));
        clipProj = child("clip_embed.1", Linear.load(w.sub("clip_embed.1"), c.gridFeatureDim(), width, true));
        if (c.kind() == PointEConfig.Kind.GRID_UPSAMPLE) {
            condPointProj = child("cond_point_proj", Linear.load(w.sub("cond_point_proj"), c.pointFeatureChannels(), width, true));
            channelScales = w.has("channel_scales") ? copy(w.get("channel_scales", c.inputChannels())) : null;
            channelBiases = w.has("channel_biases") ? copy(w.get("channel_biases", c.inputChannels())) : null;
        } else {
            condPointProj = null;
            channelScales = null;
            channelBiases = null;
        }
        lnPre = child("ln_pre", LayerNorm.load(w.sub("ln_pre"), width, LN_EPS, true));
        for (int i = 0; i < c.layers(); i++) {
            blocks.add(child("backbone.resblocks." + i, PointEBlock.load(w.sub("backbone.resblocks." + i), width, c.heads())));
        }
        lnPost = child("ln_post", LayerNorm.load(w.sub("ln_post"), width, LN_EPS, true));
        outputProj = child("output_proj", Linear.load(w.sub("output_proj"), width, c.outputChannels(), true));
    }

    /** Loads from a checkpoint with the reference's state-dict names ({@code model.safetensors} or the torch {@code .pt}). */
    public static PointETransformer load(Weights w, PointEConfig config) {
        return new PointETransformer(w, config);
    }

    public PointEConfig config() { return config; }

    /**
     * One denoiser evaluation.
     *
     * @param x      [N, C, n_ctx] noisy points, channels first, in model space
     * @param t      [N] timesteps (integers in the reference; any float is embedded as is)
     * @param grid   [N, G, grid²] CLIP grid features (NCL, {@code ImageCLIP.embed_images_grid}'s layout); null for
     *               the upsampler's unconditional mode (zeros, as the reference)
     * @param lowRes [N, C, cond_ctx] the low-resolution cloud in data space (xyz, RGB 0..255), upsampler only
     * @return [N, C', n_ctx]: channels 0..C-1 the predicted ε, the rest the learned-range variance values
     */
    public Tensor forward(Tensor x, Tensor t, Tensor grid, Tensor lowRes) {
        int n = checkInputs(x, t, grid, lowRes);
        Tensor tEmbed = timeProj.forward(timeFc.forward(timestepEmbedding(t, config.width())).gelu());    // [N, W]
        if (grid == null) grid = Tensor.zeros(n, config.gridFeatureDim(), config.gridTokens());
        Tensor clipEmbed = clipProj.forward(clipNorm.forward(grid.permute(0, 2, 1)));                    // [N, grid², W]
        Tensor h = inputProj.forward(withPointFeatures(x).permute(0, 2, 1));                              // [N, n_ctx, W]
        List<Tensor> tokens = new ArrayList<>();
        if (config.timeTokenCond()) tokens.add(tEmbed.unsqueeze(1));
        else h = h.add(tEmbed.unsqueeze(1));
        tokens.add(clipEmbed);
        if (config.kind() == PointEConfig.Kind.GRID_UPSAMPLE) tokens.add(embedLowRes(lowRes));
        tokens.add(h);
        h = lnPre.forward(Tensor.cat(tokens, 1));                                                         // [N, prefix + n_ctx, W]
        for (PointEBlock b : blocks) h = b.forward(h);
        h = lnPost.forward(h).narrow(1, config.prefixTokens(), config.nCtx());                            // [N, n_ctx, W]
        return outputProj.forward(h).permute(0, 2, 1).contiguous();                                      // [N, C', n_ctx]
    }

    /** lowRes [N, C, cond_ctx] in data space → [N, cond_ctx, W], scaled to model space first as the reference. */
    private Tensor embedLowRes(Tensor lowRes) {
        int c = config.inputChannels();
        if (channelScales != null) lowRes = lowRes.mul(channelScales.reshape(1, c, 1));
        if (channelBiases != null) lowRes = lowRes.add(channelBiases.reshape(1, c, 1));
        return condPointProj.forward(withPointFeatures(lowRes).permute(0, 2, 1));
    }

    /**
     * points [N, C, L] → [N, C + 6F, L]: the channels, then sin(2^f·π·xyz) for f = 0..F-1 (f-major, x y z within each
     * f), then the cosines in the same order. The points themselves as is when F = 0 (the reference).
     */
    Tensor withPointFeatures(Tensor points) {
        int f = config.pointFrequencies();
        if (f == 0) return points;
        int n = points.size(0), l = points.size(2);
        float[] scale = new float[3 * f];
        for (int i = 0; i < f; i++) for (int a = 0; a < 3; a++) scale[3 * i + a] = (float) (Math.PI * (1 << i));
        Tensor xyz = points.narrow(1, 0, 3);                                                             // [N, 3, L]
        Tensor args = Tensor.cat(java.util.Collections.nCopies(f, xyz), 1).mul(Tensor.of(scale, 1, 3 * f, 1));   // [N, 3F, L]
        return Tensor.cat(List.of(points, args.sin(), args.cos()), 1);                                   // [N, C + 6F, L]
    }

    /**
     * The reference's {@code timestep_embedding}: {@code freqs = exp(-ln(10000)·i/half)} in fp32,
     * {@code [cos(t·freqs), sin(t·freqs)]}, a zero column when {@code dim} is odd. t: [N] → [N, dim].
     */
    static Tensor timestepEmbedding(Tensor t, int dim) {
        int half = dim / 2, n = t.shape()[0];
        float[] ts = t.toFloatArray();
        float[] out = new float[n * dim];
        for (int j = 0; j < half; j++) {
            float arg0 = (float) -Math.log(10000.0) * j;          // f32 arange times the scalar, rounded as torch does
            float freq = (float) Math.exp(arg0 / half);
            for (int i = 0; i < n; i++) {
                float arg = ts[i] * freq;
                out[i * dim + j] = (float) Math.cos(arg);
                out[i * dim + half + j] = (float) Math.sin(arg);
            }
        }
        return Tensor.of(out, n, dim);
    }

    private int checkInputs(Tensor x, Tensor t, Tensor grid, Tensor lowRes) {
        int[] xs = x.shape();
        if (xs.length != 3 || xs[1] != config.inputChannels() || xs[2] != config.nCtx()) {
            throw new ShapeException("PointETransformer.forward: x must be [N, " + config.inputChannels() + ", " + config.nCtx()
                    + "], got " + java.util.Arrays.toString(xs));
        }
        int n = xs[0];
        if (t.shape().length != 1 || t.shape()[0] != n) {
            throw new ShapeException("PointETransformer.forward: t must be [" + n + "], got " + java.util.Arrays.toString(t.shape()));
        }
        if (grid == null && config.kind() == PointEConfig.Kind.GRID) {
            throw new IllegalArgumentException("PointETransformer.forward: the base model needs CLIP grid embeddings");
        }
        if (grid != null && (grid.shape().length != 3 || grid.shape()[0] != n || grid.shape()[1] != config.gridFeatureDim()
                || grid.shape()[2] != config.gridTokens())) {
            throw new ShapeException("PointETransformer.forward: grid must be [" + n + ", " + config.gridFeatureDim() + ", "
                    + config.gridTokens() + "], got " + java.util.Arrays.toString(grid.shape()));
        }
        if (config.kind() == PointEConfig.Kind.GRID_UPSAMPLE) {
            if (lowRes == null || lowRes.shape().length != 3 || lowRes.shape()[0] != n
                    || lowRes.shape()[1] != config.inputChannels() || lowRes.shape()[2] != config.condCtx()) {
                throw new ShapeException("PointETransformer.forward: low_res must be [" + n + ", " + config.inputChannels() + ", "
                        + config.condCtx() + "], got " + (lowRes == null ? "null" : java.util.Arrays.toString(lowRes.shape())));
            }
        } else if (lowRes != null) {
            throw new IllegalArgumentException("PointETransformer.forward: low_res is for the upsampler only");
        }
        return n;
    }

    private static Tensor copy(Tensor t) { return Tensor.of(t.toFloatArray(), t.shape()); }
}
