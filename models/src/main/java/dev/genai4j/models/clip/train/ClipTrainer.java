package dev.genai4j.models.clip.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.io.CheckpointSwap;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.io.Weights;
import dev.genai4j.models.bert.Embedder;
import dev.genai4j.models.clip.ClipModel;
import dev.genai4j.nn.Parameter;
import dev.genai4j.optim.AdamW;
import dev.genai4j.optim.LrSchedule;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import dev.genai4j.train.StepProgress;
import dev.genai4j.train.TrainingListener;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Contrastive CLIP training (arXiv 2103.00020): symmetric InfoNCE ({@link InfoNce}) with a
 * learnable temperature clamped at 100, AdamW (β = 0.9/0.98, ε = 1e-6, decay on matrices only)
 * with linear warmup and cosine decay to 10 %, on the mixed stream of {@link ClipTrainData}.
 * Batches are a function of (seed, step), so a resumed run sees the batches an uninterrupted one
 * would have.
 *
 * <p>Run folder: {@code tokenizer.json} (scratch text side), {@code minilm-captions.safetensors}
 * (LiT cache), and {@code checkpoint/}: the loadable model folder plus {@code optimizer.safetensors}
 * and {@code trainer_state.json}, replaced atomically (built beside, swapped by renames).
 *
 * <pre>{@code
 * ClipTrainer t = ClipTrainer.start(runDir, ClipTrainConfig.defaults("scratch"), data, null, System.out);
 * t.train(30.0, 100, 50);   // stop after 30 minutes or at the configured steps
 * }</pre>
 */
public final class ClipTrainer {
    public static final String CHECKPOINT = "checkpoint";
    public static final String STATE_FILE = "trainer_state.json";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    private static final String OLD = ".checkpoint.old";

    private final Path runDir;
    private final ClipTrainConfig config;
    private final ClipTrainData data;
    private final ContrastiveModel model;
    private final AdamW decay, noDecay;
    private final LrSchedule schedule;
    private final PrintStream log;
    private TrainingListener steps;
    private int step;
    private double lossEma = Double.NaN;
    private double lastLoss = Double.NaN;

    private ClipTrainer(Path runDir, ClipTrainConfig config, ClipTrainData data, ContrastiveModel model, int step, PrintStream log) {
        this.runDir = runDir;
        this.config = config;
        this.data = data;
        this.model = model;
        this.step = step;
        this.log = log;
        this.steps = TrainingListener.printing(log);
        List<Parameter> dec = new ArrayList<>(), rest = new ArrayList<>();
        for (var e : model.module().namedParameters().entrySet()) {
            (e.getValue().shape().length >= 2 ? dec : rest).add(e.getValue());
        }
        this.decay = new AdamW(dec, config.lr(), 0.9, 0.98, 1e-6, config.weightDecay(), false);
        this.noDecay = new AdamW(rest, config.lr(), 0.9, 0.98, 1e-6, 0.0, false);
        this.schedule = LrSchedule.linearWarmupCosineDecay(config.warmup(), config.steps(), 0.1);
    }

