package dev.genai4j.models.gliner.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.data.NerExample;
import dev.genai4j.data.NerJson;
import dev.genai4j.data.SilverNer;
import dev.genai4j.data.SilverNerBuilder;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.io.Weights;
import dev.genai4j.models.bert.BertModel;
import dev.genai4j.models.bert.onnx.ModelStore;
import dev.genai4j.models.gliner.GlinerConfig;
import dev.genai4j.models.gliner.GlinerModel;
import dev.genai4j.models.mlm.TrainingCheckpoint;
import dev.genai4j.nn.Parameter;
import dev.genai4j.optim.AdamW;
import dev.genai4j.optim.GradClip;
import dev.genai4j.optim.LrSchedule;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.HfTokenizer;
import dev.genai4j.text.Tokenizer;

import java.io.IOException;
import dev.genai4j.train.StepProgress;
import dev.genai4j.train.TrainingListener;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Trains GLiNER (arXiv 2311.08526) on NER data in GLiNER's JSON format — by default the WordNet
 * silver set ({@link SilverNerBuilder}), built into the run folder on first use. A fresh GLiNER is
 * built around a pretrained BERT from the model store ({@link GlinerFactory}); the backbone is
 * frozen except its top {@code topLayers} layers (all of it with {@code finetune}). Per step: the reference's prompts (own types + in-batch
 * negatives, type dropping, max types, {@link NerCollator}), the focal span loss with its masks
 * ({@link FocalLoss}), AdamW with separate learning rates for backbone and heads, linear warmup
 * then cosine decay, global gradient clipping. Batches and type draws are functions of
 * (seed, step), so a run killed after a checkpoint and resumed reproduces the straight run.
 *
 * <p>At the end the run folder holds a complete GLiNER folder ({@code gliner_config.json},
 * {@code model.safetensors}, {@code tokenizer.json}) that {@code Gliner.load} and
 * {@code genai4j ner --model} read, {@code heads.safetensors} (only what the backbone does not
 * provide), and {@code eval.json}.
 *
 * <pre>{@code
 * GlinerTrainer.run(GlinerTrainConfig.defaults(Path.of("runs/gliner")), false, System.err);
 * }</pre>
 */
public final class GlinerTrainer {
    public static final String CONFIG_FILE = "gliner_config.json", HEADS_FILE = "heads.safetensors", EVAL_FILE = "eval.json",
            RUN_FILE = "gliner_run.json";
    /** The added tokens' embedding rows, stored with the heads (a frozen backbone never sees them). */
    public static final String ADDED_ROWS = "added_token_embeddings";
    /** Coarse types of the silver set, the everyday prompt. */
    public static final List<String> COARSE_TYPES = List.of("person", "location", "organization", "event");

    private GlinerTrainer() {}

    /** How a run ended: the step reached, the mean loss of the last window, and the evaluation (null if stopped early). */
    public record Summary(int step, double lastLoss, Map<String, NerEvaluator.Scores> eval) {}

    /** A GLiNER ready to train or evaluate, and the backbone whose weights it reads (close it after). */
    public record Built(GlinerModel model, GlinerConfig config, Map<String, Object> configJson, Tokenizer tokenizer, BertModel backbone)
            implements AutoCloseable {
        @Override public void close() {
            tokenizer.close();
            backbone.close();
        }
    }

