package dev.genai4j.models.pointe.train;

import dev.genai4j.data.render.ShapeDatasetWriter;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.ConfigException;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.nn.Parameter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PointETrainerTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() {
        data = tmp.resolve("data");
        writeDataTo(data);
    }

    /** Eight single-object scenes: 256-point clouds and one 16×16 render each. */
    static void writeDataTo(Path dir) {
        ShapeDatasetWriter.Options d = ShapeDatasetWriter.Options.defaults(8);
        ShapeDatasetWriter.write(new ShapeDatasetWriter.Options(8, 1, 0.0, 256, 16, 1, 1, 45, 8, d.format()), dir);
    }

    /** 64 points, width 32, one block, a 2×2 grid of 8×8 patches of 16-pixel renders, 64 timesteps. */
    static PointETrainConfig tiny(Path out) {
        return new PointETrainConfig(data != null ? data : Path.of("/tmp/dt/data"), out, null, 16, 8, 64, 32, 1, 2, 64, 100, 8, 3e-3, 0.0, 0, 0.99, 0.1, 1.0, 7, 10, 50, 0, 0, 0, 0, 1);
    }

    private static float[] weights(PointETrainer t) {
        List<float[]> parts = new ArrayList<>();
        int n = 0;
        for (Parameter p : t.model().parameters()) {
            float[] v = p.value().toFloatArray();
            parts.add(v);
            n += v.length;
        }
        float[] all = new float[n];
        int o = 0;
        for (float[] v : parts) {
            System.arraycopy(v, 0, all, o, v.length);
            o += v.length;
        }
        return all;
    }

    @Test
    void aStepChangesTheWeightsAndTwentyLowerTheLossOnAFixedBatch() {
        PointETrainer t = PointETrainer.create(tiny(tmp.resolve("fit")), false);
        PointETrainer.Batch b = t.batch(1);
        assertArrayEquals(new int[]{8, 6, 64}, b.x0().shape());
        assertArrayEquals(new int[]{8, 192, 4}, b.grid().shape());
        float[] before = weights(t);
        double first = t.evaluate(b).loss().item();
        t.train(b);
        assertFalse(java.util.Arrays.equals(before, weights(t)), "one step moves the weights");
        for (int i = 0; i < 19; i++) t.train(b);
        double after = t.evaluate(b).loss().item();
        assertTrue(after < 0.8 * first, "20 steps on one batch: loss " + first + " -> " + after);
    }

    @Test
    void positionFeaturesAndImageNoiseReachTheBatchTheModelAndAResume() throws Exception {
        PointETrainConfig plain = tiny(tmp.resolve("posnoise"));
        PointETrainConfig c = new PointETrainConfig(plain.data(), plain.output(), null, 16, 8, 64, 32, 1, 2, 64, 100, 8, 3e-3, 0.0, 0, 0.99,
                0.0, 1.0, 7, 10, 50, 0, 0, 8, 0.05, 20);
        PointETrainer t = PointETrainer.create(c, false);
        PointETrainer.Batch b = t.batch(1), again = t.batch(1);
        assertArrayEquals(new int[]{8, 200, 4}, b.grid().shape());                          // 192 pixels + 8 positions
        assertArrayEquals(b.grid().toFloatArray(), again.grid().toFloatArray(), "the noise is part of the step's seeded batch");
        float[] noisy = b.grid().toFloatArray();                                             // [8, 200, 4]
        float[] blank = new PatchGrid(16, 8, 8).grid(List.of(new RgbImage(16, 16, new byte[3 * 256]))).toFloatArray();   // [1, 200, 4]
        int offLattice = 0;
        for (int i = 0; i < 192 * 4; i++) {
            double level = (noisy[i] + 1) * 127.5;                                           // an 8-bit pixel without noise
            if (Math.abs(level - Math.rint(level)) > 1e-3) offLattice++;
        }
        assertTrue(offLattice > 0.9 * 192 * 4, "pixel values carry the noise: " + offLattice + " of " + 192 * 4 + " off the 8-bit levels");
        for (int i = 192 * 4; i < 200 * 4; i++) assertEquals(blank[i], noisy[i], 0f, "position features get no noise");
        t.trainStep();
        t.save();
        PointETrainer resumed = PointETrainer.create(tiny(c.output()), true);
        assertEquals(8, resumed.config().positionFeatures(), "the run's own settings come back on --resume");
        assertEquals(0.05, resumed.config().imageNoise(), 0.0);
        PointEGenerator g = PointEGenerator.load(c.output(), null);
        assertEquals(200, g.config().gridFeatureDim());
    }

    /**
     * Same batch and weights, same loss and same update bit for bit. The uninterrupted run takes its third step right after
     * the resumed one, so both run with the same kernels compiled (a Vector API kernel sums its lanes in another order once
     * C2 has compiled it; with the uninterrupted step first, other tests running before could put a compilation between them).
     */
    @Test
    void resumedRunTakesTheSameNextStep() throws Exception {
        Path out = tmp.resolve("resume");
        PointETrainer a = PointETrainer.create(tiny(out), false);
        a.trainStep();
        a.trainStep();
        a.save();
        PointETrainer b = PointETrainer.create(tiny(out), true);
        assertEquals(2, b.step());
        PointETrainer.StepResult rb = b.trainStep();
        PointETrainer.StepResult ra = a.trainStep();
        assertEquals(3, rb.step());
        assertEquals(ra.loss(), rb.loss(), 0.0, "same batch, same weights: same loss");
        assertArrayEquals(weights(a), weights(b), "same optimizer state: same update");
        assertTrue(Files.isRegularFile(out.resolve("model/model.safetensors")), "EMA model exported");
        assertThrows(CheckpointException.class, () -> PointETrainer.create(tiny(out), false), "an existing run is not overwritten");
        assertThrows(CheckpointException.class, () -> PointETrainer.create(tiny(tmp.resolve("nothing")), true), "nothing to resume");
    }

    @Test
    void runLogsProgressAndStopsAtACheckpoint() throws Exception {
        Path out = tmp.resolve("run");
        var buf = new java.io.ByteArrayOutputStream();
        PointETrainer.create(tiny(out).withSteps(3), false).run(new PrintStream(buf, true));
        String log = buf.toString();
        assertTrue(log.contains("step 3/3") && log.contains("steps/s") && log.contains("ETA"), log);
        List<String> lines = Files.readAllLines(out.resolve(PointETrainer.LOSS_FILE));
        assertEquals("step\tloss\tmse\tvb\tlr\tseconds", lines.get(0));
        assertTrue(lines.get(lines.size() - 1).startsWith("3\t"), lines.toString());
        assertEquals(3, PointECheckpoint.read(out).state().get("step").asInt());
    }

    @Test
    void samplerIsDeterministicForASeedAndChecksThePointCount() {
        PointETrainer t = PointETrainer.create(tiny(tmp.resolve("sample")), false);
        for (int i = 0; i < 3; i++) t.trainStep();
        PointEGenerator g = PointEGenerator.of(t.model(), t.diffusion(), new PatchGrid(16, 8));
        RgbImage img = new ShapeCloudData.Example("x", "", null, List.of(data.resolve("renders/000000_0.png"))).image(0);
        // Same seed, same cloud, up to the last bit: Math.exp/pow and the Vector API's lanewise EXP are swapped
        // for JIT intrinsics while the JVM warms up (Math's spec allows 1 ulp), and when that happens is up to
        // the compiler threads; in a warm JVM repeated runs were bit-identical. Another seed moves points by O(1).
        PointCloud a = g.generate(img, 64, 3f, 11), b = g.generate(img, 64, 3f, 11), c = g.generate(img, 64, 3f, 12);
        assertEquals(64, a.size());
        assertArrayEquals(a.xyz(), b.xyz(), 1e-4f);
        assertArrayEquals(a.rgb(), b.rgb(), 1e-4f);
        double moved = 0;
        for (int i = 0; i < a.xyz().length; i++) moved = Math.max(moved, Math.abs(a.xyz()[i] - c.xyz()[i]));
        assertTrue(moved > 0.01, "another seed, another cloud: max |Δ| " + moved);
        for (float v : a.rgb()) assertTrue(v >= 0 && v <= 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.generate(img, 100, 3f, 0));
        assertTrue(e.getMessage().contains("64") && e.getMessage().contains("100"), e.getMessage());
    }

    @Test
    void trainedModelFolderLoadsForImg2pc() throws Exception {
        Path out = tmp.resolve("load");
        PointETrainer t = PointETrainer.create(tiny(out), false);
        t.trainStep();
        t.save();
        PointEGenerator g = PointEGenerator.load(out, null);
        assertEquals(64, g.config().nCtx());
        RgbImage img = new ShapeCloudData.Example("x", "", null, List.of(data.resolve("renders/000001_0.png"))).image(0);
        PointCloud pc = g.generate(img, 64, 1f, 0);
        Path ply = out.resolve("c.ply");
        PlyFile.write(ply, pc, PlyFile.Format.BINARY_LITTLE_ENDIAN);
        assertArrayEquals(pc.xyz(), PlyFile.read(ply).xyz());
        Path corrupt = tmp.resolve("bad");
        Files.createDirectories(corrupt);
        Files.copy(out.resolve("model/config.json"), corrupt.resolve("config.json"));
        Files.write(corrupt.resolve("model.pt"), new byte[]{'P', 'K', 3, 4, 1, 2, 3});
        assertThrows(CheckpointException.class, () -> PointEGenerator.load(corrupt.resolve("model.pt"), null));
        assertThrows(ConfigException.class, () -> PointEGenerator.load(tmp.resolve("missing"), null));
    }

    @Test
    void clipGridGivesTheTowerTokensWithoutTheClassToken() {
        ClipGrid g = ClipGrid.load(Path.of("src/test/resources/fixtures/clip/eos_rule_fp32"));
        RgbImage img = new ShapeCloudData.Example("x", "", null, List.of(data.resolve("renders/000002_0.png"))).image(0);
        var grid = g.grid(List.of(img, img));
        assertArrayEquals(new int[]{2, g.featureDim(), g.gridSize() * g.gridSize()}, grid.shape());
        assertEquals(64, g.featureDim());
        PointETrainConfig c = tiny(tmp.resolve("clip"));
        PointETrainer t = PointETrainer.create(new PointETrainConfig(c.data(), c.output(), Path.of("src/test/resources/fixtures/clip/eos_rule_fp32"),
                c.imageSize(), c.patch(), c.points(), c.width(), c.layers(), c.heads(), c.timesteps(), c.steps(), 2, c.lr(), 0, 0, 0.99, 0.1, 1, 1,
                10, 50, 0, 0, 0, 0, 1), false);
        assertTrue(Double.isFinite(t.trainStep().loss()));
        assertEquals(g.gridSize(), t.model().config().gridSize());
    }
}