    /**
     * A fresh run: trains the caption tokenizer (scratch) or embeds the captions with MiniLM (LiT,
     * {@code minilm} supplies the frozen encoder), initializes the weights from {@code config.seed()}.
     */
    public static ClipTrainer start(Path runDir, ClipTrainConfig config, ClipTrainData data, Supplier<Embedder> minilm, PrintStream log) {
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new CheckpointException("cannot create the run folder " + runDir + ": " + e, e);
        }
        Rng rng = new Rng(config.seed());
        ContrastiveModel m = build(runDir, config, data, minilm, null, rng, true);
        return new ClipTrainer(runDir, config, data, m, 0, log);
    }

    /** Continues the run in {@code runDir} from its checkpoint, with the settings saved there. */
    public static ClipTrainer resume(Path runDir, ClipTrainData data, Supplier<Embedder> minilm, PrintStream log) {
        return resume(runDir, data, minilm, log, 0);
    }

    /** As {@link #resume(Path, ClipTrainData, Supplier, PrintStream)}; {@code extendTo} > 0 stretches the schedule to that many steps. */
    public static ClipTrainer resume(Path runDir, ClipTrainData data, Supplier<Embedder> minilm, PrintStream log, int extendTo) {
        Path dir = checkpointDir(runDir);
        try {
            JsonNode state = ClipFolders.JSON.readTree(dir.resolve(STATE_FILE).toFile());
            ClipTrainConfig config = ClipFolders.JSON.treeToValue(state.get("config"), ClipTrainConfig.class);
            if (extendTo > 0) config = config.withSteps(extendTo);
            Map<String, Tensor> weights = copies(dir.resolve("model.safetensors"));
            ContrastiveModel m = build(runDir, config, data, minilm, weights, null, false);
            ClipTrainer t = new ClipTrainer(runDir, config, data, m, state.get("step").asInt(), log);
            Map<String, Tensor> opt = copies(dir.resolve(OPTIMIZER_FILE));
            t.decay.loadStateDict(strip(opt, "decay."));
            t.noDecay.loadStateDict(strip(opt, "no_decay."));
            if (state.has("loss_ema")) t.lossEma = state.get("loss_ema").asDouble();
            return t;
        } catch (IOException e) {
            throw new CheckpointException("cannot read the checkpoint in " + dir + ": " + e, e);
        }
    }

    /** The settings saved with the checkpoint of {@code runDir}. */
    public static ClipTrainConfig savedConfig(Path runDir) { return configIn(checkpointDir(runDir)); }

    /** The settings in {@code dir/trainer_state.json} (a checkpoint folder, or a copy of one). */
    public static ClipTrainConfig configIn(Path dir) {
        try {
            return ClipFolders.JSON.treeToValue(ClipFolders.JSON.readTree(dir.resolve(STATE_FILE).toFile()).get("config"), ClipTrainConfig.class);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + dir.resolve(STATE_FILE) + ": " + e, e);
        }
    }

    /** True when {@code runDir} has a checkpoint to resume. */
    public static boolean hasCheckpoint(Path runDir) {
        return Files.isRegularFile(runDir.resolve(CHECKPOINT).resolve(STATE_FILE)) || Files.isRegularFile(runDir.resolve(OLD).resolve(STATE_FILE));
    }

    /** The checkpoint folder (the loadable model), falling back to the previous one after a kill between renames. */
    public static Path checkpointDir(Path runDir) {
        Path dir = runDir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(dir.resolve(STATE_FILE))) dir = runDir.resolve(OLD);
        if (!Files.isRegularFile(dir.resolve(STATE_FILE))) {
            throw new CheckpointException("no CLIP training checkpoint in " + runDir.toAbsolutePath() + " (expected " + CHECKPOINT + "/" + STATE_FILE + ")");
        }
        return dir;
    }

    private static ContrastiveModel build(Path runDir, ClipTrainConfig config, ClipTrainData data, Supplier<Embedder> minilm,
                                          Map<String, Tensor> weights, Rng rng, boolean fresh) {
        if (config.lit()) {
            Map<String, Tensor> w = weights != null ? weights : LitClip.init(config.clipConfig(8), rng);
            LitClip lit = LitClip.create(config.visionConfig(), config.projectionDim(), w);
            lit.setCaptionEmbeddings(captionCache(runDir, data.captions(), minilm));
            lit.train(true);
            return lit;
        }
        Path tok = runDir.resolve("tokenizer.json");
        if (fresh || !Files.isRegularFile(tok)) CaptionTokenizer.train(data.captions(), config.vocabSize(), tok);
        int vocab;
        try (var t = dev.genai4j.text.HfTokenizer.load(tok)) {
            vocab = t.vocabSize();
        }
        var cc = config.clipConfig(vocab);
        Map<String, Tensor> w = weights != null ? weights : ClipInit.clip(cc, rng);
        return ScratchTextClip.create(cc, w, tok, data.captions());
    }

    /** MiniLM embeddings of every caption, computed once and kept in the run folder. */
    static Tensor captionCache(Path runDir, List<String> captions, Supplier<Embedder> minilm) {
        Path cache = runDir.resolve("minilm-captions.safetensors");
        Path list = runDir.resolve("minilm-captions.json");
        try {
            if (Files.isRegularFile(cache) && Files.isRegularFile(list)
                    && ClipFolders.JSON.readValue(list.toFile(), List.class).equals(captions)) {
                return copies(cache).get("embeddings");
            }
            if (minilm == null) throw new IllegalStateException("LiT training needs the MiniLM encoder to embed " + captions.size() + " captions");
            float[][] e;
            try (Embedder emb = minilm.get()) {
                e = emb.embed(captions);
            }
            float[] flat = new float[e.length * LitClip.TEXT_DIM];
            for (int i = 0; i < e.length; i++) System.arraycopy(e[i], 0, flat, i * LitClip.TEXT_DIM, LitClip.TEXT_DIM);
            Tensor t = Tensor.of(flat, e.length, LitClip.TEXT_DIM);
            new SafetensorsWriter().write(cache, Map.of("embeddings", t));
            Files.write(list, ClipFolders.JSON.writeValueAsBytes(captions));
            return t;
        } catch (IOException e) {
            throw new CheckpointException("cannot read or write the MiniLM caption cache " + cache + ": " + e, e);
        }
    }

    public ContrastiveModel model() { return model; }

    public ClipTrainConfig config() { return config; }

    public int step() { return step; }

    public double lastLoss() { return lastLoss; }

    /** One optimizer step on the batch of (seed, step); returns the loss. */
    public double trainStep() {
        double f = schedule.factor(step);
        decay.setLr(config.lr() * f);
        noDecay.setLr(config.lr() * f);
        ClipTrainData.Batch b = data.sample(config.batch(), new Rng(config.seed() * 1_000_003L + step));
        Tensor img = ClipModel.l2Normalize(model.imageFeatures(b.pixels()));       // [B, P]
        Tensor txt = ClipModel.l2Normalize(model.textFeatures(b.captions()));      // [B, P]
        Tensor loss = InfoNce.loss(img, txt, model.logitScale().value(), b.groups());
        loss.backward();
        decay.step();
        noDecay.step();
        decay.zeroGrad();
        noDecay.zeroGrad();
        InfoNce.clamp(model.logitScale());
        step++;
        lastLoss = loss.item();
        lossEma = Double.isNaN(lossEma) ? lastLoss : 0.98 * lossEma + 0.02 * lastLoss;
        return lastLoss;
    }

    /** Sends the logged steps of {@link #train(double, int, int)} to {@code steps} instead of printing them on the log. */
    public ClipTrainer reportingTo(TrainingListener steps) {
        this.steps = java.util.Objects.requireNonNull(steps, "steps");
        return this;
    }

    /**
     * Trains until the configured steps or {@code minutes} (≤ 0: no limit), printing a progress line
     * every {@code logEvery} steps and checkpointing every {@code checkpointEvery} steps and at the end.
     */
    public void train(double minutes, int logEvery, int checkpointEvery) {
        long t0 = System.nanoTime();
        int startStep = step;
        long deadline = minutes > 0 ? t0 + (long) (minutes * 60e9) : Long.MAX_VALUE;
        while (step < config.steps() && System.nanoTime() < deadline) {
            trainStep();
            if (step % logEvery == 0 || step == config.steps()) {
                double secs = (System.nanoTime() - t0) / 1e9;
                double rate = (step - startStep) / secs;
                double eta = (config.steps() - step) / Math.max(rate, 1e-9);
                double scale = Math.exp(model.logitScale().value().toFloatArray()[0]);
                steps.onStep(new StepProgress(step, config.steps(), lastLoss,
                        StepProgress.metrics("loss_ema", lossEma, "logit_scale", scale, "lr", decay.lr(), "steps_per_s", rate,
                                "images_per_s", rate * config.batch(), "eta_s", eta),
                        String.format(Locale.ROOT, "step %d/%d  loss %.4f (ema %.4f)  scale %.2f  lr %.2e  %.3f steps/s  %.0f img/s  ETA %s",
                                step, config.steps(), lastLoss, lossEma, scale, decay.lr(), rate, rate * config.batch(), hms(eta))));
            }
            if (step % checkpointEvery == 0) checkpoint();
        }
        checkpoint();
    }

    static String hms(double seconds) {
        long s = (long) seconds;
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    /** Writes {@code runDir/checkpoint} atomically: a temp folder, then renames. */
    public void checkpoint() {
        Path target = runDir.resolve(CHECKPOINT), old = runDir.resolve(OLD);
        try {
            CheckpointSwap.replace(target, old, tmp -> {
                model.saveFolder(tmp);
                Map<String, Tensor> opt = new LinkedHashMap<>();
                decay.stateDict().forEach((k, v) -> opt.put("decay." + k, v));
                noDecay.stateDict().forEach((k, v) -> opt.put("no_decay." + k, v));
                new SafetensorsWriter().write(tmp.resolve(OPTIMIZER_FILE), opt);
                ObjectNode state = ClipFolders.JSON.createObjectNode();
                state.put("step", step);
                state.put("loss", lastLoss);
                state.put("loss_ema", lossEma);
                state.set("config", ClipFolders.JSON.valueToTree(config));
                Files.write(tmp.resolve(STATE_FILE), ClipFolders.JSON.writeValueAsBytes(state));
            });
        } catch (IOException e) {
            throw new CheckpointException("cannot write the CLIP checkpoint " + target + ": " + e, e);
        }
    }

    private static Map<String, Tensor> strip(Map<String, Tensor> all, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }

    static Map<String, Tensor> copies(Path file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafetensorsWeights w = Weights.open(file)) {
            for (String name : w.names()) {
                Tensor t = w.get(name);
                out.put(name, Tensor.of(t.toFloatArray(), t.shape()));
            }
        }
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        CheckpointSwap.deleteTree(dir);
    }
}