    /**
     * Builds a GLiNER on {@code cfg}'s backbone with fresh heads, or with {@code stored} tensors
     * (heads, and backbone tensors when fine-tuned) in place of the fresh ones; writes the tokenizer
     * to {@code tokenizerOut}.
     */
    public static Built build(GlinerTrainConfig cfg, Map<String, Tensor> stored, Path tokenizerOut) {
        Path dir = ModelStore.get(cfg.backbone());
        BertModel bert = BertModel.load(dir);
        try {
            JsonConfig bcfg = JsonConfig.read(dir.resolve("config.json"));
            Map<String, Object> json = GlinerFactory.config(bcfg, cfg.backbone(), cfg.hiddenSize(), cfg.maxWidth(), cfg.maxLen(), cfg.embedEntToken());
            GlinerConfig gc = GlinerConfig.from(JsonConfig.of(json));
            GlinerFactory.writeTokenizer(dir.resolve("tokenizer.json"), bcfg.getInt("vocab_size"), tokenizerOut);
            Map<String, Tensor> w = GlinerFactory.freshWeights(bert, cfg.hiddenSize(), cfg.maxWidth(), new Rng(cfg.seed()));
            if (stored != null) apply(w, stored);
            GlinerModel model = GlinerModel.load(Weights.ofMap(w), gc, gc.classTokenIndex());
            return new Built(model, gc, json, HfTokenizer.load(tokenizerOut), bert);
        } catch (RuntimeException e) {
            bert.close();
            throw e;
        }
    }

    /** Puts stored tensors over fresh ones; the added rows go into the word embeddings. */
    static void apply(Map<String, Tensor> w, Map<String, Tensor> stored) {
        for (var e : stored.entrySet()) {
            if (e.getKey().equals(ADDED_ROWS)) {
                Tensor emb = w.get(GlinerFactory.WORD_EMBEDDINGS);
                int keep = emb.size(0) - e.getValue().size(0);
                w.put(GlinerFactory.WORD_EMBEDDINGS, Tensor.cat(List.of(emb.narrow(0, 0, keep), e.getValue()), 0).contiguous());
            } else if (!w.containsKey(e.getKey())) {
                throw new CheckpointException("GLiNER: stored tensor '" + e.getKey() + "' is not part of the model");
            } else {
                w.put(e.getKey(), e.getValue());
            }
        }
    }

    /** Trains (or with {@code resume} continues {@code <output>/checkpoint}), then saves and evaluates. */
    public static Summary run(GlinerTrainConfig requested, boolean resume, PrintStream log) {
        return run(requested, resume, log, TrainingListener.printing(log));
    }

    /** As {@link #run(GlinerTrainConfig, boolean, PrintStream)}; logged steps go to {@code steps}, other messages to {@code log}. */
    public static Summary run(GlinerTrainConfig requested, boolean resume, PrintStream log, TrainingListener steps) {
        Path out = requested.outputDir();
        TrainingCheckpoint.Loaded ckpt = null;
        GlinerTrainConfig cfg = requested;
        if (resume) {
            ckpt = TrainingCheckpoint.read(out);
            cfg = GlinerTrainConfig.fromJson(ckpt.state().get("config"), out, requested.dataDir()).withStopAt(requested.stopAt(), requested.minutes());
        } else if (TrainingCheckpoint.exists(out)) {
            throw new CheckpointException("output folder " + out.toAbsolutePath() + " already holds a training checkpoint;"
                    + " pass --resume to continue it or choose another folder");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new CheckpointException("cannot create the output folder " + out.toAbsolutePath() + ": " + e, e);
        }
        if (!Files.isRegularFile(cfg.data().resolve(SilverNerBuilder.TRAIN))) {
            SilverNerBuilder.build(cfg.data(), SilverNer.SplitConfig.defaults(), cfg.maxLen(), log);
        }
        List<NerExample> train = NerJson.read(cfg.data().resolve(SilverNerBuilder.TRAIN));
        if (train.isEmpty()) throw new IllegalArgumentException("gliner: " + cfg.data().resolve(SilverNerBuilder.TRAIN) + " has no examples");
        Path tokFile = out.resolve("tokenizer.json");
        Map<String, Tensor> stored = ckpt != null ? ckpt.model() : cfg.init() != null ? readInit(cfg.init()) : null;
        try (Built b = build(cfg, stored, tokFile)) {
            return train(cfg, b, train, tokFile, ckpt, log, steps);
        }
    }

