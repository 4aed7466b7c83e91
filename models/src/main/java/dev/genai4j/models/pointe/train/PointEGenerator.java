package dev.genai4j.models.pointe.train;

import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.Weights;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.models.pointe.GaussianDiffusion;
import dev.genai4j.models.pointe.KarrasSampler;
import dev.genai4j.models.pointe.PointEConfig;
import dev.genai4j.models.pointe.PointEDenoiser;
import dev.genai4j.models.pointe.PointETransformer;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Files;
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

    private PointEGenerator(PointETransformer model, GaussianDiffusion diffusion, ImageGrid grid) {
        this.model = model;
        this.diffusion = diffusion;
        this.grid = grid;
    }

    /** @param clipOverride CLIP folder for models trained on CLIP grids (or without a stored conditioning); may be null */
    public static PointEGenerator load(Path location, Path clipOverride) {
        Path weightsPath = location, configFile;
        if (Files.isDirectory(location)) {
            if (Files.isRegularFile(location.resolve(PointETrainer.MODEL_DIR).resolve("config.json"))) {
                weightsPath = location.resolve(PointETrainer.MODEL_DIR);   // a training run folder
            }
            configFile = weightsPath.resolve("config.json");
        } else if (Files.isRegularFile(location)) {
            configFile = location.toAbsolutePath().getParent().resolve("config.json");
        } else {
            throw new ConfigException("Point-E model: " + location + " does not exist (expected a run folder, a model folder or a .safetensors/.pt file)");
        }
        if (!Files.isRegularFile(configFile)) {
            throw new ConfigException("Point-E model: " + configFile + " not found; a model needs its config.json (name, width, layers, heads, n_ctx, grid_size, grid_feature_dim)");
        }
        JsonConfig json = JsonConfig.read(configFile);
        PointEConfig cfg = PointEConfig.from(json);
        if (cfg.kind() != PointEConfig.Kind.GRID) {
            throw new ConfigException("Point-E model: " + configFile + " describes " + cfg.kind() + "; img2pc needs the base CLIPImageGridPointDiffusionTransformer");
        }
        ImageGrid g;
        if (json.has("conditioning")) {
            g = ImageGrid.fromJson(JsonConfig.parse(json.tree().get("conditioning").toString(), configFile + "#conditioning"), clipOverride);
        } else if (clipOverride != null) {
            g = ClipGrid.load(clipOverride);
        } else {
            throw new ConfigException("Point-E model: " + configFile + " names no conditioning; pass the CLIP folder it was trained with (--clip DIR; "
                    + "the released base models need CLIP ViT-L/14)");
        }
        if (g.gridSize() != cfg.gridSize() || g.featureDim() != cfg.gridFeatureDim()) {
            throw new ConfigException("Point-E model: the conditioning gives a " + g.gridSize() + "×" + g.gridSize() + " grid of " + g.featureDim()
                    + " but " + configFile + " expects " + cfg.gridSize() + "×" + cfg.gridSize() + " of " + cfg.gridFeatureDim());
        }
        int timesteps = json.has("diffusion") ? json.tree().get("diffusion").path("timesteps").asInt(1024) : 1024;
        GaussianDiffusion d = GaussianDiffusion.of("cosine", timesteps, GaussianDiffusion.DEFAULT_SCALES, GaussianDiffusion.DEFAULT_BIASES);
        Weights w = Weights.open(weightsPath);
        return new PointEGenerator(PointETransformer.load(w, cfg), d, g);
    }

    public PointEConfig config() { return model.config(); }

    /** The ready-made generator of a model already in memory (tests, evaluation during training). */
    public static PointEGenerator of(PointETransformer model, GaussianDiffusion diffusion, ImageGrid grid) {
        return new PointEGenerator(model, diffusion, grid);
    }

    /**
     * @param points   must be the model's n_ctx (the upsampler to 4,096 is a separate model)
     * @param guidance classifier-free guidance scale (Point-E uses 3; 1 or 0 turns it off)
     * @param seed     seeds the initial noise and the churn noise: same seed, same cloud
     */
    public PointCloud generate(RgbImage image, int points, float guidance, long seed) { return generate(image, points, guidance, seed, done -> {}); }

    /** Sampler steps per cloud (Point-E's 64 Karras steps): the total that {@code stepsDone} counts to. */
    public int samplingSteps() { return SAMPLER.steps(); }

    /** As {@link #generate(RgbImage, int, float, long)}; {@code stepsDone} hears the count of finished sampler steps (a progress bar). */
    public PointCloud generate(RgbImage image, int points, float guidance, long seed, java.util.function.IntConsumer stepsDone) {
        int nCtx = model.config().nCtx();
        if (points != nCtx) {
            throw new IllegalArgumentException("Point-E: this model makes exactly " + nCtx + " points per cloud (its n_ctx), not " + points
                    + "; 4,096-point clouds need the upsampler, which is not trained here");
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
            return PointClouds.toCloud(r.predXStart(), 0, diffusion);
        }
    }

}
