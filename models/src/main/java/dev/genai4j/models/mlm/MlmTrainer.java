package dev.genai4j.models.mlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.data.Batch;
import dev.genai4j.data.Batches;
import dev.genai4j.data.MlmCollator;
import dev.genai4j.data.Gcide;
import dev.genai4j.data.GcideEntry;
import dev.genai4j.data.JavaSource;
import dev.genai4j.data.JdkSources;
import dev.genai4j.data.TextCorpus;
import dev.genai4j.data.WordNetGlosses;
import dev.genai4j.data.WordNetSynset;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.io.Weights;
import dev.genai4j.models.modernbert.ModernBertConfig;
import dev.genai4j.models.modernbert.ModernBertForMaskedLM;
import dev.genai4j.nn.Losses;
import dev.genai4j.optim.AdamW;
import dev.genai4j.optim.GradClip;
import dev.genai4j.optim.LrSchedule;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import dev.genai4j.train.StepProgress;
import dev.genai4j.train.TrainingListener;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Pretrains a ModernBERT masked-LM from scratch (arXiv 2412.13663): corpus → byte-level BPE
 * (cached in the run folder) → packed {@code [CLS] … [SEP]} blocks → 30 % masking (80/10/10),
 * sparse prediction, AdamW (β = 0.9/0.98, ε = 1e-6, wd 0.01), linear warmup then cosine decay to
 * 10 % of the peak lr, global gradient clipping at 1.0. Everything a step consumes is a pure
 * function of (seed, step) — batch {@code step mod n} of epoch {@code step / n}, masking seeded by
 * the step — so a run killed after any checkpoint and resumed reproduces the straight run.
 *
 * <p>With a minutes budget and no step count, the schedule length is fixed after the first
 * steps from the measured speed (and stored in the checkpoint); training also stops at the deadline.
 *
 * <pre>{@code
 * MlmTrainer.Summary s = MlmTrainer.run(MlmTrainConfig.defaults(Path.of("runs/mlm")),
 *         c -> MlmTrainer.standardCorpus(c.corpusBytes(), c.sampleRate()), false, System.err);
 * }</pre>
 */
public final class MlmTrainer {
    static final List<Integer> SPECIAL_IDS = List.of(MlmCorpus.PAD_ID, MlmCorpus.UNK_ID, MlmCorpus.CLS_ID, MlmCorpus.SEP_ID);
    /** File with the run settings, beside the final model (what {@code eval} needs to rebuild the data). */
    public static final String RUN_FILE = "mlm_run.json";
    public static final String EVAL_FILE = "eval.json";
    private static final double CLIP_NORM = 1.0;
    private static final double MIN_LR_RATIO = 0.1;
    /**
     * A minutes-budget run times its steps from step TIMING_SKIP (the first are JIT warm-up) until
     * the end of warmup (at least TIMING_STEPS steps), then fixes the schedule length: the lr of the
     * warmup steps does not depend on it.
     */
    private static final int TIMING_SKIP = 10, TIMING_STEPS = 20;

    private MlmTrainer() {}

    /** How a run ended: the step reached, the mean loss of the last logged window, and the evaluation (null if stopped early). */
    public record Summary(int step, int totalSteps, double lastLoss, List<MlmEvaluator.Result> eval) {}

    /**
     * Trains (or with {@code resume} continues from {@code <output>/checkpoint}; {@code corpusFor}
     * gets the effective settings, the stored ones on resume), then — unless
     * stopped by {@code stopAt} — writes the final model into the output folder and evaluates it.
     */
    public static Summary run(MlmTrainConfig requested, Function<MlmTrainConfig, TextCorpus> corpusFor, boolean resume, PrintStream log) {
        return run(requested, corpusFor, resume, log, TrainingListener.printing(log));
    }

