package dev.genai4j.models.diffusion.reward;

import dev.genai4j.models.clip.ClipPipeline;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.models.diffusion.eval.FashionClassifier;
import dev.genai4j.models.diffusion.eval.FashionClassifierConfig;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every reward on tiny inputs; CLIP ones on the tiny eos_rule_fp32 fixture with the test tokenizer. */
class RewardsTest {
    @TempDir static Path dir;
    static Path clipDir;
    static ClipPipeline clip;

    @BeforeAll
    static void loadClip() throws IOException {
        clipDir = Files.createDirectory(dir.resolve("clip"));
        Path src = Path.of("src/test/resources/fixtures/clip/eos_rule_fp32");
        Files.copy(src.resolve("config.json"), clipDir.resolve("config.json"));
        Files.copy(src.resolve("model.safetensors"), clipDir.resolve("model.safetensors"));
        Files.copy(Path.of("src/test/resources/clip/tokenizer.json"), clipDir.resolve("tokenizer.json"));
        clip = ClipPipeline.load(clipDir);
    }

    @AfterAll
    static void close() { clip.close(); }

    static Tensor noise(int b, int c, long seed) { return Tensor.rand(new Rng(seed), b, c, 32, 32).mul(2f).sub(1f); }

    @Test
    void jpegRewardPrefersFlatImagesAndIsMinusKilobytes() {
        Tensor images = Tensor.cat(List.of(Tensor.full(-1f, 1, 1, 32, 32), noise(1, 1, 1)), 0);
        float[] r = new JpegCompressibilityReward().score(images, List.of("a bag", "a bag"));
        assertTrue(r[0] > r[1], "flat " + r[0] + " vs noise " + r[1]);
        assertEquals(-JpegCompressibilityReward.jpegBytes(images, 1) / 1000f, r[1], 0f);
        assertTrue(r[1] < -0.9f, "32x32 noise at quality 95 takes over a kilobyte (1,350 bytes here), got " + r[1]);
        assertTrue(r[0] > -0.5f, "a flat 32x32 image takes a few hundred bytes (344 here), got " + r[0]);
        float[] rgb = new JpegCompressibilityReward().score(Tensor.cat(List.of(Tensor.zeros(1, 3, 32, 32), noise(1, 3, 2)), 0),
                List.of("x", "y"));
        assertTrue(rgb[0] > rgb[1]);
    }

    @Test
    void imageBytesMapMinusOneToZeroAndOneTo255() {
        assertEquals(0, ImageBytes.level(-1f));
        assertEquals(255, ImageBytes.level(1f));
        assertEquals(128, ImageBytes.level(0f));              // 127.5 rounds up
        assertEquals(0, ImageBytes.level(-3f));
        Tensor grey = Tensor.of(new float[]{-1, 1, 0, 1}, 1, 1, 2, 2);
        RgbImage rgb = ImageBytes.toRgb(grey, 0);
        assertEquals(255, rgb.get(1, 0, 2));
        assertEquals(128, rgb.get(0, 1, 1));
    }

    @Test
    void clipRewardIsScaledCosineOfThePipelineEmbeddings() {
        Tensor grey = noise(2, 1, 3);
        List<String> prompts = List.of("a photo of a cat", "a red car");
        ClipScoreReward reward = new ClipScoreReward(clip);
        assertEquals(clip.logitScale(), reward.scale(), 0f);
        float[] r = reward.score(grey, prompts);
        // grey goes in as three equal channels
        Tensor img = clip.embedImages(List.of(ImageBytes.toRgb(grey, 0), ImageBytes.toRgb(grey, 1)));
        Tensor txt = clip.embedTexts(prompts).embeddings();
        for (int b = 0; b < 2; b++) {
            double dot = 0;
            for (int k = 0; k < img.size(1); k++) dot += img.get(b, k) * txt.get(b, k);
            assertEquals(clip.logitScale() * dot, r[b], 1e-4);
        }
        Tensor asRgb = grey.repeat(1, 3, 1, 1).contiguous();
        assertArrayEquals(r, reward.score(asRgb, prompts), 1e-5f);
        float[] hundred = new ClipScoreReward(clip, 100f).score(grey, prompts);
        assertEquals(r[0] * 100f / clip.logitScale(), hundred[0], 1e-3);
    }

