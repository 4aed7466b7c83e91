package dev.genai4j.models.pointe.train;

import dev.genai4j.io.ConfigException;

import java.nio.file.Path;

/**
 * Settings of a Point-E base-model training run ({@link PointETrainer}).
 *
 * @param data         folder written by {@code genai4j pointe data}
 * @param output       run folder: {@code checkpoint/} (resumable state), {@code model/} (EMA weights for img2pc), {@code loss.tsv}
 * @param clipDir      CLIP folder for the reference's frozen-CLIP grid, or null for the pixel-patch grid
 * @param patch        patch side of the pixel-patch grid (renders resized to {@code imageSize})
 * @param points       points per cloud (the model's n_ctx)
 * @param condDrop     share of samples whose grid is zeroed (classifier-free guidance)
 * @param warmup       linear learning-rate warm-up steps
 * @param emaDecay     largest EMA decay (the warm-up schedule 1 − (1 + k)^(−2/3) is capped by it)
 * @param maxMinutes   stop (with a checkpoint) after this much wall time in this process; 0 = no limit
 * @param holdOut      last examples of the dataset kept out of training
 * @param positionFeatures position sinusoids appended to each pixel-patch token ({@link PatchGrid}); 0 for runs made before them
 * @param imageNoise   σ of Gaussian noise added to the pixel-patch values (in [-1, 1] units) of every training image, so that
 *                     the slightly noisy views a text → image model draws look like training data; 0 = none
 * @param snrWeightCap the ε term of each sample weighs max(1, min(1/SNR_t, cap)) ({@link HybridLoss#withSnrWeightCap}); 1 = the reference's loss
 * @param lowRes       0 for the base model; otherwise the run trains the upsampler
 *                     ({@code CLIPImageGridUpsamplePointDiffusionTransformer}): {@code lowRes} points of each cloud condition it
 *                     ({@code cond_ctx}) and it denoises {@code points} more (its n_ctx), on the reference's linear schedule
 * @param timestepPower training timesteps are ⌊T·u^p⌋ for u uniform in [0, 1): 1 = uniform, the reference; p &gt; 1 draws low-noise steps
 *                     more often (p = 3: a third of the samples below t = T/27), where an upsampler's fine placement is learned
 * @param pointFrequencies sin/cos features of each point's coordinates at 2^f·π, f &lt; F ({@link dev.genai4j.models.pointe.PointEConfig#pointFrequencies});
 *                     0 = the reference's point tokens
 *
 * <pre>{@code
 * PointETrainConfig c = PointETrainConfig.small(Path.of("data/shapes"), Path.of("runs/pointe"));
 * }</pre>
 */
