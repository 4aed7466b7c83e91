package dev.genai4j.models.diffusion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.nn.Parameter;
import dev.genai4j.optim.AdamW;
import dev.genai4j.optim.Ema;
import dev.genai4j.optim.GradClip;
import dev.genai4j.optim.LrSchedule;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import dev.genai4j.train.StepProgress;
import dev.genai4j.train.TrainingListener;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a text-conditioned UNet as DDPM does (arXiv 2006.11239, Algorithm 1): x_t = √ᾱ_t·x0 +
 * √(1−ᾱ_t)·ε with t uniform, loss ‖ε − ε̂(x_t, t, text)‖²; the text replaced by the null condition
 * for {@code condDropout} of the images (classifier-free guidance, arXiv 2207.12598). AdamW with
 * warmup + cosine decay, global-norm clipping, EMA weights (what is sampled from), atomic
 * checkpoints with resume, periodic sample grids.
 *
 * <pre>{@code
 * var t = new DiffusionTrainer(unet, NoiseSchedule.linear(1000, 1e-4, 0.02), new PromptCache(enc), cfg);
 * float loss = t.step(x0, prompts, rng);      // x0 [B, C, S, S] in [-1, 1]; a null prompt = unconditional
 * DiffusionTrainer.run(cfg, c -> DiffusionData.fashionMnist(), false, System.err);
 * }</pre>
 */
public final class DiffusionTrainer {
    private final UNet unet;
    private final NoiseSchedule schedule;
    private final PromptCache prompts;
    private final DiffusionTrainConfig cfg;
    private final List<Parameter> params;
    private final AdamW opt;
    private final Ema ema;
    private final LrSchedule lrSchedule;
    private long step;

    public DiffusionTrainer(UNet unet, NoiseSchedule schedule, PromptCache prompts, DiffusionTrainConfig cfg) {
        this.unet = unet;
        this.schedule = schedule;
        this.prompts = prompts;
        this.cfg = cfg;
        unet.trainable();
        this.params = unet.parameters();
        this.opt = new AdamW(params, cfg.lr(), 0.9, 0.999, 1e-8, cfg.weightDecay(), false);
        this.ema = new Ema(params, Ema.Config.diffusers(cfg.emaDecay()));
        this.lrSchedule = LrSchedule.linearWarmupCosineDecay(cfg.warmup(), cfg.steps(), 0.05);
    }

    public UNet unet() { return unet; }

    public long stepCount() { return step; }

    /** One optimizer step on x0 [B, C, S, S] with one prompt per image (null: the null condition); returns the loss. */
    public float step(Tensor x0, List<String> batchPrompts, Rng rng) {
        int b = x0.size(0);
        if (batchPrompts.size() != b) throw new DiffusionException("train step: " + batchPrompts.size() + " prompts for " + b + " images");
        List<String> cond = new ArrayList<>(batchPrompts);
        for (int i = 0; i < b; i++) if (rng.uniform() < cfg.condDropout()) cond.set(i, null);
        Tensor text = prompts.batch(cond);                               // [B, L, D]
        int[] t = new int[b];
        float[] tf = new float[b];
        for (int i = 0; i < b; i++) tf[i] = t[i] = rng.nextInt(schedule.length());
        Tensor eps = Tensor.randn(rng, x0.shape());
        Tensor xt = schedule.addNoise(x0, eps, t);
        lrSchedule.apply(opt, cfg.lr(), step);
        Tensor loss = unet.forward(xt, tf, text).sub(eps).square().mean();
        loss.backward();
        GradClip.clipGlobalNorm(params, cfg.gradClip());
        opt.step();
        opt.zeroGrad();
        ema.step();
        step++;
        return loss.item();
    }

    /** Mean loss over a fixed batch without updating anything (the same seed gives the same t and ε). */
    public float evalLoss(Tensor x0, List<String> batchPrompts, long seed) {
        Rng rng = new Rng(seed);
        int b = x0.size(0);
        int[] t = new int[b];
        float[] tf = new float[b];
        for (int i = 0; i < b; i++) tf[i] = t[i] = rng.nextInt(schedule.length());
        try (var g = NoGrad.enter()) {
            Tensor eps = Tensor.randn(rng, x0.shape());
            return unet.forward(schedule.addNoise(x0, eps, t), tf, prompts.batch(batchPrompts)).sub(eps).square().mean().item();
        }
    }