    @Test
    void classifierRewardIsTheLogProbabilityOfThePromptedClass() {
        FashionClassifier clf = new FashionClassifier(FashionClassifierConfig.fashionMnist(2, 8), new Rng(9));
        Tensor images = noise(3, 1, 4);
        float[] r = new ClassifierReward(clf).score(images, List.of("a sneaker", "an ankle boot", "a T-shirt"));
        Tensor logp = clf.logProbs(images);
        assertEquals(logp.get(0, 7), r[0], 1e-6);
        assertEquals(logp.get(1, 9), r[1], 1e-6);
        assertEquals(logp.get(2, 0), r[2], 1e-6);
        for (float v : r) assertTrue(v <= 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClassifierReward(clf).score(noise(1, 1, 5), List.of("a red car")));
        assertTrue(e.getMessage().contains("Sneaker"), e.getMessage());
        ClassifierReward p = new ClassifierReward(clf, true);
        assertEquals("classifier-p", p.name());
        float[] prob = p.score(images, List.of("a sneaker", "an ankle boot", "a T-shirt"));
        for (int b = 0; b < 3; b++) assertEquals(Math.exp(r[b]), prob[b], 1e-6);
    }

    @Test
    void preferenceMlpLearnsBrightnessFromClipEmbeddingsAndScoresBrightHigher() throws IOException {
        // 80 images: flat grey levels with a little noise; "preferred" = brighter than the median
        Rng rng = new Rng(6);
        float[] px = new float[80 * 1024];
        for (int i = 0; i < 80; i++) {
            float level = -0.9f + 1.8f * rng.uniform();
            for (int k = 0; k < 1024; k++) px[i * 1024 + k] = level + 0.05f * (rng.uniform() - 0.5f);
        }
        Tensor images = Tensor.of(px, 80, 1, 32, 32);
        Path out = dir.resolve("pref");
        var s = new PreferenceTrainer.Settings(clipDir, out, 80, 32, 60, 32, 1e-2, 1);
        PreferenceTrainer.Summary sum = PreferenceTrainer.train(clip, images, s, "eos_rule_fp32 fixture",
                new PrintStream(OutputStream.nullOutputStream()));
        assertTrue(sum.trainAccuracy() >= 0.9, "train accuracy " + sum.trainAccuracy());
        assertTrue(sum.heldOutAccuracy() >= 0.75, "held-out accuracy " + sum.heldOutAccuracy());
        PreferenceReward reward = new PreferenceReward(clip, PreferenceMlp.load(out));
        float[] r = reward.score(Tensor.cat(List.of(Tensor.full(0.8f, 1, 1, 32, 32), Tensor.full(-0.8f, 1, 1, 32, 32)), 0),
                List.of("a", "b"));
        assertTrue(r[0] > r[1], "bright " + r[0] + " vs dark " + r[1]);
        assertTrue(Files.readString(out.resolve("config.json")).contains("median"));
    }