    /** The tensors of a heads file, copied out of the mapped file. */
    static Map<String, Tensor> readInit(Path file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (var h = Weights.open(file)) {
            for (String n : h.names()) out.put(n, h.get(n).copy());
        }
        return out;
    }

    private static Summary train(GlinerTrainConfig cfg, Built b, List<NerExample> train, Path tokFile, TrainingCheckpoint.Loaded ckpt, PrintStream log,
                                 TrainingListener steps) {
        GlinerModel model = b.model();
        Map<String, Parameter> heads = new LinkedHashMap<>(), backbone = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> (k.startsWith(GlinerFactory.BACKBONE_PREFIX) ? backbone : heads).put(k, p));
        heads.values().forEach(Parameter::trainable);
        if (cfg.finetune()) backbone.values().forEach(Parameter::trainable);
        int layers = b.backbone().config().numHiddenLayers();
        if (!cfg.finetune() && cfg.topLayers() > 0) {
            // only the top layers learn: gradients stop below them, so the lower layers run as in inference
            backbone.entrySet().removeIf(e -> {
                for (int l = Math.max(0, layers - cfg.topLayers()); l < layers; l++) {
                    if (e.getKey().startsWith(GlinerFactory.BACKBONE_PREFIX + "encoder.layer." + l + ".")) return false;
                }
                return true;
            });
            backbone.values().forEach(Parameter::trainable);
        }
        boolean trainBackbone = cfg.finetune() || cfg.topLayers() > 0;
        model.train(true);
        AdamW optHeads = new AdamW(new ArrayList<>(heads.values()), cfg.lrHeads(), 0.9, 0.999, 1e-8, cfg.weightDecayHeads(), false);
        AdamW optBackbone = trainBackbone
                ? new AdamW(new ArrayList<>(backbone.values()), cfg.lrBackbone(), 0.9, 0.999, 1e-8, cfg.weightDecayBackbone(), false) : null;
        List<Parameter> all = new ArrayList<>(heads.values());
        if (optBackbone != null) all.addAll(backbone.values());
        if (ckpt != null) {
            optHeads.loadStateDict(prefixed(ckpt.optimizer(), "heads."));
            if (optBackbone != null) optBackbone.loadStateDict(prefixed(ckpt.optimizer(), "backbone."));
        }
        long headCount = heads.values().stream().mapToLong(p -> p.value().numel()).sum();
        log.printf(Locale.ROOT, "gliner: %d train texts (%d steps of %d = %.2f epochs), heads %d params, backbone %s %d params (%s)%n",
                train.size(), cfg.steps(), cfg.batchSize(), (double) cfg.steps() * cfg.batchSize() / train.size(), headCount, cfg.backbone(),
                backbone.values().stream().mapToLong(p -> p.value().numel()).sum(), cfg.finetune() ? "fine-tuned at lr " + cfg.lrBackbone()
                        : cfg.topLayers() > 0 ? "frozen but its top " + cfg.topLayers() + " layers at lr " + cfg.lrBackbone() : "frozen");

