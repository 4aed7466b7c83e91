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
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Point-E's second stage ({@code CLIPImageGridUpsamplePointDiffusionTransformer}): a low-res cloud of {@code cond_ctx}
 * points and the image → {@code n_ctx} more points of the same shape. As the reference's {@code PointCloudSampler}
 * runs it: the low-res cloud enters in data space (xyz, RGB 0..255; the model scales it with its channel buffers),
 * the Karras sampler uses the upsampler's own settings (64 Heun steps, σ ∈ [0.001, 160], no churn), guidance batches
 * {@code [cond, zeros]} for the grid and the low-res cloud alike, and the result is the low-res points followed by
 * the new ones.
 *
 * <pre>{@code
 * PointEUpsampler up = PointEUpsampler.load(Path.of("runs/pointe-up"), null);
 * PointCloud dense = up.upsample(image, sparse, 3f, 0L);   // sparse.size() == up.config().condCtx()
 * }</pre>
 */
public final class PointEUpsampler {
    /** {@code PointCloudSampler}'s second-stage defaults: σ_max 160, s_churn 0. */
    public static final KarrasSampler.Settings SAMPLER = new KarrasSampler.Settings(64, 1e-3, 160, 7, 0f, 0f, Float.POSITIVE_INFINITY, 1f);

    private final PointETransformer model;
    private final GaussianDiffusion diffusion;
    private final ImageGrid grid;

    private PointEUpsampler(PointETransformer model, GaussianDiffusion diffusion, ImageGrid grid) {
        if (model.config().kind() != PointEConfig.Kind.GRID_UPSAMPLE) {
            throw new ConfigException("Point-E upsampler: the model is " + model.config().kind() + ", expected CLIPImageGridUpsamplePointDiffusionTransformer");
        }
        this.model = model;
        this.diffusion = diffusion;
        this.grid = grid;
    }

    /** A run folder of {@code train pointe --upsample}, its {@code model/} folder, or a weights file with config.json beside it. */
    public static PointEUpsampler load(Path location, Path clipOverride) {
        ModelFolder f = ModelFolder.read(location, clipOverride);
        if (f.config().kind() != PointEConfig.Kind.GRID_UPSAMPLE) {
            throw new ConfigException("Point-E upsampler: " + f.configFile() + " describes " + f.config().kind()
                    + ", not CLIPImageGridUpsamplePointDiffusionTransformer (train one with 'genai4j train pointe --upsample')");
        }
        return new PointEUpsampler(f.model(), f.diffusion(), f.grid());
    }

    /** A model already in memory (tests, evaluation during training). */
    public static PointEUpsampler of(PointETransformer model, GaussianDiffusion diffusion, ImageGrid grid) {
        return new PointEUpsampler(model, diffusion, grid);
    }

    public PointEConfig config() { return model.config(); }

    public ImageGrid grid() { return grid; }

    public int samplingSteps() { return SAMPLER.steps(); }

    /**
     * Upsamples a given cloud (e.g. a ground-truth subset) for the image.
     *
     * @param lowRes exactly {@code cond_ctx} points
     * @return cond_ctx + n_ctx points: {@code lowRes} first (colours as given, clamped), then the new ones
     */
    public PointCloud upsample(RgbImage image, PointCloud lowRes, float guidance, long seed) {
        int c = config().condCtx();
        if (lowRes.size() != c) {
            throw new ShapeException("Point-E upsampler: the low-res cloud must have " + c + " points (cond_ctx), got " + lowRes.size());
        }
        float[] pts = new float[6 * c];
        for (int i = 0; i < c; i++) {
            System.arraycopy(lowRes.xyz(), 3 * i, pts, 6 * i, 3);
            System.arraycopy(lowRes.rgb(), 3 * i, pts, 6 * i + 3, 3);
        }
        try (var g = NoGrad.enter()) {
            Tensor data = diffusion.unscaleChannels(PointClouds.toModelSpace(List.of(pts), diffusion));   // [1, 6, cond_ctx] xyz, RGB 0..255
            return upsample(grid.grid(List.of(image)), data, guidance, new Rng(seed), done -> {});
        }
    }

    /** lowRes [1, 6, cond_ctx] in data space, cond [1, G, grid²] → the concatenated cloud; noise from {@code rng}. */
    PointCloud upsample(Tensor cond, Tensor lowRes, float guidance, Rng rng, IntConsumer stepsDone) {
        try (var g = NoGrad.enter()) {
            Tensor noise = Tensor.randn(rng, 1, config().inputChannels(), config().nCtx());               // [1, 6, n_ctx]
            KarrasSampler.Result r = new KarrasSampler(SAMPLER).sample(new PointEDenoiser(model, diffusion, cond, lowRes, guidance, true), noise,
                    (step, shape) -> Tensor.randn(rng, shape));
            stepsDone.accept(SAMPLER.steps());
            Tensor both = Tensor.cat(List.of(diffusion.scaleChannels(lowRes), r.predXStart()), 2);         // [1, 6, cond_ctx + n_ctx] model space
            return PointClouds.toCloud(both, 0, diffusion);
        }
    }
}
