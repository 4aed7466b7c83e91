package dev.genai4j.models.pointe.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.data.shapes.OutputFiles;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.data.shapes.Primitive;
import dev.genai4j.data.shapes.ShapeExample;
import dev.genai4j.data.shapes.ShapeGenerator;
import dev.genai4j.nn.Losses;
import dev.genai4j.optim.AdamW;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import dev.genai4j.train.StepProgress;
import dev.genai4j.train.TrainingListener;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a {@link PointNetClassifier} on ground-truth clouds of the shape generator (single
 * primitives, random colour, size and yaw, fresh every step), then measures its accuracy on
 * held-out clouds from another seed and writes the model, {@code eval.json} included, into the
 * output folder.
 *
 * <pre>{@code
 * PointNetTrainer.Report r = PointNetTrainer.run(PointNetTrainConfig.defaults(Path.of("runs/pointnet")), System.err);
 * r.accuracy();   // share of held-out clouds classified right
 * }</pre>
 */
public final class PointNetTrainer {
    /** Offset between the training and held-out generator seeds. */
    static final long HELD_OUT_SEED_OFFSET = 1_000_003;

    /** What a run measured. */
    public record Report(int steps, double firstLoss, double lastLoss, double accuracy, double[] perClassAccuracy, int[][] confusion,
                         double[] noisyAccuracy, double seconds) {}

    /** Noise levels (scene units) of the robustness check on the held-out clouds. */
    public static final double[] EVAL_NOISE = {0.01, 0.02, 0.03};

    private PointNetTrainer() {}

    public static Report run(PointNetTrainConfig cfg, PrintStream log) { return run(cfg, log, TrainingListener.printing(log)); }

