package dev.genai4j.models.diffusion.reward;

import dev.genai4j.data.images.FashionMnist;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.models.clip.ClipPipeline;
import dev.genai4j.nn.Losses;
import dev.genai4j.optim.AdamW;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import dev.genai4j.train.StepProgress;
import dev.genai4j.train.TrainingListener;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the {@link PreferenceMlp} from computed labels ({@link PreferenceLabels}): a seeded
 * subset of Fashion-MNIST <i>training</i> images is embedded once by the given CLIP, labelled
 * "preferred" when brighter than the subset's median, split 80 / 20, and the MLP is fit with
 * binary cross-entropy (AdamW, minibatches). Writes the model folder and {@code eval.json}
 * (train and held-out accuracy). Embedding is the slow part; the MLP itself trains in seconds.
 *
 * <pre>{@code
 * PreferenceTrainer.Summary s = PreferenceTrainer.run(new PreferenceTrainer.Settings(
 *         Path.of("runs/clip-fashion"), Path.of("runs/preference"), 3000, 64, 60, 64, 1e-3, 1), System.err);
 * }</pre>
 */
public final class PreferenceTrainer {
    private PreferenceTrainer() {}

    /** What to train: the CLIP folder, the output folder, how many images, MLP width and optimisation. */
    public record Settings(Path clip, Path output, int images, int hidden, int epochs, int batchSize, double lr, long seed) {
        public Settings {
            if (images < 10) throw new IllegalArgumentException("preference: need at least 10 images, got " + images);
            if (hidden <= 0 || epochs <= 0 || batchSize <= 0) throw new IllegalArgumentException("preference: hidden, epochs and batch must be positive");
            if (!(lr > 0)) throw new IllegalArgumentException("preference: learning rate must be positive, got " + lr);
        }
    }

    /** Accuracies on the 80 % the MLP saw and the 20 % it did not, and the last epoch's mean loss. */
    public record Summary(double trainAccuracy, double heldOutAccuracy, double finalLoss, double medianBrightness) {}

    /** Fashion-MNIST training images (standard split), embedded by the CLIP in {@code s.clip()}. */
    public static Summary run(Settings s, PrintStream log) { return run(s, log, TrainingListener.printing(log)); }

    /** As {@link #run(Settings, PrintStream)}; logged epochs go to {@code steps} (one step = one epoch), other messages to {@code log}. */
    public static Summary run(Settings s, PrintStream log, TrainingListener steps) {
        FashionMnist fm = FashionMnist.load();
        int[] train = fm.standardSplit().train();
        if (s.images() > train.length) throw new IllegalArgumentException("preference: only " + train.length + " training images, asked for " + s.images());
        Rng rng = new Rng(s.seed());
        int[] pick = new int[s.images()];
        int[] order = shuffle(train.length, rng);
        for (int i = 0; i < pick.length; i++) pick[i] = train[order[i]];
        Tensor images = fm.images(pick, 2, -1f, 1f);
        try (ClipPipeline clip = ClipPipeline.load(s.clip())) {
            log.printf(Locale.ROOT, "preference: embedding %d Fashion-MNIST training images with %s%n", pick.length, s.clip());
            return train(clip, images, s, s.clip().toString(), log, steps);
        }
    }

    /** Trains on {@code images} [N, C, H, W] in [−1, 1] (labels from their brightness) and writes the model. */
    public static Summary train(ClipPipeline clip, Tensor images, Settings s, String clipName, PrintStream log) {
        return train(clip, images, s, clipName, log, TrainingListener.printing(log));
    }

    /** As {@link #train(ClipPipeline, Tensor, Settings, String, PrintStream)}, logged epochs to {@code steps}. */
    public static Summary train(ClipPipeline clip, Tensor images, Settings s, String clipName, PrintStream log, TrainingListener steps) {
        int n = images.size(0), nTrain = (int) Math.round(n * 0.8);
        Tensor emb = ClipScoreReward.imageEmbeddings(clip, images);             // [N, P]
        double[] bright = PreferenceLabels.brightness(images);
        double median = PreferenceLabels.median(java.util.Arrays.copyOf(bright, nTrain));
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = bright[i] > median ? 1f : 0f;
        int p = emb.size(1);
        PreferenceMlp mlp = new PreferenceMlp(new PreferenceMlp.Config(p, s.hidden(), PreferenceLabels.RULE, clipName), new Rng(s.seed()));
        AdamW opt = new AdamW(mlp.parameters(), s.lr(), 0.9, 0.999, 1e-8, 1e-4, false);
        mlp.train(true);
        Rng rng = new Rng(s.seed() + 1);
        double lastLoss = Double.NaN;
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            int[] order = shuffle(nTrain, rng);
            double sum = 0;
            int batches = 0;
            for (int from = 0; from < nTrain; from += s.batchSize()) {
                int[] idx = java.util.Arrays.copyOfRange(order, from, Math.min(nTrain, from + s.batchSize()));
                float[] yb = new float[idx.length];
                for (int k = 0; k < idx.length; k++) yb[k] = y[idx[k]];
                opt.zeroGrad();
                Tensor loss = Losses.bceWithLogits(mlp.forward(emb.indexSelect(0, idx)), Tensor.of(yb, idx.length));
                loss.backward();
                opt.step();
                sum += loss.item();
                batches++;
            }
            lastLoss = sum / batches;
            if ((epoch + 1) % Math.max(1, s.epochs() / 10) == 0 || epoch + 1 == s.epochs()) {
                steps.onStep(new StepProgress(epoch + 1, s.epochs(), lastLoss, StepProgress.metrics("epoch", epoch + 1),
                        String.format(Locale.ROOT, "preference: epoch %d/%d loss %.4f", epoch + 1, s.epochs(), lastLoss)));
            }
        }
        mlp.eval();
        double trainAcc = accuracy(mlp, emb, y, 0, nTrain), heldAcc = accuracy(mlp, emb, y, nTrain, n);
        mlp.save(s.output());
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("train_accuracy", trainAcc);
        ev.put("held_out_accuracy", heldAcc);
        ev.put("train_images", nTrain);
        ev.put("held_out_images", n - nTrain);
        ev.put("median_brightness", median);
        ev.put("final_loss", lastLoss);
        ev.put("label_rule", PreferenceLabels.RULE);
        ev.put("clip_model", clipName);
        try {
            Files.writeString(s.output().resolve("eval.json"), JsonConfig.of(ev).tree().toPrettyString() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("preference: cannot write eval.json in " + s.output() + ": " + e.getMessage(), e);
        }
        log.printf(Locale.ROOT, "preference: train accuracy %.3f, held-out accuracy %.3f; wrote %s%n", trainAcc, heldAcc, s.output());
        return new Summary(trainAcc, heldAcc, lastLoss, median);
    }

    private static double accuracy(PreferenceMlp mlp, Tensor emb, float[] y, int from, int to) {
        if (to <= from) return Double.NaN;
        try (var g = NoGrad.enter()) {
            float[] logit = mlp.forward(emb.narrow(0, from, to - from).contiguous()).toFloatArray();
            int ok = 0;
            for (int i = 0; i < logit.length; i++) if ((logit[i] > 0 ? 1f : 0f) == y[from + i]) ok++;
            return (double) ok / logit.length;
        }
    }

    private static int[] shuffle(int n, Rng rng) {
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
}
