package dev.genai4j.models.pointe.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.data.shapes.Primitive;
import dev.genai4j.data.shapes.ShapeExample;
import dev.genai4j.data.shapes.ShapeGenerator;
import dev.genai4j.nn.Losses;
import dev.genai4j.optim.AdamW;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PointNetClassifierTest {
    private static final PointNetConfig SMALL = new PointNetConfig(
            java.util.Arrays.stream(Primitive.values()).map(Primitive::word).toList(), 64, new int[]{16, 32}, new int[]{16});

    @Test
    void aShortRunLowersTheLoss() {
        PointNetClassifier net = new PointNetClassifier(SMALL, new Rng(0));
        net.trainable();
        AdamW opt = new AdamW(net.parameters(), 3e-3, 0.9, 0.999, 1e-8, 0, false);
        // one fixed batch: two clouds of each primitive
        Rng rng = new Rng(2);
        float[] x = new float[14 * 64 * 3], y = new float[14];
        for (int b = 0; b < 14; b++) {
            Primitive p = Primitive.values()[b % 7];
            ShapeExample ex = new ShapeGenerator(b, 0, List.of(p)).next();
            System.arraycopy(PointNetInput.normalize(ex.scene().sample(64, new Rng(ex.seed())), 64, rng), 0, x, b * 192, 192);
            y[b] = p.ordinal();
        }
        Tensor input = Tensor.of(x, 14, 64, 3), target = Tensor.of(y, 14);
        double first = 0, last = 0;
        for (int step = 0; step < 60; step++) {
            Tensor loss = Losses.crossEntropy(net.forward(input), target);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertEquals(Math.log(7), first, 0.3);   // near-uniform at init
        assertTrue(last < 0.7 * first, "loss " + first + " → " + last);
    }

    @Test
    void pointOrderDoesNotMatter() {
        PointNetClassifier net = new PointNetClassifier(SMALL, new Rng(3));
        float[] x = new float[64 * 3];
        Rng rng = new Rng(4);
        for (int i = 0; i < x.length; i++) x[i] = rng.uniform() - 0.5f;
        float[] reversed = new float[x.length];
        for (int i = 0; i < 64; i++) System.arraycopy(x, 3 * i, reversed, 3 * (63 - i), 3);
        try (var g = NoGrad.enter()) {
            assertArrayEquals(net.forward(Tensor.of(x, 1, 64, 3)).data(), net.forward(Tensor.of(reversed, 1, 64, 3)).data());
        }
    }

    @Test
    void trainerWritesALoadableModelAndItsEvaluation(@TempDir Path dir) throws Exception {
        PointNetTrainConfig cfg = new PointNetTrainConfig(dir, 12, 8, 48, 2e-3, 5, 2, 256, 6, 0.03);
        PointNetTrainer.Report r = PointNetTrainer.run(cfg, new PrintStream(OutputStream.nullOutputStream()));
        assertEquals(12, r.steps());
        assertTrue(r.accuracy() >= 0 && r.accuracy() <= 1);
        var eval = new ObjectMapper().readTree(dir.resolve("eval.json").toFile());
        assertEquals(r.accuracy(), eval.get("held_out_accuracy").asDouble());
        assertEquals(14, eval.get("held_out_clouds").asInt());

        PointNetClassifier back = PointNetClassifier.load(dir);
        assertEquals(48, back.config().points());
        PointNetTrainer.HeldOut held = PointNetTrainer.heldOut(cfg);
        assertEquals(r.accuracy(), PointNetTrainer.accuracy(back, held.clouds(), held.labels()), 1e-12);
        PointCloud any = held.clouds().get(3);
        assertTrue(back.config().classes().contains(back.predict(any)));

        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\"}");
        assertTrue(assertThrows(dev.genai4j.io.CheckpointException.class, () -> PointNetClassifier.load(dir)).getMessage().contains("pointnet"));
    }
}