    /** As {@link #run(MlmTrainConfig, Function, boolean, PrintStream)}; logged steps go to {@code steps}, other messages to {@code log}. */
    public static Summary run(MlmTrainConfig requested, Function<MlmTrainConfig, TextCorpus> corpusFor, boolean resume, PrintStream log,
                              TrainingListener steps) {
        Path out = requested.outputDir();
        TrainingCheckpoint.Loaded ckpt = null;
        MlmTrainConfig cfg = requested;
        if (resume) {
            ckpt = TrainingCheckpoint.read(out);
            // the stored settings decide the run; only where to stop may change
            cfg = MlmTrainConfig.fromJson(ckpt.state().get("config"), out).withStopAt(requested.stopAt());
        } else if (TrainingCheckpoint.exists(out)) {
            throw new CheckpointException("output folder " + out.toAbsolutePath() + " already holds a training checkpoint;"
                    + " pass --resume to continue it or choose another folder");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new CheckpointException("cannot create the output folder " + out.toAbsolutePath() + ": " + e, e);
        }
        long t0 = System.nanoTime();
        TextCorpus corpus = corpusFor.apply(cfg);
        log.printf(Locale.ROOT, "mlm: corpus %s in %.1f s%n", describe(corpus), (System.nanoTime() - t0) / 1e9);
        Path tokenizerFile = out.resolve("tokenizer.json");
        try (MlmCorpus data = MlmCorpus.prepare(corpus, tokenizerFile, cfg.vocabSize(), cfg.seqLen(), log)) {
            return train(cfg, data, tokenizerFile, ckpt, log, steps);
        }
    }