    @Test
    void registryBuildsByNameAndExplainsWhatIsMissing() {
        assertEquals(List.of("jpeg", "clip", "classifier", "classifier-p", "preference", "noise"), RewardRegistry.NAMES);
        UnknownRewardException e = assertThrows(UnknownRewardException.class, () -> RewardRegistry.create("aesthetic", RewardOptions.none()));
        assertEquals("unknown reward 'aesthetic'; valid rewards: jpeg, clip, classifier, classifier-p, preference, noise", e.getMessage());
        assertEquals("aesthetic", e.requested());
        assertThrows(UnknownRewardException.class, () -> RewardRegistry.check(null));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> RewardRegistry.create("clip", RewardOptions.none()));
        assertTrue(missing.getMessage().contains("--clip"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RewardRegistry.create("preference", RewardOptions.none().withClip(clipDir)));
        try (RewardRegistry.Loaded jpeg = RewardRegistry.create("jpeg", RewardOptions.none());
             RewardRegistry.Loaded c = RewardRegistry.create("clip", RewardOptions.none().withClip(clipDir).withClipScale(100f))) {
            assertEquals("jpeg", jpeg.reward().name());
            assertEquals(100f, ((ClipScoreReward) c.reward()).scale(), 0f);
        }
        Path clf = dir.resolve("reward-clf");
        new FashionClassifier(FashionClassifierConfig.fashionMnist(2, 4), new Rng(1)).save(clf);
        try (RewardRegistry.Loaded c = RewardRegistry.create("classifier", RewardOptions.none().withClassifier(clf))) {
            assertEquals(1, c.reward().score(noise(1, 1, 7), List.of("a bag")).length);
        }
        // without a folder: the shipped reward classifier (never the evaluator)
        try (RewardRegistry.Loaded c = RewardRegistry.create("classifier", RewardOptions.none())) {
            float[] r = c.reward().score(noise(2, 1, 7), List.of("a bag", "a dress"));
            assertTrue(r[0] <= 0 && r[1] <= 0);
        }
    }

    @Test
    void textNormOverClipUsesClipTextEmbeddingsForItsWeights() {
        var embed = TextNorm.clipTextEmbedder(clip);
        float[][] e = embed.apply(List.of("a dress", "a coat"));
        assertEquals(2, e.length);
        double n = 0;
        for (float v : e[1]) n += v * v;
        assertEquals(1.0, n, 1e-5);
        TextNorm tn = new TextNorm(new ClipScoreReward(clip), ContrastivePrompts.fashionMnist(), 1f, embed, 0.1f);
        TextNorm.Candidates c = tn.candidates("a dress");
        assertEquals(9, c.prompts().size());
        float cos = TextNorm.cosine(e[0], e[1]);
        assertEquals(TextNorm.inconsistencyWeight(cos, 0.1f), c.weights()[c.prompts().indexOf("a coat")], 1e-6f);
        float[] r = tn.score(noise(2, 1, 8), List.of("a dress", "a bag"));
        for (float v : r) assertTrue(v > 0 && v <= 1, "normalized reward " + v);
    }

    /** The control reward: a function of the exact pixels (same image, same score), unrelated to what they show, ~N(0, 1). */
    @Test
    void noiseRewardIsDeterministicPerImageAndCarriesNoSignal() {
        Reward r = new NoiseReward();
        Tensor images = noise(64, 1, 11);
        List<String> prompts = java.util.Collections.nCopies(64, "a bag");
        float[] a = r.score(images, prompts), again = r.score(images, prompts);
        assertArrayEquals(a, again, 0f);
        // one pixel's last bit changes the score
        float[] x = images.narrow(0, 0, 1).contiguous().toFloatArray();
        x[5] = Math.nextUp(x[5]);
        assertNotEquals(a[0], r.score(Tensor.of(x, 1, 1, 32, 32), List.of("a bag"))[0]);
        double mean = 0, sq = 0;
        for (float v : a) { mean += v / 64.0; sq += v * (double) v / 64.0; }
        assertEquals(0, mean, 0.5, "mean of 64 draws");
        assertEquals(1, sq - mean * mean, 0.5, "variance of 64 draws");
        assertThrows(IllegalArgumentException.class, () -> r.score(images, List.of("one prompt")));
    }

    @Test
    void inputsAreChecked() {
        Reward jpeg = new JpegCompressibilityReward();
        assertThrows(IllegalArgumentException.class, () -> jpeg.score(noise(2, 1, 1), List.of("one prompt")));
        assertThrows(dev.genai4j.tensor.ShapeException.class, () -> jpeg.score(Tensor.zeros(1, 2, 4, 4), List.of("x")));
    }
}
