package dev.genai4j.models.pointe.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.CheckpointFolder;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.models.pointe.GaussianDiffusion;
import dev.genai4j.models.pointe.PointEConfig;
import dev.genai4j.models.pointe.PointETransformer;
import dev.genai4j.nn.Parameter;
import dev.genai4j.optim.AdamW;
import dev.genai4j.optim.Ema;
import dev.genai4j.optim.GradClip;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import dev.genai4j.train.StepProgress;
import dev.genai4j.train.TrainingListener;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains Point-E's base transformer (image grid → 1,024 coloured points) or, with {@code lowRes > 0}, its upsampler
 * ({@code CLIPImageGridUpsamplePointDiffusionTransformer}: image grid + a low-res cloud → more points of the same
 * shape), the training code the
 * paper's authors did not release, written from the paper (§4) and the reference's diffusion code:
 * uniform timesteps over a 1,024-step cosine schedule, the {@link HybridLoss} (ε MSE plus the
 * variational bound for the learned-range variance), conditioning dropped for 10 % of samples
 * (zeroed grid, as the sampler's unconditional half) for classifier-free guidance, AdamW with linear
 * warm-up, gradient clipping, and an EMA of the weights that is what {@code model/} exports.
 *
 * <p>Upsampler runs: each step draws {@code lowRes + points} distinct points of a scene's cloud; the first {@code lowRes}
 * (data space, as the reference's sampler hands the base stage's output over) are the {@code low_res} condition and the rest
 * are the target, on the reference's linear upsample schedule. Condition dropout zeroes the image grid only, as the
 * reference's upsampler does in training ({@code clip_out * mask}); the low-res cloud is always given.
 *
 * <p>Every step's randomness (examples, view, point subset, timesteps, noise, dropout) comes from
 * {@code Rng(seed, step)}, so a resumed run takes exactly the steps the uninterrupted one would.
 *
 * <pre>{@code
 * PointETrainer t = PointETrainer.create(PointETrainConfig.small(data, out), false);
 * t.run(System.err);    // checkpoints into out/checkpoint, EMA model into out/model
 * }</pre>
 */
public final class PointETrainer {
    public static final String MODEL_DIR = "model";
    public static final String LOSS_FILE = "loss.tsv";

    /**
     * One step's inputs: clean clouds [N, 6, points] (model space), grids (dropped ones zeroed), timesteps, noise, and for
     * the upsampler the low-res clouds [N, 6, lowRes] in data space (xyz, RGB 0..255; null for the base model).
     */
    public record Batch(Tensor x0, Tensor grid, int[] t, Tensor noise, Tensor lowRes) {}

    /** One step's losses (batch means) before the update. */
    public record StepResult(int step, double loss, double mse, double vb) {}

    private final PointETrainConfig cfg;
    private final PointEConfig modelConfig;
    private final PointETransformer model;
    private final GaussianDiffusion diffusion;
    private final HybridLoss loss;
    private final ImageGrid grid;
    private final ShapeCloudData data;
    private final AdamW opt;
    private final Ema ema;
    private int step;

    private PointETrainer(PointETrainConfig cfg, ImageGrid grid, ShapeCloudData data, PointETransformer model, int step) {
        this.cfg = cfg;
        this.grid = grid;
        this.data = data;
        this.model = model;
        this.modelConfig = model.config();
        this.diffusion = GaussianDiffusion.of(cfg.schedule(), cfg.timesteps(), GaussianDiffusion.DEFAULT_SCALES, GaussianDiffusion.DEFAULT_BIASES);
        this.loss = HybridLoss.withSnrWeightCap(diffusion, cfg.snrWeightCap());
        model.trainable();
        this.opt = new AdamW(model.parameters(), cfg.lr(), 0.9, 0.999, 1e-8, cfg.weightDecay(), false);
        this.ema = new Ema(model.parameters(), Ema.Config.diffusersWarmup(cfg.emaDecay(), 1.0, 2.0 / 3));
        this.step = step;
    }

    /**
     * A new run, or with {@code resume} the run saved in {@code cfg.output()/checkpoint}: weights, EMA,
     * optimizer and step come from there, the architecture and data settings from its saved config;
     * {@code steps}, {@code maxMinutes}, {@code logEvery} and {@code checkpointEvery} from {@code cfg}.
     */
    public static PointETrainer create(PointETrainConfig cfg, boolean resume) {
        if (resume) {
            PointECheckpoint.Loaded c = PointECheckpoint.read(cfg.output());
            PointETrainConfig saved = TrainConfigJson.read(c.state().get("train_config"), cfg);
            ImageGrid grid = gridFor(saved);
            PointETransformer m = PointEInit.create(modelConfig(saved, grid), new Rng(saved.seed()));
            m.loadStateDict(c.model(), true);
            PointETrainer t = new PointETrainer(saved, grid, ShapeCloudData.open(saved.data(), saved.holdOut()), m, c.state().get("step").asInt());
            t.opt.loadStateDict(c.optimizer());
            t.ema.loadStateDict(c.ema());
            return t;
        }
        if (PointECheckpoint.exists(cfg.output())) {
            throw new CheckpointException("Point-E training: " + cfg.output().toAbsolutePath() + " already holds a checkpoint; pass --resume to continue it "
                    + "or choose another output folder");
        }
        ImageGrid grid = gridFor(cfg);
        PointETransformer m = PointEInit.create(modelConfig(cfg, grid), new Rng(cfg.seed()));
        return new PointETrainer(cfg, grid, ShapeCloudData.open(cfg.data(), cfg.holdOut()), m, 0);
    }

    static ImageGrid gridFor(PointETrainConfig cfg) {
        return cfg.clipDir() != null ? ClipGrid.load(cfg.clipDir()) : new PatchGrid(cfg.imageSize(), cfg.patch(), cfg.positionFeatures());
    }

    static PointEConfig modelConfig(PointETrainConfig cfg, ImageGrid grid) {
        return new PointEConfig(cfg.upsampler() ? PointEConfig.Kind.GRID_UPSAMPLE : PointEConfig.Kind.GRID, 6, 12, cfg.points(), cfg.width(),
                cfg.layers(), cfg.heads(), true, cfg.lowRes(), grid.gridSize(), grid.featureDim(), cfg.pointFrequencies());
    }

    public int step() { return step; }

    public PointETransformer model() { return model; }

    public GaussianDiffusion diffusion() { return diffusion; }

    public PointETrainConfig config() { return cfg; }

    /** The batch of step {@code s} (1-based), a pure function of the seed, the step and the data. */
    public Batch batch(int s) {
        Rng rng = new Rng(cfg.seed() * 0x9E3779B97F4A7C15L + s);
        int n = cfg.batch();
        List<float[]> clouds = new ArrayList<>();
        List<RgbImage> images = new ArrayList<>();
        float[] keep = new float[n];
        int[] t = new int[n];
        for (int b = 0; b < n; b++) {
            ShapeCloudData.Example ex = data.train().get(rng.nextInt(data.train().size()));
            images.add(ex.image(rng.nextInt(ex.images().size())));
            clouds.add(ShapeCloudData.subsample(ex.cloud(), cfg.lowRes() + cfg.points(), rng));   // distinct points: low-res first
            t[b] = cfg.timestepPower() == 1 ? rng.nextInt(cfg.timesteps())
                    : Math.min(cfg.timesteps() - 1, (int) (cfg.timesteps() * Math.pow(rng.uniform(), cfg.timestepPower())));
            keep[b] = rng.uniform() < cfg.condDrop() ? 0f : 1f;
        }
        Tensor all = PointClouds.toModelSpace(clouds, diffusion);                         // [N, 6, lowRes + L]
        Tensor x0 = cfg.upsampler() ? all.narrow(2, cfg.lowRes(), cfg.points()).contiguous() : all;                 // [N, 6, L]
        Tensor lowRes = cfg.upsampler() ? diffusion.unscaleChannels(all.narrow(2, 0, cfg.lowRes()).contiguous()) : null;   // [N, 6, lowRes]
        Tensor g = grid.grid(images);                                                      // [N, G, grid²]
        if (cfg.imageNoise() > 0) g = withPixelNoise(g, cfg.imageNoise(), rng);
        g = g.mul(Tensor.of(keep, n, 1, 1));                                               // dropped rows zero
        Tensor noise = Tensor.randn(rng, x0.shape());
        return new Batch(x0, g, t, noise, lowRes);
    }

    /** Adds N(0, σ²) to the pixel values of a patch grid [N, G, L] (not to its position features). */
    private Tensor withPixelNoise(Tensor g, double sigma, Rng rng) {
        int pixels = 3 * cfg.patch() * cfg.patch(), f = g.size(1), l = g.size(2);
        float[] v = g.contiguous().toFloatArray();
        for (int b = 0; b < g.size(0); b++) {
            for (int i = 0; i < pixels * l; i++) v[b * f * l + i] += (float) (sigma * rng.gaussian());
        }
        return Tensor.of(v, g.shape());
    }

    /** The learning rate of step {@code s}: linear warm-up, then constant. */
    public double lrAt(int s) {
        return cfg.warmup() == 0 ? cfg.lr() : cfg.lr() * Math.min(1.0, s / (double) cfg.warmup());
    }

    /** Losses of {@code b} under the current weights, without an update. */
    public HybridLoss.Terms evaluate(Batch b) {
        try (var g = dev.genai4j.tensor.NoGrad.enter()) {
            return forward(b);
        }
    }

    private HybridLoss.Terms forward(Batch b) {
        Tensor xT = loss.qSample(b.x0(), b.t(), b.noise());
        float[] tf = new float[b.t().length];
        for (int i = 0; i < tf.length; i++) tf[i] = b.t()[i];
        Tensor out = model.forward(xT, Tensor.of(tf, tf.length), b.grid(), b.lowRes());   // [N, 12, L]
        return loss.compute(out, b.x0(), xT, b.t(), b.noise());
    }

    /** One optimizer step on {@code b}; advances the step counter. */
    public StepResult train(Batch b) {
        step++;
        opt.setLr(lrAt(step));
        HybridLoss.Terms terms = forward(b);
        opt.zeroGrad();
        terms.loss().backward();
        if (cfg.gradClip() > 0) GradClip.clipGlobalNorm(model.parameters(), cfg.gradClip());
        opt.step();
        ema.step();
        return new StepResult(step, terms.loss().item(), terms.meanMse(), terms.meanVb());
    }

    /** The next step of the run, on its own batch. */
    public StepResult trainStep() { return train(batch(step + 1)); }

    /** Trains until {@code steps} or {@code maxMinutes}, checkpointing as it goes and at the end. */
    public void run(PrintStream log) { run(log, TrainingListener.printing(log)); }

    /** As {@link #run(PrintStream)}; logged steps go to {@code steps}, other messages to {@code log}. */
    public void run(PrintStream log, TrainingListener steps) {
        long t0 = System.nanoTime(), windowStart = t0;
        int windowSteps = 0;
        double lossSum = 0, mseSum = 0, vbSum = 0;
        trimLossFile();
        log.printf("Point-E training%s: %,d parameters, %d points, grid %d×%d of %d (%s), %d train / %d held-out scenes, from step %d to %d%n",
                cfg.upsampler() ? " (upsampler, " + cfg.lowRes() + " low-res points)" : "", model.parameterCount(), cfg.points(), grid.gridSize(), grid.gridSize(), grid.featureDim(), grid.describe().get("kind"),
                data.train().size(), data.heldOut().size(), step, cfg.steps());
        while (step < cfg.steps()) {
            StepResult r = trainStep();
            lossSum += r.loss();
            mseSum += r.mse();
            vbSum += r.vb();
            windowSteps++;
            boolean outOfTime = cfg.maxMinutes() > 0 && (System.nanoTime() - t0) / 60e9 >= cfg.maxMinutes();
            if (step % cfg.logEvery() == 0 || step == cfg.steps() || outOfTime) {
                double secs = (System.nanoTime() - windowStart) / 1e9, rate = windowSteps / secs;
                double eta = (cfg.steps() - step) / rate;
                steps.onStep(new StepProgress(step, cfg.steps(), lossSum / windowSteps,
                        StepProgress.metrics("mse", mseSum / windowSteps, "vb", vbSum / windowSteps, "lr", opt.lr(), "steps_per_s", rate, "eta_s", eta),
                        String.format("step %d/%d  loss %.4f (mse %.4f, vb %.4f)  lr %.2e  %.3f steps/s  ETA %s", step, cfg.steps(), lossSum / windowSteps,
                                mseSum / windowSteps, vbSum / windowSteps, opt.lr(), rate, duration(eta))));
                appendLoss(step, lossSum / windowSteps, mseSum / windowSteps, vbSum / windowSteps, opt.lr(), (System.nanoTime() - t0) / 1e9);
                windowStart = System.nanoTime();
                windowSteps = 0;
                lossSum = mseSum = vbSum = 0;
            }
            if (step % cfg.checkpointEvery() == 0 || step == cfg.steps() || outOfTime) {
                save();
                log.printf("checkpoint at step %d in %s%n", step, cfg.output().resolve(PointECheckpoint.DIR));
            }
            if (outOfTime) {
                log.printf("stopping after %.1f minutes (--max-minutes); resume with --resume%n", cfg.maxMinutes());
                return;
            }
        }
    }

    /** Writes the resumable checkpoint and the EMA model folder ({@code model/}: config.json + model.safetensors). */
    public void save() {
        ObjectNode state = PointECheckpoint.JSON.createObjectNode();
        state.put("step", step);
        state.set("train_config", TrainConfigJson.write(cfg));
        PointECheckpoint.write(cfg.output(), model.stateDict(), ema.stateDict(), opt.stateDict(), state);
        Map<String, Tensor> averaged = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(model.namedParameters().keySet());
        for (int i = 0; i < names.size(); i++) averaged.put(names.get(i), ema.shadow(i));
        if (cfg.upsampler()) {                                                   // buffers, not parameters: the loader scales low_res with them
            averaged.put("channel_scales", Tensor.of(GaussianDiffusion.DEFAULT_SCALES.clone(), modelConfig.inputChannels()));
            averaged.put("channel_biases", Tensor.of(GaussianDiffusion.DEFAULT_BIASES.clone(), modelConfig.inputChannels()));
        }
        CheckpointFolder.write(cfg.output().resolve(MODEL_DIR), modelJson(), averaged);
    }

    private Map<String, Object> modelJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", cfg.upsampler() ? "CLIPImageGridUpsamplePointDiffusionTransformer" : "CLIPImageGridPointDiffusionTransformer");
        m.put("input_channels", modelConfig.inputChannels());
        m.put("output_channels", modelConfig.outputChannels());
        m.put("n_ctx", modelConfig.nCtx());
        m.put("width", modelConfig.width());
        m.put("layers", modelConfig.layers());
        m.put("heads", modelConfig.heads());
        m.put("time_token_cond", modelConfig.timeTokenCond());
        if (cfg.upsampler()) m.put("cond_ctx", modelConfig.condCtx());
        m.put("grid_size", modelConfig.gridSize());
        m.put("grid_feature_dim", modelConfig.gridFeatureDim());
        if (modelConfig.pointFrequencies() > 0) m.put("point_frequencies", modelConfig.pointFrequencies());
        m.put("conditioning", grid.describe());
        m.put("diffusion", Map.of("schedule", cfg.schedule(), "timesteps", cfg.timesteps()));
        m.put("trained_steps", step);
        m.put("weights", "EMA");
        return m;
    }

    /** Drops loss lines past the checkpoint's step (a resumed run rewrites them). */
    private void trimLossFile() {
        Path f = cfg.output().resolve(LOSS_FILE);
        try {
            if (!Files.exists(f)) {
                Files.createDirectories(cfg.output());
                Files.writeString(f, "step\tloss\tmse\tvb\tlr\tseconds\n");
                return;
            }
            List<String> keep = new ArrayList<>();
            for (String line : Files.readAllLines(f)) {
                String first = line.split("\t", 2)[0];
                if (!first.matches("\\d+") || Integer.parseInt(first) <= step) keep.add(line);
            }
            Files.write(f, keep);
        } catch (IOException e) {
            throw new CheckpointException("Point-E training: cannot write " + f + ": " + e.getMessage(), e);
        }
    }

    private void appendLoss(int s, double l, double mse, double vb, double lr, double seconds) {
        Path f = cfg.output().resolve(LOSS_FILE);
        String line = String.format(java.util.Locale.ROOT, "%d\t%.6f\t%.6f\t%.6f\t%.3e\t%.1f%n", s, l, mse, vb, lr, seconds);
        try {
            Files.writeString(f, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new CheckpointException("Point-E training: cannot append to " + f + ": " + e.getMessage(), e);
        }
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) return "?";
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }

    List<Parameter> parameters() { return model.parameters(); }
}
