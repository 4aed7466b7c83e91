package dev.genai4j.models.diffusion.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.models.diffusion.DiffusionPipeline;
import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.PromptEncoder;
import dev.genai4j.models.diffusion.SamplerOptions;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.models.diffusion.UNetConfig;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A random tiny 32×32 UNet (attention only at 8×8, to stay fast) judged end to end by the shipped judge against random "real" images. */
class BaseModelEvaluationTest {
    static final int TEXT_DIM = 12, TEXT_LEN = 3, REAL_PER_CLASS = 4;

    static final int[] ALL = new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    static FashionClassifier judge;
    static DiffusionPipeline pipeline;
    static LabeledImages real;

    /** Prompt → fixed pseudo-random token states seeded by the prompt's hash (no weights files). */
    static final class HashEncoder implements PromptEncoder {
        @Override public int dim() { return TEXT_DIM; }
        @Override public int length() { return TEXT_LEN; }
        @Override public String name() { return "hash"; }
        @Override public float[] encode(String prompt) {
            Rng r = new Rng(prompt.hashCode());
            float[] out = new float[TEXT_LEN * TEXT_DIM];
            for (int i = 0; i < out.length; i++) out[i] = (float) r.gaussian();
            return out;
        }
    }

    @BeforeAll
    static void setUp() {
        judge = ShippedClassifier.EVALUATOR.load();
        UNetConfig c = new UNetConfig(32, 1, 1, new int[]{8, 8, 16}, new boolean[]{false, false, true}, 1, TEXT_DIM, 8, 4, 1e-5f);
        pipeline = new DiffusionPipeline(new UNet(c, new Rng(0)), NoiseSchedule.linear(100, 1e-4, 0.02), new HashEncoder());
        int n = 10 * REAL_PER_CLASS;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 10;
        real = LabeledImages.of(Tensor.rand(new Rng(7), n, 1, 32, 32).mul(2f).sub(1f), labels);   // [40, 1, 32, 32] in [-1, 1]
    }

    private static BaseModelEvaluation.Options options(int perClass, int realCount) {
        return new BaseModelEvaluation.Options(perClass, 3f, 2, 0f, 5, BaseModelEvaluation.DEFAULT_TEMPLATE, realCount);
    }

    @Test
    void scoresEveryClassWithFiniteDistances(@TempDir Path dir) throws Exception {
        BaseModelEvaluation.Options o = options(2, 20);
        int[] lastStep = new int[1];
        BaseModelEvaluation.Result r = BaseModelEvaluation.evaluate(pipeline, judge, real, o, done -> lastStep[0] = done);
        assertEquals(BaseModelEvaluation.totalSteps(o, 10), lastStep[0]);
        assertEquals(20, BaseModelEvaluation.totalSteps(o, 10));   // 10 classes × 1 batch × 2 steps

        assertArrayEquals(new int[]{20, 1, 32, 32}, r.images().shape());
        assertEquals(20, r.samples());
        assertArrayEquals(new int[]{0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9}, r.labels());
        int hits = 0;
        for (int i = 0; i < 20; i++) {
            assertTrue(r.predicted()[i] >= 0 && r.predicted()[i] < 10);
            if (r.predicted()[i] == r.labels()[i]) hits++;
        }
        assertEquals(hits / 20.0, r.accuracy(), 1e-12);
        assertArrayEquals(judge.predict(r.images()), r.predicted());   // features-then-head equals the judge's own prediction

        assertEquals(10, r.perClass().size());
        for (int c = 0; c < 10; c++) {
            BaseModelEvaluation.ClassScore s = r.perClass().get(c);
            assertEquals(judge.config().classNames().get(c), s.name());
            assertTrue(s.accuracy() == 0 || s.accuracy() == 0.5 || s.accuracy() == 1, s.toString());
            assertTrue(s.sampleDiversity() >= 0 && s.realDiversity() > 0, s.toString());   // random real images differ
        }
        assertEquals("a photo of a t-shirt", r.perClass().get(0).prompt());
        assertEquals("a photo of a ankle boot", r.perClass().get(9).prompt());
        assertTrue(r.frechet() >= 0 && Double.isFinite(r.frechet()), "fd " + r.frechet());
        assertTrue(r.frechetRealReal() >= 0 && Double.isFinite(r.frechetRealReal()), "yardstick " + r.frechetRealReal());
        assertTrue(Double.isFinite(r.sampleDiversity()) && Double.isFinite(r.realDiversity()));

        JsonNode j = r.toJson();
        assertEquals(20, j.get("samples").asInt());
        assertEquals(10, j.get("classes").size());
        assertEquals(r.frechet(), j.get("frechet_distance").asDouble(), 0);
        assertEquals(r.frechetRealReal(), j.get("frechet_distance_real_vs_real").asDouble(), 0);
        assertEquals("Ankle boot", j.get("classes").get(9).get("class").asText());
        assertTrue(r.table().contains("judge accuracy on the prompted class: "), r.table());

        Path png = dir.resolve("grid.png");
        r.writeGrid(png);
        BufferedImage grid = ImageIO.read(png.toFile());
        assertEquals(2 * (64 + 2) + 2, grid.getWidth());          // one column per sample of a class, tiles ×2
        assertEquals(10 * (64 + 2 + 12) + 2, grid.getHeight());   // one row per class, with a label line
    }