    /** As {@link #run(PointNetTrainConfig, PrintStream)}; logged steps go to {@code steps}, other messages to {@code log}. */
    public static Report run(PointNetTrainConfig cfg, PrintStream log, TrainingListener steps) {
        long t0 = System.nanoTime();
        PointNetConfig shape = PointNetConfig.primitives();
        shape = new PointNetConfig(shape.classes(), cfg.points(), shape.pointWidths(), shape.headWidths());
        PointNetClassifier net = new PointNetClassifier(shape, new Rng(cfg.seed()));
        net.trainable();
        AdamW opt = new AdamW(net.parameters(), cfg.lr(), 0.9, 0.999, 1e-8, 0.0, false);
        ShapeGenerator gen = new ShapeGenerator(cfg.seed(), 0);
        Rng rng = new Rng(cfg.seed() + 1);
        double firstLoss = Double.NaN, lastLoss = Double.NaN, window = 0;
        int windowHits = 0, windowCount = 0;
        for (int step = 1; step <= cfg.steps(); step++) {
            // cosine decay to 10 % of the peak: a short run settles instead of bouncing
            opt.setLr(cfg.lr() * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * (step - 1) / cfg.steps()))));
            float[] x = new float[cfg.batch() * cfg.points() * 3], y = new float[cfg.batch()];
            for (int b = 0; b < cfg.batch(); b++) {
                ShapeExample ex = gen.next();
                PointCloud pc = PointNetInput.addNoise(ex.scene().sample(cfg.points(), new Rng(ex.seed())), cfg.maxNoise() * rng.uniform(), rng);
                float[] pts = PointNetInput.normalize(pc, cfg.points(), rng);
                PointNetInput.augment(pts, rng, 0.01f);
                System.arraycopy(pts, 0, x, b * pts.length, pts.length);
                y[b] = ex.scene().specs().get(0).primitive().ordinal();
            }
            Tensor logits = net.forward(Tensor.of(x, cfg.batch(), cfg.points(), 3));   // [B, classes]
            Tensor loss = Losses.crossEntropy(logits, Tensor.of(y, cfg.batch()));
            opt.zeroGrad();
            loss.backward();
            opt.step();
            double l = loss.item();
            if (step == 1) firstLoss = l;
            lastLoss = l;
            window += l;
            float[] pred = logits.detach().argmax(1, false).data();
            for (int b = 0; b < cfg.batch(); b++) if (pred[b] == y[b]) windowHits++;
            windowCount++;
            if (step % cfg.logEvery() == 0 || step == cfg.steps()) {
                double acc = windowHits / (double) (windowCount * cfg.batch()), secs = (System.nanoTime() - t0) / 1e9;
                steps.onStep(new StepProgress(step, cfg.steps(), window / windowCount,
                        StepProgress.metrics("train_accuracy", acc, "lr", opt.lr(), "elapsed_s", secs),
                        String.format("step %d/%d  loss %.4f  train acc %.3f  lr %.2e  %.1f s", step, cfg.steps(), window / windowCount,
                                acc, opt.lr(), secs)));
                window = 0;
                windowHits = 0;
                windowCount = 0;
            }
        }
        net.eval();
        HeldOut held = heldOut(cfg);
        int k = shape.classes().size();
        int[][] confusion = new int[k][k];
        for (int i = 0; i < held.clouds.size(); i++) confusion[held.labels.get(i)][net.predictIndex(held.clouds.get(i))]++;
        double[] perClass = new double[k];
        int hits = 0;
        for (int c = 0; c < k; c++) {
            int row = 0;
            for (int p = 0; p < k; p++) row += confusion[c][p];
            perClass[c] = confusion[c][c] / (double) Math.max(1, row);
            hits += confusion[c][c];
        }
        double accuracy = hits / (double) held.clouds.size();
        double[] noisy = new double[EVAL_NOISE.length];
        for (int i = 0; i < EVAL_NOISE.length; i++) {
            Rng noise = new Rng(cfg.seed() + 17 + i);
            double sigma = EVAL_NOISE[i];
            List<PointCloud> clouds = held.clouds.stream().map(c -> PointNetInput.addNoise(c, sigma, noise)).toList();
            noisy[i] = accuracy(net, clouds, held.labels);
        }
        Report r = new Report(cfg.steps(), firstLoss, lastLoss, accuracy, perClass, confusion, noisy, (System.nanoTime() - t0) / 1e9);
        net.save(cfg.outputDir());
        writeEval(cfg, shape, r);
        log.printf("held-out accuracy %.4f on %d clouds of %d points (%d per class); with noise sigma %s: %s; saved to %s%n", accuracy,
                held.clouds.size(), cfg.evalCloudPoints(), cfg.evalPerClass(), java.util.Arrays.toString(EVAL_NOISE), java.util.Arrays.toString(noisy),
                cfg.outputDir());
        return r;
    }

    /** Ground-truth clouds the training never saw: another generator seed, {@code evalPerClass} per primitive. */
    public record HeldOut(List<PointCloud> clouds, List<Integer> labels) {}

    public static HeldOut heldOut(PointNetTrainConfig cfg) {
        List<PointCloud> clouds = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Primitive p : Primitive.values()) {
            ShapeGenerator g = new ShapeGenerator(cfg.seed() + HELD_OUT_SEED_OFFSET + p.ordinal(), 0, List.of(p));
            for (int i = 0; i < cfg.evalPerClass(); i++) {
                ShapeExample ex = g.next();
                clouds.add(ex.scene().sample(cfg.evalCloudPoints(), new Rng(ex.seed())));
                labels.add(p.ordinal());
            }
        }
        return new HeldOut(clouds, labels);
    }

    /** Share of {@code clouds} whose predicted class is the label. */
    public static double accuracy(PointNetClassifier net, List<PointCloud> clouds, List<Integer> labels) {
        int hits = 0;
        try (var g = NoGrad.enter()) {
            for (int i = 0; i < clouds.size(); i++) if (net.predictIndex(clouds.get(i)) == labels.get(i)) hits++;
        }
        return hits / (double) clouds.size();
    }

    private static void writeEval(PointNetTrainConfig cfg, PointNetConfig shape, Report r) {
        ObjectNode o = PointNetClassifier.JSON.createObjectNode();
        o.put("held_out_accuracy", r.accuracy());
        o.put("held_out_clouds", cfg.evalPerClass() * shape.classes().size());
        o.put("held_out_cloud_points", cfg.evalCloudPoints());
        ObjectNode per = o.putObject("per_class_accuracy");
        for (int c = 0; c < shape.classes().size(); c++) per.put(shape.classes().get(c), r.perClassAccuracy()[c]);
        o.putPOJO("confusion_rows_true_cols_predicted", r.confusion());
        ObjectNode noisy = o.putObject("held_out_accuracy_with_noise");
        for (int i = 0; i < EVAL_NOISE.length; i++) noisy.put(Double.toString(EVAL_NOISE[i]), r.noisyAccuracy()[i]);
        o.put("max_training_noise", cfg.maxNoise());
        o.put("steps", r.steps());
        o.put("batch", cfg.batch());
        o.put("points", cfg.points());
        o.put("lr", cfg.lr());
        o.put("seed", cfg.seed());
        o.put("first_loss", r.firstLoss());
        o.put("last_loss", r.lastLoss());
        o.put("seconds", r.seconds());
        byte[] bytes;
        try {
            bytes = PointNetClassifier.JSON.writeValueAsBytes(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        OutputFiles.write(cfg.outputDir().resolve("eval.json"), out -> out.write(bytes));
    }
}