        NerCollator.Settings settings = new NerCollator.Settings(cfg.maxTypes(), cfg.maxNegTypeRatio(), 100, cfg.dropTypes());
        FocalLoss lossFn = FocalLoss.of(cfg.alpha(), cfg.gamma());
        LrSchedule schedule = LrSchedule.linearWarmupCosineDecay(cfg.warmup(), cfg.steps());
        int step = ckpt == null ? 0 : ckpt.state().get("step").asInt();
        double elapsedBefore = ckpt == null ? 0 : ckpt.state().path("elapsed_seconds").asDouble(0);
        if (ckpt != null) log.printf(Locale.ROOT, "gliner: resumed at step %d of %d from %s%n", step, cfg.steps(), ckpt.dir());
        NerTrainingStream stream = new NerTrainingStream(train, cfg.seed(), cfg.balance(), cfg.synthetic());
        if (cfg.balance() > 0 || cfg.synthetic() > 0) {
            log.printf(Locale.ROOT, "gliner: stream balance %.2f, synthetic %.2f (template names %s); coarse mentions in the first 200 steps %s,"
                    + " in the plain split %s texts%n", cfg.balance(), cfg.synthetic(), stream.templateNames(),
                    stream.mentionCounts(Math.min(200, cfg.steps()), cfg.batchSize()), NerTrainingStream.coarseTextCounts(train));
        }
        long start = System.nanoTime(), windowStart = start, lastCkpt = start;
        int windowSteps = 0, lastSaved = step;
        long windowWords = 0;
        double windowLoss = 0, lastLoss = Double.NaN;
        boolean stopped = false;
        while (step < cfg.steps()) {
            if (cfg.stopAt() > 0 && step >= cfg.stopAt()) { stopped = true; break; }
            if (cfg.minutes() > 0 && seconds(start) >= cfg.minutes() * 60) {
                log.printf(Locale.ROOT, "gliner: time limit of %.1f min reached at step %d%n", cfg.minutes(), step);
                break;
            }
            List<NerExample> batch = stream.batch(step, cfg.batchSize());
            List<List<String>> types = NerCollator.sampleTypes(batch, settings, new Random(mix(cfg.seed(), step)));
            NerCollator.Collated c = NerCollator.collate(b.tokenizer(), b.config(), batch, types);

            double f = schedule.factor(step);
            optHeads.setLr(cfg.lrHeads() * f);
            if (optBackbone != null) optBackbone.setLr(cfg.lrBackbone() * f);
            optHeads.zeroGrad();
            if (optBackbone != null) optBackbone.zeroGrad();
            Tensor logits = model.forward(c.batch()).spanLogits();                    // [B, W, K, C]
            Tensor loss = lossFn.apply(logits, c.targets(), c.typeMask(), c.spanMask());
            double value = loss.item();
            loss.backward();
            GradClip.clipGlobalNorm(all, cfg.clipNorm());
            optHeads.step();
            if (optBackbone != null) optBackbone.step();
            step++;
            windowLoss += value;
            windowSteps++;
            for (int n : c.words()) windowWords += n;

            if (step % cfg.logEvery() == 0 || step == cfg.steps()) {
                double window = seconds(windowStart), perStep = window / windowSteps;
                lastLoss = windowLoss / windowSteps;
                steps.onStep(new StepProgress(step, cfg.steps(), lastLoss,
                        StepProgress.metrics("lr", optHeads.lr(), "texts_per_s", windowSteps * cfg.batchSize() / window, "words_per_s", windowWords / window,
                                "elapsed_s", elapsedBefore + seconds(start), "eta_s", perStep * (cfg.steps() - step)),
                        String.format(Locale.ROOT, "step %6d/%-6d loss %8.4f  lr %.2e  %5.1f texts/s %6.0f words/s  elapsed %s  ETA %s", step, cfg.steps(),
                                lastLoss, optHeads.lr(), windowSteps * cfg.batchSize() / window, windowWords / window,
                                duration(elapsedBefore + seconds(start)), duration(perStep * (cfg.steps() - step)))));
                windowStart = System.nanoTime();
                windowSteps = 0;
                windowLoss = 0;
                windowWords = 0;
            }
            if (step % cfg.checkpointEvery() == 0 || seconds(lastCkpt) >= cfg.checkpointMinutes() * 60) {
                saveCheckpoint(cfg, b, all, optHeads, optBackbone, tokFile, step, elapsedBefore + seconds(start));
                lastCkpt = System.nanoTime();
                lastSaved = step;
            }
        }
        if (step != lastSaved || ckpt == null) saveCheckpoint(cfg, b, all, optHeads, optBackbone, tokFile, step, elapsedBefore + seconds(start));
        if (windowSteps > 0) lastLoss = windowLoss / windowSteps;
        if (stopped) {
            log.printf(Locale.ROOT, "gliner: stopped at step %d (--stop-at); continue with --resume%n", step);
            return new Summary(step, lastLoss, null);
        }
        model.eval();
        writeFinal(cfg, b, heads.keySet(), step, elapsedBefore + seconds(start));
        Map<String, NerEvaluator.Scores> eval = evaluate(b.model(), b.tokenizer(), b.config(), cfg.data(), cfg.evalExamples(), cfg.threshold(), log);
        writeEval(cfg.outputDir().resolve(EVAL_FILE), eval);
        return new Summary(step, lastLoss, eval);
    }

    /** The permutation of epoch {@code epoch}: its own seed, so it does not depend on what ran before. */
    static List<Integer> epochOrder(int n, long seed, int epoch) {
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) order.add(i);
        Collections.shuffle(order, new Random(mix(seed, 1_000_003L * (epoch + 1))));
        return order;
    }

    static long mix(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 29);
    }

    private static Map<String, Tensor> prefixed(Map<String, Tensor> all, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, v) -> { if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v); });
        return out;
    }

    /** What differs from the backbone: the trained parameters and the added tokens' rows. */
    static Map<String, Tensor> trainedTensors(GlinerModel model, int addedRows, boolean withBackbone) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> {
            // heads, and backbone tensors that were trained (all with finetune, the top layers otherwise)
            if (withBackbone || !k.startsWith(GlinerFactory.BACKBONE_PREFIX) || p.value().requiresGrad()) out.put(k, p.value());
        });
        if (!withBackbone) {
            Tensor emb = model.namedParameters().get(GlinerFactory.WORD_EMBEDDINGS).value();
            out.put(ADDED_ROWS, emb.narrow(0, emb.size(0) - addedRows, addedRows).contiguous());
        }
        return out;
    }

    private static void saveCheckpoint(GlinerTrainConfig cfg, Built b, List<Parameter> all, AdamW heads, AdamW backbone, Path tokFile,
                                       int step, double elapsed) {
        ObjectNode state = GlinerFactory.JSON.createObjectNode();
        state.put("step", step).put("total_steps", cfg.steps()).put("elapsed_seconds", elapsed);
        state.set("config", cfg.toJson());
        Map<String, Tensor> opt = new LinkedHashMap<>();
        heads.stateDict().forEach((k, v) -> opt.put("heads." + k, v));
        if (backbone != null) backbone.stateDict().forEach((k, v) -> opt.put("backbone." + k, v));
        TrainingCheckpoint.write(cfg.outputDir(), b.configJson(), trainedTensors(b.model(), GlinerFactory.ADDED_TOKENS.size(), cfg.finetune()),
                opt, tokFile, state);
    }

    private static void writeFinal(GlinerTrainConfig cfg, Built b, java.util.Set<String> headNames, int step, double elapsed) {
        Path out = cfg.outputDir();
        try {
            new SafetensorsWriter().write(out.resolve("model.safetensors"), b.model().stateDict());
            new SafetensorsWriter().write(out.resolve(HEADS_FILE), trainedTensors(b.model(), GlinerFactory.ADDED_TOKENS.size(), cfg.finetune()));
            Files.write(out.resolve(CONFIG_FILE), GlinerFactory.JSON.writeValueAsBytes(b.configJson()));
            ObjectNode run = cfg.toJson();
            run.put("trained_steps", step).put("training_seconds", elapsed);
            Files.write(out.resolve(RUN_FILE), GlinerFactory.JSON.writeValueAsBytes(run));
        } catch (IOException e) {
            throw new CheckpointException("cannot write the final model into " + out.toAbsolutePath() + ": " + e, e);
        }
    }

    /**
     * The evaluation of a model on a silver-set folder: dev and test with the coarse types and with
     * each text's own types plus as many sampled others ("fine"), the zero-shot set with its
     * held-out types; each beside the capitalised-words baseline. At most {@code limit} texts per split (0 = all).
     */
    public static Map<String, NerEvaluator.Scores> evaluate(GlinerModel model, Tokenizer tok, GlinerConfig gc, Path dataDir, int limit,
                                                            double threshold, PrintStream log) {
        Map<String, NerEvaluator.Scores> out = new LinkedHashMap<>();
        List<NerExample> train = NerJson.read(dataDir.resolve(SilverNerBuilder.TRAIN));
        TreeSet<String> vocab = new TreeSet<>();
        for (NerExample e : train) for (NerExample.Span s : e.ner()) vocab.add(s.label());
        NerEvaluator.Protocol coarse = NerEvaluator.Protocol.fixed("coarse", COARSE_TYPES, false);
        NerEvaluator.Protocol fine = NerEvaluator.Protocol.goldPlusNegatives("fine", new ArrayList<>(vocab), 7, 25);
        NerEvaluator.Protocol zero = NerEvaluator.Protocol.fixed("zero-shot", SilverNerBuilder.heldOutTypes(dataDir), false);
        for (String split : List.of("dev", "test")) {
            List<NerExample> data = cap(NerJson.read(dataDir.resolve(split + ".json")), limit);
            for (NerEvaluator.Protocol p : List.of(coarse, fine)) run(out, split + "/" + p.name(), model, tok, gc, withGold(data, p), p, threshold, log);
        }
        run(out, "zeroshot", model, tok, gc, cap(NerJson.read(dataDir.resolve(SilverNerBuilder.ZERO_SHOT)), limit), zero, threshold, log);
        return out;
    }

    /** The texts with at least one gold span among the protocol's types (others have nothing to find). */
    private static List<NerExample> withGold(List<NerExample> data, NerEvaluator.Protocol p) {
        List<NerExample> out = new ArrayList<>();
        for (NerExample e : data) {
            List<String> t = p.types().apply(e);
            if (e.ner().stream().anyMatch(s -> t.contains(s.label()))) out.add(e);
        }
        return out;
    }

    private static void run(Map<String, NerEvaluator.Scores> out, String name, GlinerModel model, Tokenizer tok, GlinerConfig gc,
                            List<NerExample> data, NerEvaluator.Protocol p, double threshold, PrintStream log) {
        long t0 = System.nanoTime();
        NerEvaluator.Scores s = NerEvaluator.evaluate(model, tok, gc, data, p, threshold, 16);
        NerEvaluator.Scores base = NerEvaluator.capitalizedBaseline(data, p, gc.maxLen());
        out.put(name, s);
        out.put(name + "/baseline", base);
        log.printf(Locale.ROOT, "eval %-16s micro P %.4f R %.4f F1 %.4f  (baseline F1 %.4f)  %d texts in %.0f s%n%s", name, s.micro().precision(),
                s.micro().recall(), s.micro().f1(), base.micro().f1(), data.size(), seconds(t0), s.table(8));
    }

    private static List<NerExample> cap(List<NerExample> l, int limit) { return limit > 0 && l.size() > limit ? l.subList(0, limit) : l; }

    public static void writeEvalFile(Path file, Map<String, NerEvaluator.Scores> eval) { writeEval(file, eval); }

    static void writeEval(Path file, Map<String, NerEvaluator.Scores> eval) {
        ObjectNode root = GlinerFactory.JSON.createObjectNode();
        eval.forEach((name, s) -> {
            ObjectNode o = root.putObject(name);
            o.put("texts", s.examples()).put("precision", s.micro().precision()).put("recall", s.micro().recall()).put("f1", s.micro().f1());
            ObjectNode per = o.putObject("per_type");
            s.perType().forEach((t, c) -> per.putObject(t).put("precision", c.precision()).put("recall", c.recall()).put("f1", c.f1())
                    .put("gold", c.tp() + c.fn()));
        });
        try {
            Files.write(file, GlinerFactory.JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new CheckpointException("cannot write " + file + ": " + e, e);
        }
    }

    static double seconds(long since) { return (System.nanoTime() - since) / 1e9; }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
