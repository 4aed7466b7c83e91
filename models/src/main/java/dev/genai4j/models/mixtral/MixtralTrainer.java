package dev.genai4j.models.mixtral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.data.Batch;
import dev.genai4j.data.Batches;
import dev.genai4j.data.TextCorpus;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.io.Weights;
import dev.genai4j.models.mlm.MlmTrainer;
import dev.genai4j.models.mlm.TrainingCheckpoint;
import dev.genai4j.nn.Losses;
import dev.genai4j.nn.Reduction;
import dev.genai4j.optim.AdamW;
import dev.genai4j.optim.GradClip;
import dev.genai4j.optim.LrSchedule;
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
 * Pretrains a small Mixtral (arXiv 2401.04088) from scratch as a causal LM: corpus → byte-level BPE
 * (cached in the run folder) → GPT-style packed blocks → next-token cross-entropy plus
 * {@code router_aux_loss_coef} × the load-balancing loss ({@link LoadBalancingLoss}'s formula per layer,
 * averaged — see {@link #perLayerAuxLoss}; always on, padding masked) with router jitter ({@code router_jitter_noise}) in training mode; AdamW
 * (β = 0.9/0.95, ε = 1e-8, wd 0.1), linear warmup then cosine decay to 10 % of the peak lr, global
 * gradient clipping at 1.0. Everything a step consumes is a pure function of (seed, step) — batch
 * {@code step mod n} of epoch {@code step / n}, jitter seeded by the step and layer — so a run killed
 * after any checkpoint and resumed reproduces the straight run. Checkpoints use the MLM trainer's
 * kill-safe {@link TrainingCheckpoint}; the final folder is a plain HF Mixtral folder.
 *
 * <pre>{@code
 * MixtralTrainer.Summary s = MixtralTrainer.run(LmTrainConfig.defaults(Path.of("runs/moe")),
 *         c -> TextCorpus.standard(c.corpusBytes(), c.sampleRate()), false, System.err);
 * }</pre>
 */
public final class MixtralTrainer {
    /** File with the run settings, beside the final model (what {@code eval lm} needs to rebuild the data). */
    public static final String RUN_FILE = "lm_run.json";
    public static final String EVAL_FILE = "eval.json";
    /** Subfolder with the corpus split as text ({@code <domain>.train.txt}, {@code <domain>.heldout.txt}). */
    public static final String CORPUS_DIR = "corpus";
    private static final double CLIP_NORM = 1.0;
    private static final double MIN_LR_RATIO = 0.1;
    private static final int TIMING_SKIP = 5, TIMING_STEPS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private MixtralTrainer() {}

    /** How a run ended: the step reached, the mean LM loss of the last logged window, and the evaluation (null if stopped early). */
    public record Summary(int step, int totalSteps, double lastLoss, List<LmEvaluator.Result> eval) {}

    /** One step's losses: the LM cross-entropy and the (unweighted) load-balancing loss. */
    public record StepLoss(double lm, double aux) {}

    /**
     * Trains (or with {@code resume} continues from {@code <output>/checkpoint}; {@code corpusFor}
     * gets the effective settings, the stored ones on resume), then — unless stopped by
     * {@code stopAt} — writes the final model into the output folder and evaluates it.
     */
    public static Summary run(LmTrainConfig requested, Function<LmTrainConfig, TextCorpus> corpusFor, boolean resume, PrintStream log) {
        return run(requested, corpusFor, resume, log, TrainingListener.printing(log));
    }

    /** As {@link #run(LmTrainConfig, Function, boolean, PrintStream)}; logged steps go to {@code steps}, other messages to {@code log}. */
    public static Summary run(LmTrainConfig requested, Function<LmTrainConfig, TextCorpus> corpusFor, boolean resume, PrintStream log,
                              TrainingListener steps) {
        Path out = requested.outputDir();
        TrainingCheckpoint.Loaded ckpt = null;
        LmTrainConfig cfg = requested;
        if (resume) {
            ckpt = TrainingCheckpoint.read(out);
            cfg = LmTrainConfig.fromJson(ckpt.state().get("config"), out).withStopAt(requested.stopAt());
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
        log.printf(Locale.ROOT, "lm: corpus %s in %.1f s%n", describe(corpus), seconds(t0));
        // the split as text files: held-out ones are what 'moe routing --domain NAME=FILE' reads
        if (!Files.isDirectory(out.resolve(CORPUS_DIR))) corpus.writeFiles(out.resolve(CORPUS_DIR));
        Path tokenizerFile = out.resolve("tokenizer.json");
        try (LmCorpus data = LmCorpus.prepare(corpus, tokenizerFile, cfg.vocabSize(), cfg.seqLen(), log)) {
            return train(cfg, data, tokenizerFile, ckpt, log, steps);
        }
    }

    /** A fresh model in training mode with trainable fp32 parameters (HF's init, {@link MixtralInit#tensors}). */
    public static MixtralForCausalLM fresh(MixtralConfig c, long seed) {
        MixtralForCausalLM m = MixtralForCausalLM.load(Weights.ofMap(MixtralInit.tensors(c, seed)), c);
        m.trainable();
        m.train(true);
        return m;
    }

    private static Summary train(LmTrainConfig cfg, LmCorpus data, Path tokenizerFile, TrainingCheckpoint.Loaded ckpt, PrintStream log,
                                 TrainingListener steps) {
        Path out = cfg.outputDir();
        int vocab = data.tokenizer().vocabSize();
        MixtralConfig mc = cfg.modelConfig(vocab);
        Map<String, Object> modelJson = cfg.modelJson(vocab);
        MixtralForCausalLM model;
        if (ckpt == null) {
            model = fresh(mc, cfg.seed());
        } else {
            model = MixtralForCausalLM.load(Weights.ofMap(ckpt.model()), mc);
            model.trainable();
            model.train(true);
        }
        AdamW opt = new AdamW(model.parameters(), cfg.lr(), 0.9, 0.95, 1e-8, 0.1, false);
        if (ckpt != null) opt.loadStateDict(ckpt.optimizer());

        List<int[]> blocks = data.trainBlocks();
        Batches batches = new Batches(blocks, cfg.batchSize(), LmCorpus.EOS_ID, cfg.seed(), true);
        if (batches.size() == 0) {
            throw new IllegalArgumentException("lm: " + blocks.size() + " training blocks make no batch of " + cfg.batchSize() + "; raise the corpus size");
        }
        long params = model.parameterCount();
        long expertParams = 3L * mc.hiddenSize() * mc.intermediateSize() * mc.numLocalExperts() * mc.numHiddenLayers();
        long active = params - expertParams + expertParams / mc.numLocalExperts() * mc.numExpertsPerTok();
        log.printf(Locale.ROOT, "lm: %d train blocks of %d tokens (%d batches/epoch), vocab %d, model %d params, %d active per token"
                        + " (H %d, L %d, heads %d/%d kv, %d experts top-%d, I %d)%n",
                blocks.size(), cfg.seqLen(), batches.size(), vocab, params, active, cfg.hiddenSize(), cfg.numLayers(), cfg.numHeads(),
                cfg.numKvHeads(), cfg.numExperts(), cfg.topK(), cfg.intermediateSize());

        int step = ckpt == null ? 0 : ckpt.state().get("step").asInt();
        final int startStep = step;
        int totalSteps = cfg.steps() > 0 ? cfg.steps() : ckpt == null ? 0 : ckpt.state().path("total_steps").asInt(0);
        double elapsedBefore = ckpt == null ? 0 : ckpt.state().path("elapsed_seconds").asDouble(0);
        long tokensSeen = ckpt == null ? 0 : ckpt.state().path("tokens_seen").asLong(0);
        if (ckpt != null) log.printf(Locale.ROOT, "lm: resumed at step %d of %d from %s%n", step, totalSteps, ckpt.dir());

        long start = System.nanoTime();
        double deadline = cfg.minutes() > 0 ? cfg.minutes() * 60 - elapsedBefore : Double.POSITIVE_INFINITY;
        long lastCkptNanos = start, windowStart = start, timingStart = 0;
        int timingFrom = -1, windowSteps = 0, lastSavedStep = step;
        long windowTokens = 0;
        double windowLoss = 0, windowAux = 0, lastLoss = Double.NaN;
        boolean stoppedEarly = false;
        while (true) {
            if (totalSteps > 0 && step >= totalSteps) break;
            if (cfg.stopAt() > 0 && step >= cfg.stopAt()) { stoppedEarly = true; break; }
            if (seconds(start) >= deadline) {
                log.printf(Locale.ROOT, "lm: time budget of %.1f min reached at step %d%n", cfg.minutes(), step);
                break;
            }
            LrSchedule schedule = totalSteps > 0
                    ? LrSchedule.linearWarmupCosineDecay(Math.min(cfg.warmup(), totalSteps), totalSteps, MIN_LR_RATIO)
                    : LrSchedule.constantWithWarmup(cfg.warmup());
            schedule.apply(opt, cfg.lr(), step);

            Batch batch = batches.epoch(step / batches.size()).get(step % batches.size());
            seedJitter(model, cfg.seed(), step);
            StepLoss loss = trainStep(model, opt, batch);
            step++;
            tokensSeen += batch.tokenCount();
            windowTokens += batch.tokenCount();
            windowLoss += loss.lm();
            windowAux += loss.aux();
            windowSteps++;

            if (totalSteps == 0) {
                if (timingFrom < 0 && step == startStep + TIMING_SKIP) { timingStart = System.nanoTime(); timingFrom = step; }
                int fixAt = Math.max(timingFrom + TIMING_STEPS, cfg.warmup());
                if (timingFrom >= 0 && step >= fixAt) {
                    double perStep = seconds(timingStart) / (step - timingFrom);
                    // 5 % slack: the machine is shared and checkpoints and the final eval take time too
                    int remaining = (int) Math.floor(0.95 * (deadline - seconds(start)) / perStep);
                    totalSteps = Math.max(step + 1, Math.max(cfg.warmup() + 1, step + remaining));
                    log.printf(Locale.ROOT, "lm: %.2f s/step → schedule of %d steps for the %.1f-minute budget%n", perStep, totalSteps, cfg.minutes());
                }
            }
            if (step % cfg.logEvery() == 0 || step == totalSteps) {
                double window = seconds(windowStart);
                lastLoss = windowLoss / windowSteps;
                double perStep = window / windowSteps;
                String eta = totalSteps > 0 ? MlmTrainer.duration(Math.min(perStep * (totalSteps - step), Math.max(0, deadline - seconds(start)))) : "?";
                steps.onStep(new StepProgress(step, totalSteps, lastLoss,
                        StepProgress.metrics("perplexity", Math.exp(lastLoss), "aux_loss", windowAux / windowSteps, "lr", opt.lr(),
                                "tokens_per_s", windowTokens / window, "elapsed_s", elapsedBefore + seconds(start)),
                        String.format(Locale.ROOT, "step %6d/%-6d loss %.4f (ppl %.1f)  aux %.4f  lr %.2e  %6.0f tok/s  elapsed %s  ETA %s", step,
                                totalSteps, lastLoss, Math.exp(lastLoss), windowAux / windowSteps, opt.lr(), windowTokens / window,
                                MlmTrainer.duration(elapsedBefore + seconds(start)), eta)));
                windowStart = System.nanoTime();
                windowTokens = 0;
                windowLoss = 0;
                windowAux = 0;
                windowSteps = 0;
            }
            if (step % cfg.checkpointEvery() == 0 || seconds(lastCkptNanos) >= cfg.checkpointMinutes() * 60) {
                saveCheckpoint(cfg, modelJson, model, opt, tokenizerFile, step, totalSteps, elapsedBefore + seconds(start), tokensSeen, batches.size());
                log.printf(Locale.ROOT, "lm: checkpoint at step %d → %s%n", step, out.resolve(TrainingCheckpoint.DIR));
                lastCkptNanos = System.nanoTime();
                lastSavedStep = step;
            }
        }
        if (step != lastSavedStep || ckpt == null) {
            saveCheckpoint(cfg, modelJson, model, opt, tokenizerFile, step, totalSteps, elapsedBefore + seconds(start), tokensSeen, batches.size());
        }
        if (windowSteps > 0) lastLoss = windowLoss / windowSteps;
        if (stoppedEarly) {
            log.printf(Locale.ROOT, "lm: stopped at step %d (--stop-at); resume with --resume%n", step);
            return new Summary(step, totalSteps, lastLoss, null);
        }

        writeFinal(out, modelJson, model, cfg, step, tokensSeen);
        List<LmEvaluator.Result> results = LmEvaluator.evaluate(model, data.heldOutBlocks(),
                LmEvaluator.baselines(data.trainBlocksByDomain(), vocab), cfg.evalBlocks(), cfg.batchSize());
        writeJson(out.resolve(EVAL_FILE), LmEvaluator.json(results));
        log.printf(Locale.ROOT, "lm: %d steps, %d tokens in %s; held-out evaluation (%s):%n%s", step, tokensSeen,
                MlmTrainer.duration(elapsedBefore + seconds(start)), out.resolve(EVAL_FILE), LmEvaluator.table(results));
        return new Summary(step, totalSteps, lastLoss, results);
    }

    /** Each MoE block's jitter noise for this step: its own seed, so it does not depend on what ran before. */
    static void seedJitter(MixtralForCausalLM model, long seed, int step) {
        List<MixtralDecoderLayer> layers = model.model().layers();
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).moe().seedJitter((seed * 0x9E3779B97F4A7C15L) ^ (step * 0xBF58476D1CE4E5B9L) ^ (l * 0x94D049BB133111EBL));
        }
    }

    /**
     * One optimizer step on a packed batch: next-token cross-entropy (padding ignored) plus
     * {@code router_aux_loss_coef} × the load-balancing loss over the real tokens.
     */
    public static StepLoss trainStep(MixtralForCausalLM model, AdamW opt, Batch batch) {
        opt.zeroGrad();
        Batch labelled = batch.withNextTokenLabels();
        boolean padded = batch.tokenCount() < batch.ids().length;
        Tensor mask = padded ? batch.attentionMaskTensor() : null;                    // [B, T] or none
        MixtralForCausalLM.Output out = model.forward(batch.idsTensor(), mask, null, null, false);
        Tensor lm = Losses.crossEntropy(out.logits(), labelled.labelsTensor(), Batch.IGNORE, 0f, Reduction.MEAN);   // logits [B, T, V]
        MixtralConfig c = model.config();
        Tensor aux = perLayerAuxLoss(out.routerLogits(), c, mask);
        Tensor loss = lm.add(aux.mul((float) c.routerAuxLossCoef()));
        double lmValue = lm.item(), auxValue = aux.item();
        loss.backward();
        GradClip.clipGlobalNorm(opt.parameters(), CLIP_NORM);
        opt.step();
        return new StepLoss(lmValue, auxValue);
    }

    /**
     * HF's load-balancing formula applied to each layer alone, averaged over the layers. HF's
     * {@code load_balancing_loss_func} pools all layers' router logits before counting, so every
     * layer may collapse onto its own pair of experts while the pooled loss still reads its
     * balanced value (E·k/E² · E = k): our first smoke runs did exactly that. Balancing each layer
     * (as Switch Transformer and ST-MoE do) gives the same value, k, at perfect balance.
     */
    static Tensor perLayerAuxLoss(List<Tensor> routerLogits, MixtralConfig c, Tensor mask) {
        Tensor sum = null;
        for (Tensor layer : routerLogits) {
            Tensor l = LoadBalancingLoss.compute(List.of(layer), c.numLocalExperts(), c.numExpertsPerTok(), mask);
            sum = sum == null ? l : sum.add(l);
        }
        return sum == null ? Tensor.scalar(0f) : sum.div((float) routerLogits.size());
    }

    private static void saveCheckpoint(LmTrainConfig cfg, Map<String, Object> modelJson, MixtralForCausalLM model, AdamW opt,
                                       Path tokenizerFile, int step, int totalSteps, double elapsed, long tokensSeen, int batchesPerEpoch) {
        ObjectNode state = JSON.createObjectNode();
        state.put("step", step).put("total_steps", totalSteps).put("elapsed_seconds", elapsed).put("tokens_seen", tokensSeen)
                .put("next_batch", "epoch " + step / batchesPerEpoch + ", batch " + step % batchesPerEpoch);
        state.set("config", cfg.toJson());
        TrainingCheckpoint.write(cfg.outputDir(), modelJson, model.stateDict(), opt.stateDict(), tokenizerFile, state);
    }

    private static void writeFinal(Path out, Map<String, Object> modelJson, MixtralForCausalLM model, LmTrainConfig cfg, int step, long tokens) {
        new SafetensorsWriter().withMetadata(Map.of("format", "pt")).write(out.resolve(SafetensorsWeights.MODEL_FILE), model.stateDict());
        writeJson(out.resolve("config.json"), JSON.valueToTree(modelJson));
        ObjectNode run = cfg.toJson();
        run.put("trained_steps", step).put("trained_tokens", tokens);
        writeJson(out.resolve(RUN_FILE), run);
    }

    static void writeJson(Path file, JsonNode json) {
        try {
            MlmTrainer.writeJsonAtomically(file, json);
        } catch (IOException e) {
            throw new CheckpointException("cannot write " + file + ": " + e, e);
        }
    }

    private static String describe(TextCorpus corpus) {
        StringBuilder sb = new StringBuilder();
        corpus.domains().values().forEach(d -> sb.append(sb.isEmpty() ? "" : ", ").append(d.name()).append(' ')
                .append(d.train().size()).append('+').append(d.heldOut().size()).append(" docs ")
                .append(d.trainBytes() / 1000).append(" kB"));
        return sb.toString();
    }

    private static double seconds(long since) { return (System.nanoTime() - since) / 1e9; }
}
