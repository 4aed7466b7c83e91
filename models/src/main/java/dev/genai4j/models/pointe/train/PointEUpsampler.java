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
    private final double startSigma;      // 0: the reference's start from pure noise at σ_max; else from the jittered copies at this σ

    private PointEUpsampler(PointETransformer model, GaussianDiffusion diffusion, ImageGrid grid) {
        this(model, diffusion, grid, 0);
    }

    private PointEUpsampler(PointETransformer model, GaussianDiffusion diffusion, ImageGrid grid, double startSigma) {
        if (model.config().kind() != PointEConfig.Kind.GRID_UPSAMPLE) {
            throw new ConfigException("Point-E upsampler: the model is " + model.config().kind() + ", expected CLIPImageGridUpsamplePointDiffusionTransformer");
        }
        if (startSigma != 0 && !(startSigma > SAMPLER.sigmaMin() && startSigma <= SAMPLER.sigmaMax())) {
            throw new IllegalArgumentException("Point-E upsampler: start sigma must be 0 (the reference's start from noise) or in ("
                    + SAMPLER.sigmaMin() + ", " + SAMPLER.sigmaMax() + "], got " + startSigma);
        }
        this.model = model;
        this.diffusion = diffusion;
        this.grid = grid;
        this.startSigma = startSigma;
    }

    /**
     * This upsampler sampling from a guess instead of pure noise (our option; 0, the default, is the reference's start at
     * σ 160): the new points start as {@link #jitteredCopies} of the low-res ones, noised to {@code sigma} (model space) and
     * denoised from there by the same 64-step sampler over [0.001, sigma] (SDEdit). A small σ keeps each copy near its
     * source and leaves the model only to move it onto the surface.
     */
    public PointEUpsampler withStartSigma(double sigma) { return new PointEUpsampler(model, diffusion, grid, sigma); }

    /** 0 for the reference's start from noise, else the σ the jittered copies are noised to. */
    public double startSigma() { return startSigma; }

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

    /**
     * The untrained upsampler: the low-res points, then copies of them in turn (point j mod n) until there are {@code total},
     * each copy moved by N(0, σ²) per axis with σ half the mean distance from a low-res point to its nearest other one, so
     * the copies fill the gaps between input points about as far as the spacing allows. Colours are copied.
     */
    public static PointCloud jitteredCopies(PointCloud lowRes, int total, Rng rng) {
        int n = lowRes.size();
        if (n < 2 || total < n) throw new IllegalArgumentException("jittered copies: need at least 2 input points and total >= " + n + ", got "
                + n + " and " + total);
        float[] src = lowRes.xyz(), colour = lowRes.rgb();
        double spacing = 0;
        for (int i = 0; i < n; i++) {
            float best = Float.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                float dx = src[3 * i] - src[3 * j], dy = src[3 * i + 1] - src[3 * j + 1], dz = src[3 * i + 2] - src[3 * j + 2];
                best = Math.min(best, dx * dx + dy * dy + dz * dz);
            }
            spacing += Math.sqrt(best);
        }
        double sigma = spacing / n / 2;
        float[] xyz = new float[3 * total], rgb = new float[3 * total];
        System.arraycopy(src, 0, xyz, 0, 3 * n);
        System.arraycopy(colour, 0, rgb, 0, 3 * n);
        for (int k = n; k < total; k++) {
            int j = k % n;
            for (int a = 0; a < 3; a++) {
                xyz[3 * k + a] = (float) (src[3 * j + a] + sigma * rng.gaussian());
                rgb[3 * k + a] = colour[3 * j + a];
            }
        }
        return new PointCloud(xyz, rgb);
    }

    /** Points [from, from + count) of a cloud as interleaved {@code [x, y, z, r, g, b]}. */
    private static float[] interleaved(PointCloud c, int from, int count) {
        float[] pts = new float[6 * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(c.xyz(), 3 * (from + i), pts, 6 * i, 3);
            System.arraycopy(c.rgb(), 3 * (from + i), pts, 6 * i + 3, 3);
        }
        return pts;
    }

    /** lowRes [1, 6, cond_ctx] in data space, cond [1, G, grid²] → the concatenated cloud; noise from {@code rng}. */
    PointCloud upsample(Tensor cond, Tensor lowRes, float guidance, Rng rng, IntConsumer stepsDone) {
        try (var g = NoGrad.enter()) {
            PointEDenoiser denoiser = new PointEDenoiser(model, diffusion, cond, lowRes, guidance, true);
            KarrasSampler.Result r;
            if (startSigma == 0) {
                Tensor noise = Tensor.randn(rng, 1, config().inputChannels(), config().nCtx());           // [1, 6, n_ctx]
                r = new KarrasSampler(SAMPLER).sample(denoiser, noise, (step, shape) -> Tensor.randn(rng, shape));
            } else {
                PointCloud low = PointClouds.toCloud(diffusion.scaleChannels(lowRes), 0, diffusion);
                PointCloud copies = jitteredCopies(low, config().condCtx() + config().nCtx(), rng);
                Tensor init = PointClouds.toModelSpace(List.of(interleaved(copies, config().condCtx(), config().nCtx())), diffusion);   // [1, 6, n_ctx]
                KarrasSampler.Settings s = new KarrasSampler.Settings(SAMPLER.steps(), SAMPLER.sigmaMin(), startSigma, SAMPLER.rho(),
                        SAMPLER.sChurn(), SAMPLER.sTmin(), SAMPLER.sTmax(), SAMPLER.sNoise());
                Tensor noise = Tensor.randn(rng, 1, config().inputChannels(), config().nCtx());
                r = new KarrasSampler(s).sampleFrom(denoiser, init, noise, (step, shape) -> Tensor.randn(rng, shape));
            }
            stepsDone.accept(SAMPLER.steps());
            Tensor both = Tensor.cat(List.of(diffusion.scaleChannels(lowRes), r.predXStart()), 2);         // [1, 6, cond_ctx + n_ctx] model space
            return PointClouds.toCloud(both, 0, diffusion);
        }
    }
}
