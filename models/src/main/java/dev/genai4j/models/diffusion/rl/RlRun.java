package dev.genai4j.models.diffusion.rl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.models.diffusion.ClassImages;
import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.PromptCache;
import dev.genai4j.models.diffusion.SampleImages;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.models.diffusion.eval.FashionClassifier;
import dev.genai4j.models.diffusion.eval.Metrics;
import dev.genai4j.models.diffusion.eval.LinePlot;
import dev.genai4j.models.diffusion.reward.Reward;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A whole RL fine-tuning run ({@code genai4j rl}): an evaluation of the base model on the
 * held-out prompts (fixed seed), the epochs of the chosen method with one row per epoch in
 * {@code rewards.csv} and {@code reward_curve.png}, atomic checkpoints (every N epochs, at the
 * time budget, at the end) that {@code resume} continues, and a final evaluation with the same
 * seed: {@code eval.json} (reward, independent accuracy, KL proxy, diversity before and after)
 * and {@code before_after.png} (base samples above, fine-tuned below, same noise).
 *
 * <pre>{@code
 * RlRun.run(runCfg, RlConfig.defaults(RlMethod.DDPO_SF), inputs, System.err);
 * }</pre>
 */
public final class RlRun {
    public static final String CSV = "rewards.csv", CURVE = "reward_curve.png", GRID = "before_after.png", EVAL = "eval.json",
            BEFORE_IMAGES = "samples_before.safetensors";
    static final long EVAL_SEED = 20_231_116L;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RlRun() {}

    /**
     * What a run works on; the CLI loads these from folders, tests build tiny ones.
     *
     * @param policy          the UNet to fine-tune, holding the base weights
     * @param reference       a frozen copy of the base (DPOK's KL and every run's KL proxy)
     * @param textEncoderJson the base folder's {@code text_encoder.json}, copied into checkpoints (may be null)
     * @param logReward       the base reward logged next to a TextNorm reward (or null)
     * @param pretrain        real images for sft's pretraining term (called only for sft with β &gt; 0)
     * @param evaluator       the independent classifier (or null: no accuracy, no diversity)
     */
    public record Inputs(UNet policy, UNet reference, NoiseSchedule schedule, PromptCache prompts, Path textEncoderJson, Reward reward,
                         Reward logReward, Supplier<ClassImages> pretrain, FashionClassifier evaluator, Metrics.Moments realFeatures) {
        /** Without a Fréchet reference (the evaluation then reports none). */
        public Inputs(UNet policy, UNet reference, NoiseSchedule schedule, PromptCache prompts, Path textEncoderJson, Reward reward,
                      Reward logReward, Supplier<ClassImages> pretrain, FashionClassifier evaluator) {
            this(policy, reference, schedule, prompts, textEncoderJson, reward, logReward, pretrain, evaluator, null);
        }
    }

    /** What the run ends with. */
    public record Outcome(List<EpochStats> history, RlEvaluation.Result before, RlEvaluation.Result after, boolean finished) {}