    @Test
    void eachClassIsWhatTxt2ImgMakesWithItsSeed() {
        BaseModelEvaluation.Result r = BaseModelEvaluation.evaluate(pipeline, judge, real, options(1, 10), done -> {});
        Tensor sneaker = pipeline.generate("a photo of a sneaker", 1, SamplerOptions.ddim(2, 0f, 3f), 5 + 7 * BaseModelEvaluation.SEED_STRIDE, 16);
        assertArrayEquals(sneaker.toFloatArray(), r.images().narrow(0, 7, 1).contiguous().toFloatArray(), 0f);
        // one sample per class: no within-class pairs, so diversity is NaN and null in JSON; the distances still exist
        assertTrue(Double.isNaN(r.sampleDiversity()) && Double.isNaN(r.perClass().get(3).realDiversity()));
        assertTrue(r.toJson().get("diversity_samples").isNull());
        assertTrue(r.table().contains("samples n/a, real n/a (needs 2 or more per class)"), r.table());
        assertTrue(Double.isFinite(r.frechet()) && Double.isFinite(r.frechetRealReal()));
    }

    @Test
    void aSubsetOfClassesGetsTheSameImagesAndARealReferenceOfThoseClassesOnly() {
        BaseModelEvaluation.Options o = options(2, 4);   // 4 real images per class here: 2 reference + 2 yardstick
        BaseModelEvaluation.Result all = BaseModelEvaluation.evaluate(pipeline, judge, real, o, done -> {});
        BaseModelEvaluation.Result some = BaseModelEvaluation.evaluate(pipeline, judge, real, o, new int[]{9, 5}, done -> {});
        assertArrayEquals(new int[]{5, 9}, some.classes());
        assertArrayEquals(new int[]{5, 5, 9, 9}, some.labels());
        assertArrayEquals(new int[]{4, 1, 32, 32}, some.images().shape());
        // class c keeps its seed (seed + 1000·c), so its images are those of the full evaluation
        assertArrayEquals(all.images().narrow(0, 10, 2).contiguous().toFloatArray(), some.images().narrow(0, 0, 2).contiguous().toFloatArray(), 0f);
        assertArrayEquals(all.images().narrow(0, 18, 2).contiguous().toFloatArray(), some.images().narrow(0, 2, 2).contiguous().toFloatArray(), 0f);
        assertEquals(2, some.perClass().size());
        assertEquals("Sandal", some.perClass().get(0).name());
        assertEquals(all.perClass().get(9).accuracy(), some.perClass().get(1).accuracy(), 0);
        int hits = 0;
        for (int i = 0; i < 4; i++) if (some.predicted()[i] == some.labels()[i]) hits++;
        assertEquals(hits / 4.0, some.accuracy(), 1e-12);
        assertEquals(2, some.toJson().get("evaluated_classes").size());
        assertTrue(some.table().contains("real test images of the same 2 classes"), some.table());

        int[][] sets = BaseModelEvaluation.chooseReal(real, 10, new int[]{5, 9}, 5, 1, 3);
        int[] perClass = new int[10];
        for (int i : sets[0]) perClass[real.label(i)]++;
        assertArrayEquals(new int[]{0, 0, 0, 0, 0, 3, 0, 0, 0, 2}, perClass);
        assertEquals(5, real.label(sets[1][0]));
        assertEquals(9, real.label(sets[1][1]));

        var none = assertThrows(IllegalArgumentException.class, () -> BaseModelEvaluation.chosenClasses(new int[0], 10));
        assertTrue(none.getMessage().contains("no class chosen"), none.getMessage());
        var twice = assertThrows(IllegalArgumentException.class, () -> BaseModelEvaluation.chosenClasses(new int[]{3, 3}, 10));
        assertTrue(twice.getMessage().contains("class label 3 is chosen twice"), twice.getMessage());
        var range = assertThrows(IllegalArgumentException.class, () -> BaseModelEvaluation.chosenClasses(new int[]{10}, 10));
        assertTrue(range.getMessage().contains("class label 10 is outside 0..9"), range.getMessage());
    }

