package dev.genai4j.models.pointe.train;

import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.io.ConfigException;
import dev.genai4j.models.pointe.PointEConfig;
import dev.genai4j.nn.Parameter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Upsampler training ({@code train pointe --upsample}) on tiny random models and eight 256-point scenes. */
class PointEUpsamplerTrainerTest {
    static final int LOW = 16, ADD = 48;

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void writeData() {
        data = tmp.resolve("data");
        PointETrainerTest.writeDataTo(data);
    }

    /** The base test's tiny run as an upsampler: 16 low-res points condition 48 new ones. */
    static PointETrainConfig tinyUp(Path out, double condDrop) {
        return new PointETrainConfig(data, out, null, 16, 8, ADD, 32, 1, 2, 64, 100, 8, 3e-3, 0.0, 0, 0.99, condDrop, 1.0, 7, 10, 50, 0, 0, 0, 0, 1,
                LOW, 0, 1);
    }

    private static float[] weights(PointETrainer t) {
        List<Float> all = new ArrayList<>();
        for (Parameter p : t.model().parameters()) for (float v : p.value().toFloatArray()) all.add(v);
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) out[i] = all.get(i);
        return out;
    }

    /** xyz of point i of a data-space batch [N, 6, L], as a key. */
    private static String key(float[] v, int b, int l, int i) {
        return v[(b * 6) * l + i] + "," + v[(b * 6 + 1) * l + i] + "," + v[(b * 6 + 2) * l + i];
    }

    @Test
    void theBatchSplitsDistinctPointsOfOneCloudIntoLowResConditionAndTarget() {
        PointETrainer t = PointETrainer.create(tinyUp(tmp.resolve("split"), 0.0), false);
        assertEquals(PointEConfig.Kind.GRID_UPSAMPLE, t.model().config().kind());
        assertEquals(LOW, t.model().config().condCtx());
        PointETrainer.Batch b = t.batch(1);
        assertArrayEquals(new int[]{8, 6, ADD}, b.x0().shape());
        assertArrayEquals(new int[]{8, 6, LOW}, b.lowRes().shape());
        assertArrayEquals(new int[]{8, 192, 4}, b.grid().shape());
        float[] target = t.diffusion().unscaleChannels(b.x0()).toFloatArray();      // data space, as lowRes
        float[] low = b.lowRes().toFloatArray();
        Map<String, Integer> sceneOf = new HashMap<>();                                 // every point of every scene → its scene
        ShapeCloudData d = ShapeCloudData.open(data, 0);
        for (int s = 0; s < d.train().size(); s++) {
            PointCloud c = d.train().get(s).cloud();
            for (int i = 0; i < c.size(); i++) sceneOf.put(c.x(i) + "," + c.y(i) + "," + c.z(i), s);
        }
        for (int n = 0; n < 8; n++) {
            Set<String> seen = new HashSet<>();
            Set<Integer> scenes = new HashSet<>();
            for (int i = 0; i < LOW; i++) {
                String k = key(low, n, LOW, i);
                assertTrue(seen.add(k), "low-res point " + i + " of sample " + n + " is distinct");
                scenes.add(sceneOf.get(k));
            }
            for (int i = 0; i < ADD; i++) {
                String k = key(target, n, ADD, i);
                assertTrue(seen.add(k), "target point " + i + " of sample " + n + " is not a low-res point nor a repeat");
                scenes.add(sceneOf.get(k));
            }
            assertEquals(1, scenes.size(), "sample " + n + ": all 64 points come from one scene's cloud, got scenes " + scenes);
            assertTrue(!scenes.contains(null), "every point is a point of the data");
        }
    }

    @Test
    void conditionDropoutZeroesTheImageGridButNeverTheLowResCloud() {
        PointETrainer t = PointETrainer.create(tinyUp(tmp.resolve("drop"), 1.0), false);
        PointETrainer.Batch b = t.batch(3);
        for (float v : b.grid().toFloatArray()) assertEquals(0f, v, 0f, "every grid dropped at cond-drop 1");
        float[] low = b.lowRes().toFloatArray();
        for (int n = 0; n < 8; n++) {
            double energy = 0;
            for (int i = 0; i < 6 * LOW; i++) energy += Math.abs(low[n * 6 * LOW + i]);
            assertTrue(energy > 1, "sample " + n + " keeps its low-res cloud");
        }
    }

    @Test
    void twentyStepsOnAFixedBatchLowerTheLoss() {
        PointETrainer t = PointETrainer.create(tinyUp(tmp.resolve("fit"), 0.1), false);
        PointETrainer.Batch b = t.batch(1);
        double first = t.evaluate(b).loss().item();
        for (int i = 0; i < 20; i++) t.train(b);
        double after = t.evaluate(b).loss().item();
        assertTrue(after < 0.8 * first, "20 steps on one batch: loss " + first + " -> " + after);
    }

    /**
     * The same batch and weights give the same loss bit for bit; the update may differ in the last bit, because a Vector API
     * kernel sums its lanes in another order once C2 has compiled it (the resumed run's step comes later in the JVM's life).
     * With {@code -Dgenai4j.kernels.scalar=true} the weights match exactly too.
     */
    @Test
    void aResumedUpsamplerRunTakesTheSameNextStepAndExportsALoadableUpsampler() {
        Path out = tmp.resolve("resume");
        PointETrainer a = PointETrainer.create(tinyUp(out, 0.1), false);
        a.trainStep();
        a.trainStep();
        a.save();
        PointETrainer.StepResult ra = a.trainStep();
        PointETrainer b = PointETrainer.create(PointETrainerTest.tiny(out), true);       // the base settings: the saved ones win
        assertEquals(LOW, b.config().lowRes());
        assertEquals("linear", b.config().schedule());
        assertEquals(2, b.step());
        PointETrainer.StepResult rb = b.trainStep();
        assertEquals(3, rb.step());
        assertEquals(ra.loss(), rb.loss(), 0.0, "same batch, same weights: same loss");
        assertArrayEquals(weights(a), weights(b), 1e-6f, "same optimizer state: same update");

        String json;
        try {
            json = Files.readString(out.resolve("model/config.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(json.contains("CLIPImageGridUpsamplePointDiffusionTransformer") && json.contains("\"cond_ctx\": " + LOW)
                && json.contains("\"linear\""), json);
        PointEUpsampler up = PointEUpsampler.load(out, null);
        assertEquals(ADD, up.config().nCtx());
        ConfigException notBase = assertThrows(ConfigException.class, () -> PointEGenerator.load(out, null));
        assertTrue(notBase.getMessage().contains("GRID_UPSAMPLE") && notBase.getMessage().contains("--upsampler"), notBase.getMessage());
        assertNotEquals(0, up.grid().featureDim());
    }

    @Test
    void pointFrequencyFeaturesWidenThePointProjectionsAndSurviveResumeAndExport() {
        Path out = tmp.resolve("freq");
        PointETrainer a = PointETrainer.create(tinyUp(out, 0.1).withPointFrequencies(3), false);
        assertEquals(3, a.model().config().pointFrequencies());
        var params = a.model().namedParameters();
        assertArrayEquals(new int[]{32, 6 + 18}, params.get("input_proj.weight").value().shape(), "6 channels + sin, cos of 3 xyz at 3 frequencies");
        assertArrayEquals(new int[]{32, 6 + 18}, params.get("cond_point_proj.weight").value().shape());
        PointETrainer.Batch batch = a.batch(1);
        double first = a.evaluate(batch).loss().item();
        for (int i = 0; i < 20; i++) a.train(batch);
        double after = a.evaluate(batch).loss().item();
        assertTrue(after < 0.8 * first, "20 steps on one batch with point features: loss " + first + " -> " + after);
        a.save();

        PointETrainer b = PointETrainer.create(tinyUp(out, 0.1), true);                  // the saved setting wins over the new 0
        assertEquals(3, b.config().pointFrequencies());
        assertEquals(3, b.model().config().pointFrequencies());
        assertEquals(a.evaluate(batch).loss().item(), b.evaluate(batch).loss().item(), 0.0, "same weights, same features, same loss");
        PointEUpsampler up = PointEUpsampler.load(out, null);
        assertEquals(3, up.config().pointFrequencies());
        assertEquals(24, up.config().pointFeatureChannels());
    }

    @Test
    void badPointFrequenciesAreRefusedNamingTheRange() {
        ConfigException e = assertThrows(ConfigException.class, () -> tinyUp(tmp.resolve("badfreq"), 0.1).withPointFrequencies(-1));
        assertTrue(e.getMessage().contains("invalid settings: point frequencies -1 (0..16)"), e.getMessage());
        ConfigException big = assertThrows(ConfigException.class, () -> new PointEConfig(PointEConfig.Kind.GRID_UPSAMPLE, 6, 12, ADD, 32, 1, 2,
                true, LOW, 2, 192, PointEConfig.MAX_POINT_FREQUENCIES + 1));
        assertTrue(big.getMessage().contains("point_frequencies 17 must be 0..16"), big.getMessage());
    }

    @Test
    void aTimestepPowerDrawsLowNoiseStepsMoreOftenAndAResumeCanTurnItOn() {
        Path out = tmp.resolve("power");
        PointETrainer uniform = PointETrainer.create(tinyUp(out, 0.1), false);
        PointETrainer cubed = PointETrainer.create(tinyUp(tmp.resolve("power3"), 0.1).withTimestepPower(3), false);
        int lowUniform = 0, lowCubed = 0, draws = 0;
        for (int s = 1; s <= 100; s++) {
            int[] a = uniform.batch(s).t(), b = cubed.batch(s).t();
            for (int i = 0; i < a.length; i++, draws++) {
                assertTrue(b[i] >= 0 && b[i] < 64, "t in range: " + b[i]);
                if (a[i] < 8) lowUniform++;
                if (b[i] < 8) lowCubed++;
            }
        }
        // P(t < T/8): 1/8 uniform, (1/8)^(1/3) = 1/2 with p = 3
        assertEquals(0.125, lowUniform / (double) draws, 0.05, "uniform draw");
        assertEquals(0.5, lowCubed / (double) draws, 0.06, "cubed draw");
        uniform.trainStep();
        uniform.save();
        PointETrainer resumed = PointETrainer.create(tinyUp(out, 0.1).withTimestepPower(2), true);
        assertEquals(2.0, resumed.config().timestepPower(), 0.0, "the command line's non-uniform power wins on resume");
        PointETrainer kept = PointETrainer.create(tinyUp(out, 0.1), true);
        assertEquals(1.0, kept.config().timestepPower(), 0.0, "else the saved one");
        ConfigException bad = assertThrows(ConfigException.class, () -> tinyUp(out, 0.1).withTimestepPower(0.5));
        assertTrue(bad.getMessage().contains("timestep power 0.5 (1..10; 1 = uniform)"), bad.getMessage());
    }
}