public record PointETrainConfig(Path data, Path output, Path clipDir, int imageSize, int patch, int points, int width, int layers,
                                int heads, int timesteps, int steps, int batch, double lr, double weightDecay, int warmup,
                                double emaDecay, double condDrop, double gradClip, long seed, int logEvery, int checkpointEvery,
                                double maxMinutes, int holdOut, int positionFeatures, double imageNoise, double snrWeightCap,
                                int lowRes, int pointFrequencies, double timestepPower) {
    /**
     * Pixel noise of new runs: the speckle of the 32 × 32 views the shape diffusion model draws (standard deviation 0.014–0.084
     * inside 4 × 4 background patches of four drawn views, where the renders have exactly 0).
     */
    public static final double DEFAULT_IMAGE_NOISE = 0.05;

    /** SNR weight cap of new runs. */
    public static final double DEFAULT_SNR_WEIGHT_CAP = 20;

    public PointETrainConfig {
        // (a compact constructor's `this` still holds zeros here: name the arguments themselves)
        java.util.List<String> bad = new java.util.ArrayList<>();
        if (points <= 0) bad.add("points " + points + " (must be > 0)");
        if (width <= 0 || heads <= 0 || width % heads != 0) bad.add("width " + width + " / heads " + heads + " (width a positive multiple of heads)");
        if (layers <= 0) bad.add("layers " + layers + " (must be > 0)");
        if (timesteps < 2) bad.add("timesteps " + timesteps + " (at least 2)");
        if (steps <= 0) bad.add("steps " + steps + " (must be > 0)");
        if (batch <= 0) bad.add("batch " + batch + " (must be > 0)");
        if (!(lr > 0)) bad.add("lr " + lr + " (must be > 0)");
        if (warmup < 0) bad.add("warmup " + warmup + " (must be >= 0)");
        if (!(emaDecay >= 0 && emaDecay < 1)) bad.add("ema decay " + emaDecay + " (in [0, 1))");
        if (!(condDrop >= 0 && condDrop <= 1)) bad.add("cond drop " + condDrop + " (in [0, 1])");
        if (logEvery <= 0 || checkpointEvery <= 0) bad.add("log every " + logEvery + " / checkpoint every " + checkpointEvery + " (must be > 0)");
        if (maxMinutes < 0) bad.add("max minutes " + maxMinutes + " (must be >= 0)");
        if (holdOut < 0) bad.add("hold-out " + holdOut + " (must be >= 0)");
        if (positionFeatures < 0) bad.add("position features " + positionFeatures + " (must be >= 0)");
        if (!(imageNoise >= 0)) bad.add("image noise " + imageNoise + " (must be >= 0)");
        if (!(snrWeightCap >= 1)) bad.add("SNR weight cap " + snrWeightCap + " (must be >= 1)");
        if (lowRes < 0) bad.add("low-res " + lowRes + " (must be >= 0)");
        if (pointFrequencies < 0 || pointFrequencies > dev.genai4j.models.pointe.PointEConfig.MAX_POINT_FREQUENCIES) {
            bad.add("point frequencies " + pointFrequencies + " (0.." + dev.genai4j.models.pointe.PointEConfig.MAX_POINT_FREQUENCIES + ")");
        }
        if (!(timestepPower >= 1 && timestepPower <= 10)) bad.add("timestep power " + timestepPower + " (1..10; 1 = uniform)");
        if (!bad.isEmpty()) throw new ConfigException("Point-E training: invalid settings: " + String.join(", ", bad));
        if (clipDir != null && (positionFeatures > 0 || imageNoise > 0)) {
            throw new ConfigException("Point-E training: position features and image noise apply to the pixel-patch grid; a CLIP grid ("
                    + clipDir + ") carries positions itself and gets its images unchanged");
        }
    }

    /** A base-model run (no low-res conditioning): the settings of runs made before the upsampler. */
    public PointETrainConfig(Path data, Path output, Path clipDir, int imageSize, int patch, int points, int width, int layers,
                             int heads, int timesteps, int steps, int batch, double lr, double weightDecay, int warmup,
                             double emaDecay, double condDrop, double gradClip, long seed, int logEvery, int checkpointEvery,
                             double maxMinutes, int holdOut, int positionFeatures, double imageNoise, double snrWeightCap) {
        this(data, output, clipDir, imageSize, patch, points, width, layers, heads, timesteps, steps, batch, lr, weightDecay, warmup, emaDecay,
                condDrop, gradClip, seed, logEvery, checkpointEvery, maxMinutes, holdOut, positionFeatures, imageNoise, snrWeightCap, 0, 0, 1);
    }

    /** Whether this run trains the upsampler. */
    public boolean upsampler() { return lowRes > 0; }

    /** The diffusion schedule: the reference's cosine for the base model, linear for the upsampler ({@code DIFFUSION_CONFIGS["upsample"]}). */
    public String schedule() { return upsampler() ? "linear" : "cosine"; }

    /** The same run as an upsampler conditioned on {@code n} low-res points (0: the base model). */
    public PointETrainConfig withLowRes(int n) {
        return new PointETrainConfig(data, output, clipDir, imageSize, patch, points, width, layers, heads, timesteps, steps, batch, lr,
                weightDecay, warmup, emaDecay, condDrop, gradClip, seed, logEvery, checkpointEvery, maxMinutes, holdOut, positionFeatures, imageNoise,
                snrWeightCap, n, pointFrequencies, timestepPower);
    }

    /** The same run with {@code f} point frequency features (0: the reference's point tokens). */
    public PointETrainConfig withPointFrequencies(int f) {
        return new PointETrainConfig(data, output, clipDir, imageSize, patch, points, width, layers, heads, timesteps, steps, batch, lr,
                weightDecay, warmup, emaDecay, condDrop, gradClip, seed, logEvery, checkpointEvery, maxMinutes, holdOut, positionFeatures, imageNoise,
                snrWeightCap, lowRes, f, timestepPower);
    }

    /** The same run with training timesteps drawn as ⌊T·u^p⌋ (1: uniform, the reference). */
    public PointETrainConfig withTimestepPower(double p) {
        return new PointETrainConfig(data, output, clipDir, imageSize, patch, points, width, layers, heads, timesteps, steps, batch, lr,
                weightDecay, warmup, emaDecay, condDrop, gradClip, seed, logEvery, checkpointEvery, maxMinutes, holdOut, positionFeatures, imageNoise,
                snrWeightCap, lowRes, pointFrequencies, p);
    }

    /** A CPU-sized model (width 256, 4 layers, 4 heads), 1,024 points, 1,024 cosine timesteps, pixel-patch grid with positions, image noise 0.05. */
    public static PointETrainConfig small(Path data, Path output) {
        return new PointETrainConfig(data, output, null, 64, 8, 1024, 256, 4, 4, 1024, 20_000, 8, 2e-4, 0.0, 200, 0.999, 0.1, 1.0,
                0, 10, 50, 0, 100, PatchGrid.DEFAULT_POSITION_FEATURES, DEFAULT_IMAGE_NOISE, DEFAULT_SNR_WEIGHT_CAP);
    }

    public PointETrainConfig withSteps(int s) {
        return new PointETrainConfig(data, output, clipDir, imageSize, patch, points, width, layers, heads, timesteps, s, batch, lr,
                weightDecay, warmup, emaDecay, condDrop, gradClip, seed, logEvery, checkpointEvery, maxMinutes, holdOut, positionFeatures, imageNoise, snrWeightCap, lowRes, pointFrequencies, timestepPower);
    }
}