    public static Outcome run(RlRunConfig run, RlConfig cfg, Inputs in, PrintStream log) {
        Path out = run.output();
        if (cfg.steps() > in.schedule().length()) {
            throw new DiffusionException("rl: --steps must lie in 1.." + in.schedule().length() + " (the model's num_train_timesteps), got " + cfg.steps());
        }
        RlCheckpoint.Loaded loaded = null;
        if (run.resume()) {
            loaded = RlCheckpoint.read(out);
            checkCompatible(loaded, run, cfg, in.policy());
        } else if (RlCheckpoint.exists(out)) {
            throw new DiffusionException("rl: " + out + " already holds an RL checkpoint; continue it with --resume or choose another --output");
        }
        RlAlgorithm alg = cfg.method() == RlMethod.SFT
                ? new RewardWeightedSft(in.policy(), in.schedule(), in.prompts(), in.reward(), in.logReward(), cfg,
                        cfg.beta() > 0 ? in.pretrain().get() : null)
                : new RlTrainer(in.policy(), in.reference(), in.schedule(), in.prompts(), in.reward(), in.logReward(), cfg);
        List<EpochStats> history = new ArrayList<>();
        RlEvaluation.Result before;
        Tensor beforeImages;
        int epoch = 0;
        if (loaded != null) {
            if (in.policy().hasLora()) PolicyParameters.restore(in.policy(), loaded.tensors(), loaded.dir());   // base weights stay as loaded
            else in.policy().loadStateDict(loaded.weights(), true);
            alg.restore(loaded.tensors(), loaded.state().path("algorithm"));
            epoch = loaded.state().path("epoch").asInt();
            for (JsonNode row : loaded.state().path("history")) history.add(EpochStats.parse(row.asText()));
            before = resultFromJson(loaded.state().path("before"));
            beforeImages = Files.isRegularFile(out.resolve(BEFORE_IMAGES)) ? RlCheckpoint.readAll(out.resolve(BEFORE_IMAGES)).get("images") : null;
            log.printf(Locale.ROOT, "rl: resumed %s at epoch %d%n", loaded.dir(), epoch);
        } else {
            createDirectories(out);
            RlEvaluation.Result b = evaluate(run, cfg, in);
            before = b;
            beforeImages = b == null ? null : b.images();
            if (b != null) {
                new SafetensorsWriter().write(out.resolve(BEFORE_IMAGES), Map.of("images", b.images()));
                log.printf(Locale.ROOT, "rl: base model on %d held-out images: reward %.4f, evaluator accuracy %.3f%n", b.count(), b.reward(), b.accuracy());
            }
            if (alg instanceof RewardWeightedSft sft) {
                sft.prepare(run.prompts());
                log.printf(Locale.ROOT, "rl sft: drew and scored %d base samples (mean reward %.4f)%n", cfg.sftSamples(), RlEvaluation.mean(sft.setRewards()));
            }
        }
        log.printf(Locale.ROOT, "rl: %s on reward %s, %d prompts, %d samples/epoch, %d DDIM steps (eta %.1f, guidance %.1f), lr %.1e, epochs %d..%d%n",
                cfg.method().cliName(), run.rewardLabel(), run.prompts().size(), cfg.samplesPerEpoch(), cfg.steps(), cfg.eta(), cfg.guidance(),
                cfg.lr(), epoch + 1, run.epochs());
        long start = System.nanoTime();
        while (epoch < run.epochs()) {
            epoch++;
            EpochStats s = alg.epoch(run.prompts(), epoch);
            history.add(s);
            log.printf(Locale.ROOT, "epoch %d/%d  reward %.4f ± %.4f%s  loss %.4f%s%s  %.1f s%n", epoch, run.epochs(), s.rewardMean(), s.rewardStd(),
                    Double.isNaN(s.baseReward()) ? "" : String.format(Locale.ROOT, " (base %.4f)", s.baseReward()), s.loss(),
                    Double.isNaN(s.kl()) ? "" : String.format(Locale.ROOT, "  kl/step %.3f", s.kl()),
                    Double.isNaN(s.clipFraction()) ? "" : String.format(Locale.ROOT, "  clipfrac %.3f", s.clipFraction()), s.seconds());
            writeCurves(out, history, run.rewardLabel(), cfg.method());
            boolean outOfTime = run.minutes() > 0 && (System.nanoTime() - start) / 6e10 >= run.minutes();
            if (epoch % run.checkpointEvery() == 0 || epoch == run.epochs() || outOfTime) {
                checkpoint(out, run, cfg, in, alg, epoch, history, before);
                log.printf(Locale.ROOT, "checkpoint: %s at epoch %d%n", out.resolve(RlCheckpoint.DIR), epoch);
            }
            if (outOfTime && epoch < run.epochs()) {
                log.printf(Locale.ROOT, "rl: stopped at epoch %d (time budget %.1f min); continue with --resume%n", epoch, run.minutes());
                return new Outcome(history, before, null, false);
            }
        }
        RlEvaluation.Result after = evaluate(run, cfg, in);
        if (after != null) {
            ObjectNode e = JSON.createObjectNode();
            e.put("method", cfg.method().cliName());
            e.put("reward", run.rewardLabel());
            e.put("epochs", epoch);
            if (before != null) e.set("before", before.toJson());
            e.set("after", after.toJson());
            writeAtomically(out.resolve(EVAL), json(e));
            if (beforeImages != null) {
                List<String> labels = new ArrayList<>();
                for (String who : List.of("base", cfg.method().cliName())) {
                    for (int i = 0; i < after.count(); i++) labels.add(i % run.evalPerPrompt() == 0 ? who + ": " + shortName(after.prompts().get(i)) : "");
                }
                SampleImages.writeGrid(Tensor.cat(List.of(beforeImages, after.images()), 0), run.evalPerPrompt(), 3, labels, out.resolve(GRID));
            }
            log.printf(Locale.ROOT, "rl: held-out reward %.4f → %.4f, evaluator accuracy %.3f → %.3f, KL proxy %.2f, diversity %.3f → %.3f,"
                            + " Fréchet %.1f → %.1f%n",
                    before == null ? Double.NaN : before.reward(), after.reward(), before == null ? Double.NaN : before.accuracy(), after.accuracy(),
                    after.klProxy(), before == null ? Double.NaN : before.diversity(), after.diversity(),
                    before == null ? Double.NaN : before.frechet(), after.frechet());
        }
        log.printf(Locale.ROOT, "rl: done, %d epochs; fine-tuned model folder %s%n", epoch, out.resolve(RlCheckpoint.DIR));
        return new Outcome(history, before, after, true);
    }

    /** The Fashion-MNIST class a prompt names (a grid label fits one word), else the prompt. */
    static String shortName(String prompt) {
        var m = dev.genai4j.models.diffusion.eval.PromptClasses.fashionMnist().find(prompt);
        return m == null ? prompt : prompt.substring(m.start(), m.end());
    }

