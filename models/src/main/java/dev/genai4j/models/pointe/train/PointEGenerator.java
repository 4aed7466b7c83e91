package dev.genai4j.models.pointe.train;

import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.io.ConfigException;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.models.pointe.GaussianDiffusion;
import dev.genai4j.models.pointe.KarrasSampler;
import dev.genai4j.models.pointe.PointEConfig;
import dev.genai4j.models.pointe.PointEDenoiser;
import dev.genai4j.models.pointe.PointETransformer;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.List;

/**
 * Image → coloured point cloud with a base Point-E model: the image's conditioning grid, then
 * Point-E's Karras sampler (64 Heun steps, σ ∈ [0.001, 120], s_churn 3, classifier-free guidance on
 * x̂₀), the last x̂₀ mapped back to xyz and RGB. Loads a trained run ({@code <run>/model}), a model
 * folder ({@code config.json} + {@code model.safetensors}) or a weights file ({@code .safetensors} /
 * {@code .pt}) with {@code config.json} beside it.
 *
 * <pre>{@code
 * PointEGenerator g = PointEGenerator.load(Path.of("runs/pointe"), null);
 * PointCloud pc = g.generate(ImageFiles.read(Path.of("cube.png")), 1024, 3f, 0L);
 * }</pre>
 */
public final class PointEGenerator {
    private static final KarrasSampler.Settings SAMPLER = KarrasSampler.Settings.pointE(3f);
    private final PointETransformer model;
    private final GaussianDiffusion diffusion;
    private final ImageGrid grid;
    private final PointEUpsampler upsampler;   // null: base model only

    private PointEGenerator(PointETransformer model, GaussianDiffusion diffusion, ImageGrid grid, PointEUpsampler upsampler) {
        this.model = model;
        this.diffusion = diffusion;
        this.grid = grid;
        this.upsampler = upsampler;
    }

    /** @param clipOverride CLIP folder for models trained on CLIP grids (or without a stored conditioning); may be null */
    public static PointEGenerator load(Path location, Path clipOverride) {
        ModelFolder f = ModelFolder.read(location, clipOverride);
        if (f.config().kind() != PointEConfig.Kind.GRID) {
            throw new ConfigException("Point-E model: " + f.configFile() + " describes " + f.config().kind()
                    + "; img2pc needs the base CLIPImageGridPointDiffusionTransformer (pass an upsampler with --upsampler)");
        }
        return new PointEGenerator(f.model(), f.diffusion(), f.grid(), null);
    }

    public PointEConfig config() { return model.config(); }

    /** The ready-made generator of a model already in memory (tests, evaluation during training). */
    public static PointEGenerator of(PointETransformer model, GaussianDiffusion diffusion, ImageGrid grid) {
        return new PointEGenerator(model, diffusion, grid, null);
    }

    /**
     * This base model followed by {@code up}: clouds of {@link #maxPoints()} = n_ctx + the upsampler's n_ctx.
     *
     * @throws ConfigException when the upsampler's low-res size (cond_ctx) is not this model's n_ctx or its image grid differs
     */
    public PointEGenerator withUpsampler(PointEUpsampler up) {
        PointEConfig b = model.config(), u = up.config();
        if (u.condCtx() != b.nCtx()) {
            throw new ConfigException("Point-E: the upsampler conditions on " + u.condCtx() + " low-res points (cond_ctx) but the base model makes "
                    + b.nCtx() + " (n_ctx); train the upsampler with --low-res " + b.nCtx() + " or pair it with a base model of n_ctx " + u.condCtx());
        }
        if (u.gridSize() != b.gridSize() || u.gridFeatureDim() != b.gridFeatureDim()) {     // one image, one grid geometry, as the reference's shared CLIP
            throw new ConfigException("Point-E: the upsampler's image grid " + u.gridSize() + "×" + u.gridSize() + " of " + u.gridFeatureDim() + " "
                    + up.grid().describe() + " does not match the base model's " + b.gridSize() + "×" + b.gridSize() + " of " + b.gridFeatureDim()
                    + " " + grid.describe() + "; train the upsampler with the base model's --image-size/--patch/--position-features (or --clip)");
        }
        return new PointEGenerator(model, diffusion, grid, up);
    }

    /** The upsampler stage, or null. */
    public PointEUpsampler upsampler() { return upsampler; }

    /** Points of a full cloud: the base model's n_ctx, plus the upsampler's n_ctx when there is one. */
    public int maxPoints() { return model.config().nCtx() + (upsampler == null ? 0 : upsampler.config().nCtx()); }

    /**
     * @param points   the base model's n_ctx, or with an upsampler {@link #maxPoints()} (the base cloud followed by the upsampler's points)
     * @param guidance classifier-free guidance scale (Point-E uses 3; 1 or 0 turns it off)
     * @param seed     seeds the initial noise and the churn noise: same seed, same cloud
     */
    public PointCloud generate(RgbImage image, int points, float guidance, long seed) { return generate(image, points, guidance, seed, done -> {}); }

    /** Sampler steps per cloud (Point-E's 64 Karras steps): the total that {@code stepsDone} counts to. */
    public int samplingSteps() { return SAMPLER.steps(); }

    /** Sampler steps of a cloud of {@code points}: the base stage's, plus the upsampler's when it runs. */
    public int samplingSteps(int points) {
        return SAMPLER.steps() + (upsampler != null && points == maxPoints() ? upsampler.samplingSteps() : 0);
    }

    /** As {@link #generate(RgbImage, int, float, long)}; {@code stepsDone} hears the count of finished sampler steps (a progress bar). */
    public PointCloud generate(RgbImage image, int points, float guidance, long seed, java.util.function.IntConsumer stepsDone) {
        int nCtx = model.config().nCtx();
        boolean upsample = upsampler != null && points == maxPoints();
        if (points != nCtx && !upsample) {
            throw new IllegalArgumentException("Point-E: this model makes exactly " + nCtx + " points per cloud (its n_ctx)"
                    + (upsampler != null ? " and with its upsampler " + maxPoints() : "") + ", not " + points
                    + (upsampler != null ? "" : "; more points need an upsampler (genai4j train pointe --upsample --low-res " + nCtx + ")"));
        }
        Rng rng = new Rng(seed);
        try (var g = NoGrad.enter()) {
            Tensor cond = grid.grid(List.of(image));                                            // [1, G, grid²]
            Tensor noise = Tensor.randn(rng, 1, model.config().inputChannels(), nCtx);
            // the churn noise is drawn as each step starts: step i starting means i steps are done
            KarrasSampler.Result r = new KarrasSampler(SAMPLER).sample(new PointEDenoiser(model, diffusion, cond, null, guidance, true), noise,
                    (step, shape) -> {
                        stepsDone.accept(step);
                        return Tensor.randn(rng, shape);
                    });
            stepsDone.accept(SAMPLER.steps());
            if (!upsample) return PointClouds.toCloud(r.predXStart(), 0, diffusion);
            Tensor lowRes = diffusion.unscaleChannels(r.predXStart());                          // [1, 6, n_ctx] data space, as the reference hands it over
            Tensor upCond = upsampler.grid() == grid ? cond : upsampler.grid().grid(List.of(image));   // each model's own conditioning of the image
            return upsampler.upsample(upCond, lowRes, guidance, rng, done -> stepsDone.accept(SAMPLER.steps() + done));
        }
    }

}