    @Test
    void theRealSeedMovesTheReferenceSetAloneAndDefaultsToTheNoiseSeed() {
        BaseModelEvaluation.Options o = options(2, 20);
        assertEquals(o.seed(), o.realSeed());
        BaseModelEvaluation.Result same = BaseModelEvaluation.evaluate(pipeline, judge, real, o, done -> {});
        BaseModelEvaluation.Result explicit = BaseModelEvaluation.evaluate(pipeline, judge, real, o.withRealSeed(o.seed()), done -> {});
        // equal up to the last bits a kernel may change once compiled (VectorSupport's class comment)
        assertEquals(same.frechet(), explicit.frechet(), 1e-6 * same.frechet());
        assertEquals(same.frechetRealReal(), explicit.frechetRealReal(), 1e-6 * same.frechetRealReal());

        BaseModelEvaluation.Result other = BaseModelEvaluation.evaluate(pipeline, judge, real, o.withRealSeed(11), done -> {});
        // the samples are the same images, judged the same ...
        assertArrayEquals(same.images().toFloatArray(), other.images().toFloatArray(), 1e-5f);
        assertArrayEquals(same.predicted(), other.predicted());
        assertEquals(same.sampleDiversity(), other.sampleDiversity(), 1e-6 * same.sampleDiversity());
        // ... measured against other real images (the ones chooseReal draws with seed 11)
        assertTrue(Math.abs(same.frechet() - other.frechet()) > 1e-3 * same.frechet(), same.frechet() + " vs " + other.frechet());
        assertTrue(Math.abs(same.realDiversity() - other.realDiversity()) > 1e-3 * same.realDiversity(), same.realDiversity() + " vs " + other.realDiversity());
        assertEquals(11, other.toJson().get("real_seed").asLong());
        assertEquals(5, other.toJson().get("seed").asLong());
        assertTrue(other.table().contains("seed 5 (real images: seed 11)"), other.table());
        assertTrue(!same.table().contains("real images: seed"), same.table());
    }

    @Test
    void realSetsAreDisjointBalancedAndSeeded() {
        int[][] a = BaseModelEvaluation.chooseReal(real, 10, ALL, 23, 1, 9);
        assertEquals(23, a[0].length);
        assertEquals(10, a[1].length);
        int[] perClass = new int[10];
        for (int i : a[0]) perClass[real.label(i)]++;
        assertArrayEquals(new int[]{3, 3, 3, 2, 2, 2, 2, 2, 2, 2}, perClass);
        for (int c = 0; c < 10; c++) assertEquals(c, real.label(a[1][c]));
        Set<Integer> seen = new HashSet<>();
        for (int[] set : a) for (int i : set) assertTrue(seen.add(i), "image " + i + " used twice");
        assertArrayEquals(a[0], BaseModelEvaluation.chooseReal(real, 10, ALL, 23, 1, 9)[0]);
        assertTrue(!Arrays.equals(a[0], BaseModelEvaluation.chooseReal(real, 10, ALL, 23, 1, 10)[0]));
        var few = assertThrows(IllegalArgumentException.class, () -> BaseModelEvaluation.chooseReal(real, 10, ALL, 30, 2, 0));
        assertTrue(few.getMessage().contains("has 4 real test images, fewer than the 3 reference + 2 yardstick"), few.getMessage());
    }

    @Test
    void badOptionsAreClearErrors() {
        var perClass = assertThrows(IllegalArgumentException.class, () -> options(0, 10));
        assertTrue(perClass.getMessage().contains("per-class sample count must be ≥ 1, got 0"), perClass.getMessage());
        var template = assertThrows(IllegalArgumentException.class,
                () -> new BaseModelEvaluation.Options(1, 3f, 2, 0f, 0, "a photo", 10));
        assertTrue(template.getMessage().contains("must contain {}"), template.getMessage());
        var guidance = assertThrows(DiffusionException.class, () -> new BaseModelEvaluation.Options(1, -1f, 2, 0f, 0, "a {}", 10));
        assertTrue(guidance.getMessage().contains("guidance must be a finite number ≥ 0, got -1"), guidance.getMessage());
        var names = assertThrows(IllegalArgumentException.class, () -> BaseModelEvaluation.evaluate(pipeline, judge, real,
                new BaseModelEvaluation.Options(1, 3f, 2, 0f, 0, "a {} and a handbag", 10), done -> {}));
        // the longest class word wins: "handbag" outweighs "dress"
        assertTrue(names.getMessage().contains("'a dress and a handbag'") && names.getMessage().contains("names class 'Bag' instead of 'Dress'"), names.getMessage());
        var steps = assertThrows(DiffusionException.class, () -> BaseModelEvaluation.evaluate(pipeline, judge, real, new BaseModelEvaluation.Options(1, 3f, 101, 0f, 0, "a {}", 10), done -> {}));
        assertTrue(steps.getMessage().contains("must lie in 1..100") && steps.getMessage().contains("got 101"), steps.getMessage());
    }
}