    /** The EMA weights under the UNet's parameter names. */
    public Map<String, Tensor> emaWeights() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int i = 0;
        for (String name : unet.namedParameters().keySet()) out.put(name, ema.shadow(i++));
        return out;
    }

    /** Runs {@code body} with the EMA weights swapped into the UNet. */
    public <T> T withEmaWeights(java.util.function.Supplier<T> body) {
        ema.store(unet);
        ema.copyTo(unet);
        try {
            return body.get();
        } finally {
            ema.restore(unet);
        }
    }

    void save(Path runDir, long seed) {
        ObjectNode state = new ObjectMapper().createObjectNode();
        state.put("step", step);
        state.put("ema_updates", ema.updates());
        state.put("seed", seed);
        state.put("steps", cfg.steps());
        state.put("batch_size", cfg.batchSize());
        state.put("lr", cfg.lr());
        DiffusionCheckpoint.write(runDir, unet, emaWeights(), schedule, prompts.encoder(), opt.stateDict(), state);
    }

    void restore(DiffusionCheckpoint.Loaded c) {
        unet.loadStateDict(c.raw(), true);
        opt.loadStateDict(c.optimizer());
        Map<String, Tensor> shadow = new LinkedHashMap<>();
        int i = 0;
        for (String name : unet.namedParameters().keySet()) {
            Tensor t = c.ema().get(name);
            if (t == null) throw new DiffusionException("resume: " + c.dir() + " has no EMA weight " + name);
            shadow.put("shadow." + i++, t);
        }
        shadow.put("optimization_step", Tensor.scalar(c.state().path("ema_updates").asLong()));
        ema.loadStateDict(shadow);
        step = c.state().path("step").asLong();
    }

    /** A whole run: data, model (fresh or resumed), the loop with progress, checkpoints and sample grids, a final checkpoint. */
    public static void run(DiffusionTrainConfig cfg, ClassImages data, PromptEncoder encoder, boolean resume, PrintStream log) {
        run(cfg, data, encoder, resume, log, TrainingListener.printing(log));
    }

    /** As {@link #run(DiffusionTrainConfig, ClassImages, PromptEncoder, boolean, PrintStream)}; logged steps go to {@code steps}, other messages to {@code log}. */
    public static void run(DiffusionTrainConfig cfg, ClassImages data, PromptEncoder encoder, boolean resume, PrintStream log, TrainingListener steps) {
        Path out = cfg.outputDir();
        UNetConfig uc = data.unetConfig();
        DiffusionCheckpoint.Loaded loaded = null;
        if (resume) {
            loaded = DiffusionCheckpoint.read(out);
            if (!loaded.config().equals(uc) && loaded.config().inChannels() != data.channels()) {
                throw new DiffusionException("resume: the checkpoint in " + loaded.dir() + " has " + loaded.config().inChannels()
                        + " image channels, the data set " + data.channels());
            }
            uc = loaded.config();
        }
        if (uc.crossAttentionDim() != encoder.dim()) {
            throw new DiffusionException("train diffusion: the UNet expects " + uc.crossAttentionDim() + "-wide text states, the encoder gives " + encoder.dim());
        }
        NoiseSchedule schedule = NoiseSchedule.of(cfg.schedule(), cfg.trainTimesteps(), 1e-4, 0.02);
        UNet unet = new UNet(uc, new Rng(cfg.seed()));
        DiffusionTrainer trainer = new DiffusionTrainer(unet, schedule, new PromptCache(encoder), cfg);
        if (loaded != null) {
            trainer.restore(loaded);
            log.printf(Locale.ROOT, "train diffusion: resumed %s at step %d%n", loaded.dir(), trainer.step);
        }
        log.printf(Locale.ROOT, "train diffusion: %s, %d training images, UNet %.2f M parameters, batch %d, %d steps, lr %.1e, T=%d %s%n",
                cfg.data(), data.size(), unet.parameterCount() / 1e6, cfg.batchSize(), cfg.steps(), cfg.lr(), schedule.length(), schedule.name());
        Rng rng = new Rng(cfg.seed() * 1_000_003L + trainer.step);
        long start = System.nanoTime(), lastCkpt = start, startStep = trainer.step;
        double lossSum = 0;
        int lossN = 0;
        while (trainer.step < cfg.steps()) {
            int[] idx = new int[cfg.batchSize()];
            List<String> ps = new ArrayList<>();
            for (int i = 0; i < idx.length; i++) {
                idx[i] = rng.nextInt(data.size());
                ps.add(data.trainingPrompt(idx[i], rng));
            }
            Tensor x0 = data.images(idx);
            if (rng.uniform() < 0.5f && data.flipAugment()) x0 = x0.flip(3).contiguous();
            lossSum += trainer.step(x0, ps, rng);
            lossN++;
            double elapsed = (System.nanoTime() - start) / 1e9;
            boolean outOfTime = cfg.minutes() > 0 && elapsed >= cfg.minutes() * 60 || cfg.stopAt() > 0 && trainer.step >= cfg.stopAt();
            if (trainer.step % cfg.logEvery() == 0 || trainer.step == cfg.steps() || outOfTime) {
                double rate = (trainer.step - startStep) / elapsed;
                double eta = (cfg.steps() - trainer.step) / Math.max(rate, 1e-9);
                steps.onStep(new StepProgress(trainer.step, cfg.steps(), lossSum / lossN,
                        StepProgress.metrics("lr", trainer.opt.lr(), "steps_per_s", rate, "eta_s", eta),
                        String.format(Locale.ROOT, "step %d/%d  loss %.4f  lr %.2e  %.3f steps/s  ETA %s", trainer.step, cfg.steps(), lossSum / lossN,
                                trainer.opt.lr(), rate, duration(eta))));
                lossSum = 0;
                lossN = 0;
            }
            if (cfg.sampleEvery() > 0 && trainer.step % cfg.sampleEvery() == 0) writeSamples(trainer, data, out.resolve("samples"));
            boolean ckptDue = (System.nanoTime() - lastCkpt) / 6e10 >= cfg.checkpointMinutes();
            if (ckptDue || outOfTime) {
                trainer.save(out, cfg.seed());
                lastCkpt = System.nanoTime();
                log.printf(Locale.ROOT, "checkpoint: %s at step %d%n", out.resolve(DiffusionCheckpoint.DIR), trainer.step);
            }
            if (outOfTime) {
                log.printf(Locale.ROOT, "train diffusion: stopped at step %d (time budget %.1f min, stop-at %d); continue with --resume%n",
                        trainer.step, cfg.minutes(), cfg.stopAt());
                return;
            }
        }
        trainer.save(out, cfg.seed());
        if (cfg.sampleEvery() > 0) writeSamples(trainer, data, out.resolve("samples"));
        log.printf(Locale.ROOT, "train diffusion: done, %d steps; model folder %s%n", trainer.step, out.resolve(DiffusionCheckpoint.DIR));
    }

    /** A grid of one row per class (4 samples each, guidance 3, 25 DDIM steps) from the EMA weights. */
    static void writeSamples(DiffusionTrainer trainer, ClassImages data, Path dir) {
        int classes = data.prompts().classNames().size(), per = 4;
        List<String> ps = new ArrayList<>();
        for (int c = 0; c < classes; c++) for (int k = 0; k < per; k++) ps.add(data.samplePrompt(c));
        Tensor images = trainer.withEmaWeights(() -> {
            DiffusionSampler s = new DiffusionSampler(trainer.unet, trainer.schedule);
            return s.sample(trainer.prompts.batch(ps), SamplerOptions.ddim(25, 0f, 3f), new Rng(1234));
        });
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < classes; c++) for (int k = 0; k < per; k++) labels.add(k == 0 ? data.prompts().classNames().get(c) : "");
        SampleImages.writeGrid(images, per, 2, labels, dir.resolve(String.format(Locale.ROOT, "step_%06d.png", trainer.step)));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60) : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

}