    private static Summary train(MlmTrainConfig cfg, MlmCorpus data, Path tokenizerFile, TrainingCheckpoint.Loaded ckpt, PrintStream log,
                                 TrainingListener steps) {
        Path out = cfg.outputDir();
        int vocab = data.tokenizer().vocabSize();
        Map<String, Object> modelJson = cfg.modelConfig(vocab);
        ModernBertConfig mc = ModernBertConfig.fromJson(JsonConfig.of(modelJson));
        ModernBertForMaskedLM model;
        if (ckpt == null) {
            model = ModernBertForMaskedLM.fresh(mc, new Rng(cfg.seed()));
        } else {
            model = ModernBertForMaskedLM.load(Weights.ofMap(ckpt.model()), mc, new Rng(cfg.seed()));
            model.trainable();
            model.train(true);
        }
        AdamW opt = new AdamW(model.parameters(), cfg.lr(), 0.9, 0.98, 1e-6, 0.01, false);
        if (ckpt != null) opt.loadStateDict(ckpt.optimizer());

        List<int[]> blocks = data.trainBlocks();
        Batches batches = new Batches(blocks, cfg.batchSize(), MlmCorpus.PAD_ID, cfg.seed(), true);
        if (batches.size() == 0) {
            throw new IllegalArgumentException("mlm: " + blocks.size() + " training blocks make no batch of " + cfg.batchSize() + "; raise the corpus size");
        }
        long params = 0;
        for (var p : model.parameters()) params += p.value().numel();
        log.printf(Locale.ROOT, "mlm: %d train blocks of %d tokens (%d batches/epoch), vocab %d, model %d params (H %d, L %d, heads %d, I %d)%n",
                blocks.size(), cfg.seqLen(), batches.size(), vocab, params, cfg.hiddenSize(), cfg.numLayers(), cfg.numHeads(), cfg.intermediateSize());

        int step = ckpt == null ? 0 : ckpt.state().get("step").asInt();
        final int startStep = step;
        int totalSteps = cfg.steps() > 0 ? cfg.steps() : ckpt == null ? 0 : ckpt.state().path("total_steps").asInt(0);
        double elapsedBefore = ckpt == null ? 0 : ckpt.state().path("elapsed_seconds").asDouble(0);
        long tokensSeen = ckpt == null ? 0 : ckpt.state().path("tokens_seen").asLong(0);
        if (ckpt != null) log.printf(Locale.ROOT, "mlm: resumed at step %d of %d from %s%n", step, totalSteps, ckpt.dir());

        long start = System.nanoTime();
        double deadline = cfg.minutes() > 0 ? cfg.minutes() * 60 - elapsedBefore : Double.POSITIVE_INFINITY;   // seconds from start
        long lastCkptNanos = start, windowStart = start, timingStart = 0;
        int timingFrom = -1, windowSteps = 0, lastSavedStep = step;
        long windowTokens = 0;
        double windowLoss = 0, lastLoss = Double.NaN;
        boolean stoppedEarly = false;
        while (true) {
            if (totalSteps > 0 && step >= totalSteps) break;
            if (cfg.stopAt() > 0 && step >= cfg.stopAt()) { stoppedEarly = true; break; }
            if (seconds(start) >= deadline) {
                log.printf(Locale.ROOT, "mlm: time budget of %.1f min reached at step %d%n", cfg.minutes(), step);
                break;
            }
            LrSchedule schedule = totalSteps > 0
                    ? LrSchedule.linearWarmupCosineDecay(Math.min(cfg.warmup(), totalSteps), totalSteps, MIN_LR_RATIO)
                    : LrSchedule.constantWithWarmup(cfg.warmup());
            schedule.apply(opt, cfg.lr(), step);

            Batch batch = batches.epoch(step / batches.size()).get(step % batches.size());
            Batch masked = maskerFor(vocab, cfg.seed(), step).collate(batch);
            double loss = trainStep(model, opt, masked);
            step++;
            tokensSeen += batch.tokenCount();
            windowTokens += batch.tokenCount();
            windowLoss += loss;
            windowSteps++;

            // a minutes-budget run fixes its schedule length once the speed is known
            if (totalSteps == 0) {
                // (a run resumed before its length was fixed times its own first steps)
                if (timingFrom < 0 && step == startStep + TIMING_SKIP) { timingStart = System.nanoTime(); timingFrom = step; }
                int fixAt = Math.max(timingFrom + TIMING_STEPS, cfg.warmup());
                if (timingFrom >= 0 && step >= fixAt) {
                    double perStep = seconds(timingStart) / (step - timingFrom);
                    // 5 % slack: the machine is shared and checkpoints and the final eval take time too
                    int remaining = (int) Math.floor(0.95 * (deadline - seconds(start)) / perStep);
                    totalSteps = Math.max(step + 1, Math.max(cfg.warmup() + 1, step + remaining));
                    log.printf(Locale.ROOT, "mlm: %.2f s/step → schedule of %d steps for the %.1f-minute budget%n", perStep, totalSteps, cfg.minutes());
                }
            }
            if (step % cfg.logEvery() == 0 || step == totalSteps) {
                double window = seconds(windowStart);
                lastLoss = windowLoss / windowSteps;
                double perStep = window / windowSteps;
                String eta = totalSteps > 0 ? duration(Math.min(perStep * (totalSteps - step), Math.max(0, deadline - seconds(start)))) : "?";
                steps.onStep(new StepProgress(step, totalSteps, lastLoss,
                        StepProgress.metrics("lr", opt.lr(), "tokens_per_s", windowTokens / window, "elapsed_s", elapsedBefore + seconds(start)),
                        String.format(Locale.ROOT, "step %6d/%-6d loss %.4f  lr %.2e  %6.0f tok/s  elapsed %s  ETA %s", step, totalSteps, lastLoss,
                                opt.lr(), windowTokens / window, duration(elapsedBefore + seconds(start)), eta)));
                windowStart = System.nanoTime();
                windowTokens = 0;
                windowLoss = 0;
                windowSteps = 0;
            }
            if (step % cfg.checkpointEvery() == 0 || seconds(lastCkptNanos) >= cfg.checkpointMinutes() * 60) {
                saveCheckpoint(cfg, modelJson, model, opt, tokenizerFile, step, totalSteps, elapsedBefore + seconds(start), tokensSeen, batches.size());
                lastCkptNanos = System.nanoTime();
                lastSavedStep = step;
            }
        }
        if (step != lastSavedStep || ckpt == null) {
            saveCheckpoint(cfg, modelJson, model, opt, tokenizerFile, step, totalSteps, elapsedBefore + seconds(start), tokensSeen, batches.size());
        }
        if (windowSteps > 0) lastLoss = windowLoss / windowSteps;
        if (stoppedEarly) {
            log.printf(Locale.ROOT, "mlm: stopped at step %d (--stop-at); resume with --resume%n", step);
            return new Summary(step, totalSteps, lastLoss, null);
        }

        // the final model: a plain HF folder (config.json, model.safetensors, tokenizer.json) at the run root
        writeFinal(out, modelJson, model, cfg, step, tokensSeen);
        List<MlmEvaluator.Result> results = MlmEvaluator.evaluate(model, data.heldOutBlocks(), baselines(data, vocab), cfg.evalBlocks(), cfg.batchSize());
        writeEval(out, results);
        log.printf(Locale.ROOT, "mlm: %d steps, %d tokens in %s; held-out evaluation (%s):%n%s", step, tokensSeen,
                duration(elapsedBefore + seconds(start)), out.resolve(EVAL_FILE), MlmEvaluator.table(results));
        return new Summary(step, totalSteps, lastLoss, results);
    }

    /** The unigram baseline of each domain, from that domain's training blocks. */
    static Map<String, UnigramBaseline> baselines(MlmCorpus data, int vocab) {
        Map<String, UnigramBaseline> out = new java.util.LinkedHashMap<>();
        data.trainBlocksByDomain().forEach((d, b) -> out.put(d, UnigramBaseline.count(b, vocab, SPECIAL_IDS)));
        return out;
    }

