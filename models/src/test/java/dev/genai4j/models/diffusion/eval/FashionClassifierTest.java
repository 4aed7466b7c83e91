package dev.genai4j.models.diffusion.eval;

import dev.genai4j.optim.AdamW;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shapes, save/load, pooling and shifting, and short training runs on synthetic 8 × 8 images. */
class FashionClassifierTest {
    @TempDir Path dir;

    static final FashionClassifierConfig TINY = new FashionClassifierConfig(1, 8, 3, 6, List.of("a", "b", "c"));

    /** Three classes: a bright 2×2 block at the top left, bottom right or centre, plus noise. */
    static LabeledImages blocks(int n, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * 64];
        int[] y = new int[n];
        int[][] corner = {{0, 0}, {5, 5}, {3, 3}};
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int p = 0; p < 64; p++) x[i * 64 + p] = -1f + 0.3f * rng.uniform();
            for (int dy = 0; dy < 2; dy++)
                for (int dx = 0; dx < 2; dx++) x[i * 64 + (corner[y[i]][0] + dy + rng.nextInt(2)) * 8 + corner[y[i]][1] + dx] = 1f;
        }
        return LabeledImages.of(Tensor.of(x, n, 1, 8, 8), y);
    }

    @Test
    void shapesOfLogitsFeaturesAndPredictions() {
        FashionClassifier m = new FashionClassifier(TINY, new Rng(0));
        Tensor x = Tensor.randn(new Rng(1), 5, 1, 8, 8);
        try (var g = NoGrad.enter()) {
            assertArrayEquals(new int[]{5, 3}, m.forward(x).shape());
            Tensor f = m.features(x);
            assertArrayEquals(new int[]{5, 6}, f.shape());
            for (float v : f.toFloatArray()) assertTrue(v >= 0);          // post-ReLU
        }
        assertEquals(5, m.predict(x).length);
        assertArrayEquals(new int[]{5, 3}, m.logProbs(x).shape());
        ShapeException e = assertThrows(ShapeException.class, () -> m.forward(Tensor.zeros(2, 1, 16, 16)));
        assertTrue(e.getMessage().contains("FashionClassifier"));
        FashionClassifier full = new FashionClassifier(FashionClassifierConfig.fashionMnist(4, 16), new Rng(0));
        assertArrayEquals(new int[]{2, 10}, full.logProbs(Tensor.zeros(2, 1, 32, 32)).shape());
        assertArrayEquals(new int[]{2, 16}, full.inferFeatures(Tensor.zeros(2, 1, 32, 32)).shape());
    }

    @Test
    void saveAndLoadGiveTheSameOutputs() {
        FashionClassifier m = new FashionClassifier(TINY, new Rng(4));
        Tensor x = Tensor.randn(new Rng(5), 3, 1, 8, 8);
        m.save(dir.resolve("clf"));
        assertTrue(Files.isRegularFile(dir.resolve("clf/config.json")));
        FashionClassifier back = FashionClassifier.load(dir.resolve("clf"));
        assertEquals(TINY, back.config());
        assertArrayEquals(m.logProbs(x).toFloatArray(), back.logProbs(x).toFloatArray(), 0f);
    }

    @Test
    void maxPoolPicksWindowMaximaAndRoutesTheGradientThere() {
        Tensor x = Tensor.of(new float[]{1, 5, 2, 0, 3, 4, 9, 1, 0, 0, -1, -2, 0, 7, -3, -4}, 1, 1, 4, 4).requiresGrad(true);
        Tensor y = MaxPool2.apply(x);
        assertArrayEquals(new float[]{5, 9, 7, -1}, y.toFloatArray(), 0f);
        y.mul(Tensor.of(new float[]{1, 2, 3, 4}, 1, 1, 2, 2)).sum().backward();
        assertArrayEquals(new float[]{0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 3, 0, 0}, x.grad().toFloatArray(), 0f);
    }

    @Test
    void imageShiftMovesPixelsAndFillsTheBorder() {
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        assertArrayEquals(new float[]{-1, -1, -1, -1, 1, 2, -1, 4, 5}, ImageShift.shift(x, new int[]{1}, new int[]{1}, -1f).toFloatArray(), 0f);
        assertArrayEquals(new float[]{5, 6, 0, 8, 9, 0, 0, 0, 0}, ImageShift.shift(x, new int[]{-1}, new int[]{-1}, 0f).toFloatArray(), 0f);
        Tensor r = ImageShift.random(x, 0, -1f, new Rng(0));
        assertArrayEquals(x.toFloatArray(), r.toFloatArray(), 0f);
    }

    @Test
    void aFewTrainingStepsLowerTheLoss() {
        FashionClassifier m = new FashionClassifier(TINY, new Rng(7));
        AdamW opt = new AdamW(m.parameters(), 1e-2, 0.9, 0.999, 1e-8, 0, false);
        LabeledImages data = blocks(24, 1);
        int[] all = new int[24];
        for (int i = 0; i < 24; i++) all[i] = i;
        float first = FashionClassifierTrainer.step(m, opt, data.images(all), data.labels(all)).loss();
        float last = first;
        for (int s = 0; s < 25; s++) last = FashionClassifierTrainer.step(m, opt, data.images(all), data.labels(all)).loss();
        assertTrue(first > 1.0f, "initial loss " + first);
        assertTrue(last < 0.3f, "loss after 25 steps " + last + " (started at " + first + ")");
    }

    @Test
    void trainerWritesModelAndEvalAndRemovesItsCheckpoint() throws Exception {
        Path out = dir.resolve("run");
        ClassifierTrainConfig cfg = new ClassifierTrainConfig(out, 3, 6, 8, 16, 1e-2, 0, 1, 5, 100, 4, 0);
        // the trainer builds Fashion-MNIST's 10-class model; the 3 block classes use labels 0..2
        var s = FashionClassifierTrainer.train(cfg, big(blocks(48, 2)), big(blocks(15, 3)), false, QUIET);
        assertEquals(24, s.steps());
        assertTrue(s.testAccuracy() > 0.8, "accuracy " + s.testAccuracy());
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
        assertTrue(Files.readString(out.resolve("eval.json")).contains("test_accuracy"));
        assertFalse(Files.exists(out.resolve(FashionClassifierTrainer.CHECKPOINT)));
        assertEquals(10, FashionClassifier.load(out).config().numClasses());
    }

    @Test
    void aKilledRunResumesFromItsCheckpointToTheSameModel() {
        LabeledImages train = big(blocks(32, 2)), test = big(blocks(12, 3));
        ClassifierTrainConfig straight = new ClassifierTrainConfig(dir.resolve("straight"), 2, 4, 3, 16, 1e-2, 0, 1, 9, 100, 4, 0);
        FashionClassifierTrainer.train(straight, train, test, false, QUIET);

        ClassifierTrainConfig cfg = new ClassifierTrainConfig(dir.resolve("killed"), 2, 4, 3, 16, 1e-2, 0, 1, 9, 100, 4, 0);
        // 2 steps per epoch, 6 in all; the data source fails on its 6th batch (step 5), after the checkpoint at step 4
        LabeledImages dying = new LabeledImages() {
            int calls;
            @Override public int size() { return train.size(); }
            @Override public Tensor images(int[] idx) {
                if (++calls == 6) throw new IllegalStateException("killed");
                return train.images(idx);
            }
            @Override public int label(int i) { return train.label(i); }
        };
        assertThrows(IllegalStateException.class, () -> FashionClassifierTrainer.train(cfg, dying, test, false, QUIET));
        assertTrue(Files.isDirectory(dir.resolve("killed").resolve(FashionClassifierTrainer.CHECKPOINT)));
        var again = assertThrows(dev.genai4j.io.CheckpointException.class, () -> FashionClassifierTrainer.train(cfg, train, test, false, QUIET));
        assertTrue(again.getMessage().contains("--resume"));
        FashionClassifierTrainer.train(cfg, train, test, true, QUIET);

        Tensor x = test.images(new int[]{0, 1, 2, 3});
        assertArrayEquals(FashionClassifier.load(dir.resolve("straight")).logProbs(x).toFloatArray(),
                FashionClassifier.load(dir.resolve("killed")).logProbs(x).toFloatArray(), 1e-5f);
    }

    private static final java.io.PrintStream QUIET = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());

    /** The 8 × 8 block images scaled up 4× to the 32 × 32 the trainer's Fashion-MNIST model takes. */
    private static LabeledImages big(LabeledImages small) {
        return new LabeledImages() {
            @Override public int size() { return small.size(); }
            @Override public Tensor images(int[] idx) {
                return small.images(idx).repeatInterleave(4, 2).repeatInterleave(4, 3).contiguous();
            }
            @Override public int label(int i) { return small.label(i); }
        };
    }
}