    /** A checkpoint of another UNet shape, another method or another reward cannot continue this run. */
    static void checkCompatible(RlCheckpoint.Loaded c, RlRunConfig run, RlConfig cfg, UNet policy) {
        if (!c.config().equals(policy.config())) {
            throw new DiffusionException("resume: the checkpoint in " + c.dir() + " holds a UNet of another shape (block_out_channels "
                    + java.util.Arrays.toString(c.config().blockOutChannels()) + ", " + c.config().inChannels() + " channel(s), " + c.config().sampleSize()
                    + " px) than the base model (block_out_channels " + java.util.Arrays.toString(policy.config().blockOutChannels()) + ", "
                    + policy.config().inChannels() + " channel(s), " + policy.config().sampleSize() + " px); pass the --model it was started from or a new --output");
        }
        int rank = c.state().path("lora_rank").asInt(0);
        if (rank != policy.loraRank()) {
            throw new DiffusionException("resume: the checkpoint in " + c.dir() + (rank == 0 ? " fine-tuned every weight" : " was fine-tuned with LoRA rank " + rank)
                    + ", this run " + (policy.loraRank() == 0 ? "has no LoRA" : "has LoRA rank " + policy.loraRank()) + "; pass " + (rank == 0 ? "no --lora-rank" : "--lora-rank " + rank));
        }
        String method = c.state().path("method").asText();
        if (!method.equals(cfg.method().cliName())) {
            throw new DiffusionException("resume: the checkpoint in " + c.dir() + " is a '" + method + "' run, not '" + cfg.method().cliName() + "'");
        }
        String reward = c.state().path("reward").asText();
        if (!reward.equals(run.rewardLabel())) {
            throw new DiffusionException("resume: the checkpoint in " + c.dir() + " was trained on reward '" + reward + "', not '" + run.rewardLabel() + "'");
        }
    }

    private static RlEvaluation.Result evaluate(RlRunConfig run, RlConfig cfg, Inputs in) {
        if (run.evalPrompts().isEmpty() || run.evalPerPrompt() == 0) return null;
        return RlEvaluation.evaluate(in.policy(), in.reference(), in.schedule(), in.prompts(), in.reward(), in.logReward(), in.evaluator(),
                in.realFeatures(), run.evalPrompts(), run.evalPerPrompt(), cfg, EVAL_SEED);
    }

    private static void checkpoint(Path out, RlRunConfig run, RlConfig cfg, Inputs in, RlAlgorithm alg, int epoch, List<EpochStats> history,
                                   RlEvaluation.Result before) {
        ObjectNode state = JSON.createObjectNode();
        state.put("epoch", epoch);
        state.put("method", cfg.method().cliName());
        state.put("reward", run.rewardLabel());
        state.put("seed", cfg.seed());
        state.put("lora_rank", in.policy().loraRank());
        state.put("lora_alpha", in.policy().loraAlpha());
        ArrayNode h = state.putArray("history");
        for (EpochStats s : history) h.add(s.csvRow());
        if (before != null) state.set("before", before.toJson());
        state.set("algorithm", alg.jsonState());
        Map<String, Tensor> tensors = new java.util.LinkedHashMap<>(alg.tensorState());
        PolicyParameters.save(alg.policy(), tensors);
        RlCheckpoint.write(out, alg.policy(), in.schedule(), in.textEncoderJson(), tensors, state);
    }

    static RlEvaluation.Result resultFromJson(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return null;
        return new RlEvaluation.Result(number(n, "reward_mean"), number(n, "base_reward_mean"), number(n, "evaluator_accuracy"),
                number(n, "kl_proxy"), number(n, "diversity"), number(n, "frechet_distance"), n.path("images").asInt(), null, List.of());
    }

    /** A number field, NaN when it is missing or null (not measured); checkpoints before session 6 wrote "NaN" strings, which parse. */
    private static double number(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? Double.NaN : v.asDouble(Double.NaN);
    }

    /** rewards.csv and reward_curve.png from the whole history. */
    static void writeCurves(Path out, List<EpochStats> history, String rewardLabel, RlMethod method) {
        StringBuilder csv = new StringBuilder(EpochStats.CSV_HEADER).append('\n');
        double[] x = new double[history.size()], y = new double[history.size()], base = new double[history.size()];
        boolean hasBase = false;
        for (int i = 0; i < history.size(); i++) {
            EpochStats s = history.get(i);
            csv.append(s.csvRow()).append('\n');
            x[i] = s.epoch();
            y[i] = s.rewardMean();
            base[i] = s.baseReward();
            hasBase |= !Double.isNaN(s.baseReward());
        }
        writeAtomically(out.resolve(CSV), csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        LinePlot plot = new LinePlot(method.cliName() + ": mean reward per epoch", "epoch", "mean reward (" + rewardLabel + ")").series(rewardLabel, x, y);
        if (hasBase) plot.series(rewardLabel.replace(dev.genai4j.models.diffusion.reward.TextNorm.NAME_SUFFIX, "") + " (base)", x, base);
        plot.write(out.resolve(CURVE), 640, 400);
    }

    private static byte[] json(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new CheckpointException("rl: cannot serialize JSON: " + e, e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointException("rl: cannot create " + dir + ": " + e, e);
        }
    }

    static void writeAtomically(Path file, byte[] bytes) {
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CheckpointException("rl: cannot write " + file + ": " + e, e);
        }
    }
}