    /** One optimizer step on a masked batch; returns the mean cross-entropy over its masked tokens. */
    static double trainStep(ModernBertForMaskedLM model, AdamW opt, Batch masked) {
        opt.zeroGrad();
        MaskedPositions.Logits out = MaskedPositions.logits(model, masked);
        if (out == null) return Double.NaN;     // nothing masked (only possible on tiny batches)
        Tensor loss = Losses.crossEntropy(out.logits(), out.labels());
        double value = loss.item();
        loss.backward();
        GradClip.clipGlobalNorm(opt.parameters(), CLIP_NORM);
        opt.step();
        return value;
    }

    /** The masking of step {@code step}: its own seed, so it does not depend on what ran before. */
    static MlmCollator maskerFor(int vocab, long seed, int step) {
        long s = (seed * 0x9E3779B97F4A7C15L) ^ (0xC0FFEEL + step * 0xBF58476D1CE4E5B9L);
        return new MlmCollator(vocab, MlmCorpus.MASK_ID, SPECIAL_IDS, MlmCollator.MODERNBERT_MASK_RATE, s);
    }

    private static void saveCheckpoint(MlmTrainConfig cfg, Map<String, Object> modelJson, ModernBertForMaskedLM model, AdamW opt,
                                       Path tokenizerFile, int step, int totalSteps, double elapsed, long tokensSeen, int batchesPerEpoch) {
        ObjectNode state = TrainingCheckpoint.JSON.createObjectNode();
        state.put("step", step).put("total_steps", totalSteps).put("elapsed_seconds", elapsed).put("tokens_seen", tokensSeen)
                // the data position and the masking are functions of (seed, step): see train()
                .put("next_batch", "epoch " + step / batchesPerEpoch + ", batch " + step % batchesPerEpoch);
        state.set("config", cfg.toJson());
        TrainingCheckpoint.write(cfg.outputDir(), modelJson, model.stateDict(), opt.stateDict(), tokenizerFile, state);
    }

    private static void writeFinal(Path out, Map<String, Object> modelJson, ModernBertForMaskedLM model, MlmTrainConfig cfg, int step, long tokens) {
        try {
            new SafetensorsWriter().write(out.resolve(SafetensorsWeights.MODEL_FILE), model.stateDict());
            writeJsonAtomically(out.resolve("config.json"), TrainingCheckpoint.JSON.valueToTree(modelJson));
            ObjectNode run = cfg.toJson();
            run.put("trained_steps", step).put("trained_tokens", tokens);
            writeJsonAtomically(out.resolve(RUN_FILE), run);
        } catch (IOException e) {
            throw new CheckpointException("cannot write the final model into " + out.toAbsolutePath() + ": " + e, e);
        }
    }

    static void writeEval(Path out, List<MlmEvaluator.Result> results) {
        try {
            writeJsonAtomically(out.resolve(EVAL_FILE), MlmEvaluator.json(results));
        } catch (IOException e) {
            throw new CheckpointException("cannot write " + out.resolve(EVAL_FILE) + ": " + e, e);
        }
    }

    public static void writeJsonAtomically(Path file, JsonNode json) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, TrainingCheckpoint.JSON.writeValueAsBytes(json));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String describe(TextCorpus corpus) {
        StringBuilder sb = new StringBuilder();
        corpus.domains().values().forEach(d -> sb.append(sb.isEmpty() ? "" : ", ").append(d.name()).append(' ')
                .append(d.train().size()).append('+').append(d.heldOut().size()).append(" docs ")
                .append(d.trainBytes() / 1000).append(" kB"));
        return sb.toString();
    }

    private static double seconds(long since) { return (System.nanoTime() - since) / 1e9; }

    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    /**
     * Issue 3's MLM data: the {@code prose} (WordNet glosses + GCIDE, half the cap each) and
     * {@code code} (JDK {@code java.*} sources) domains of {@link TextCorpus#standard}, built from
     * the same sources with the same split, without the arithmetic domain.
     */
    public static TextCorpus standardCorpus(long bytesPerDomain, double sampleRate) {
        WordNetGlosses wordnet = WordNetGlosses.openDefault();
        Gcide gcide = Gcide.openDefault();
        JdkSources jdk = JdkSources.openDefault();
        return TextCorpus.builder().maxBytesPerDomain(bytesPerDomain).sampleRate(sampleRate)
                .domain("prose", List.of(() -> wordnet.synsets().map(WordNetSynset::text), () -> gcide.entries().map(GcideEntry::text)))
                .domain("code", List.of(() -> jdk.sources(List.of("java"), true).map(JavaSource::text)))
                .build();
    }
}
