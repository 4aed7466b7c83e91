package dev.genai4j.models.diffusion;

import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DiffusionTrainerTest {
    /** 64 synthetic 8×8 images of two classes: a bright left half or a bright top half, in [−1, 1]. */
    static ClassImages synthetic() {
        int n = 64;
        float[] d = new float[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) d[i * 64 + y * 8 + x] = (labels[i] == 0 ? x < 4 : y < 4) ? 0.9f : -0.9f;
        }
        return ClassImages.of(Tensor.of(d, n, 1, 8, 8), labels, new ClassPrompts(List.of("left", "top")));
    }

    static DiffusionTrainConfig config(Path out, int steps) {
        return new DiffusionTrainConfig(out, "synthetic", 16, steps, 0, 3e-3, 3, 0, 0.9, 1.0, 0.1, 60, 0, 10, 1, TinyDiffusion.TEXT_LEN, "linear", 100, 0);
    }

    @Test
    void thirtyStepsLowerTheLoss(@TempDir Path dir) {
        ClassImages data = synthetic();
        DiffusionTrainer t = new DiffusionTrainer(new UNet(TinyDiffusion.config(), new Rng(0)), NoiseSchedule.linear(100, 1e-4, 0.02),
                new PromptCache(new TinyDiffusion.HashEncoder()), config(dir, 30));
        int[] all = new int[64];
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            all[i] = i;
            prompts.add(data.prompts().prompt(data.label(i), "a {}"));
        }
        Tensor x = data.images(all);
        float before = t.evalLoss(x, prompts, 5);
        Rng rng = new Rng(1);
        for (int s = 0; s < 30; s++) {
            int[] idx = new int[16];
            List<String> ps = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                idx[i] = rng.nextInt(64);
                ps.add(prompts.get(idx[i]));
            }
            float loss = t.step(data.images(idx), ps, rng);
            assertTrue(Float.isFinite(loss));
        }
        float after = t.evalLoss(x, prompts, 5);
        assertEquals(30, t.stepCount());
        assertTrue(before > 0.9f, "an untrained ε-predictor (output 0) has loss ≈ 1, got " + before);
        assertTrue(after < 0.6f * before, "loss " + before + " → " + after);
    }

    @Test
    void checkpointRoundTripsAndResumes(@TempDir Path dir) {
        TinyDiffusion.HashEncoder enc = new TinyDiffusion.HashEncoder();
        ClassImages data = synthetic();
        DiffusionTrainConfig cfg = config(dir, 4);
        NoiseSchedule sched = NoiseSchedule.linear(100, 1e-4, 0.02);
        DiffusionTrainer a = new DiffusionTrainer(new UNet(TinyDiffusion.config(), new Rng(0)), sched, new PromptCache(enc), cfg);
        Rng rng = new Rng(2);
        for (int s = 0; s < 3; s++) a.step(data.images(new int[]{0, 1, 2, 3}), List.of("a left", "a top", "a left", "a top"), rng);
        a.save(dir, 1);
        assertTrue(DiffusionCheckpoint.exists(dir));
        DiffusionCheckpoint.Loaded c = DiffusionCheckpoint.read(dir);
        assertEquals(TinyDiffusion.config(), c.config());
        DiffusionTrainer b = new DiffusionTrainer(new UNet(TinyDiffusion.config(), new Rng(99)), sched, new PromptCache(enc), cfg);
        b.restore(c);
        assertEquals(3, b.stepCount());
        assertArrayEquals(a.unet().stateDict().get("conv_in.weight").toFloatArray(), b.unet().stateDict().get("conv_in.weight").toFloatArray());
        assertArrayEquals(a.emaWeights().get("conv_out.weight").toFloatArray(), b.emaWeights().get("conv_out.weight").toFloatArray());
        // the same next step from the same state gives the same weights (optimizer moments restored)
        a.step(data.images(new int[]{4, 5}), List.of("a left", "a top"), new Rng(7));
        b.step(data.images(new int[]{4, 5}), List.of("a left", "a top"), new Rng(7));
        assertArrayEquals(a.unet().stateDict().get("mid_block.resnets.0.conv1.weight").toFloatArray(),
                b.unet().stateDict().get("mid_block.resnets.0.conv1.weight").toFloatArray(), 1e-6f);
        // the checkpoint folder is a model folder: the EMA UNet loads from it
        UNet ema = UNet.load(c.dir());
        assertArrayEquals(c.ema().get("conv_in.weight").toFloatArray(), ema.stateDict().get("conv_in.weight").toFloatArray());
        assertTrue(Files.isRegularFile(c.dir().resolve(NoiseSchedule.CONFIG_FILE)));
        assertTrue(Files.isRegularFile(c.dir().resolve(DiffusionPipeline.TEXT_ENCODER_FILE)));
        // no checkpoint elsewhere
        assertThrows(dev.genai4j.io.CheckpointException.class, () -> DiffusionCheckpoint.read(dir.resolve("nothing")));
    }

    @Test
    void promptsAreEncodedOncePerDistinctTextAndDroppedOnesAreZero() {
        TinyDiffusion.HashEncoder enc = new TinyDiffusion.HashEncoder();
        PromptCache cache = new PromptCache(enc);
        Tensor t = cache.batch(java.util.Arrays.asList("a left", null, "a left", "a top"));
        assertArrayEquals(new int[]{4, 3, 12}, t.shape());
        assertEquals(2, enc.calls);
        assertEquals(0f, t.select(0, 1).abs().sum().item());
        assertArrayEquals(t.select(0, 0).toFloatArray(), t.select(0, 2).toFloatArray());
        cache.batch(List.of("a top"));
        assertEquals(2, enc.calls);
    }

    @Test
    void classPromptsUseTemplatesAndFindTheClass() {
        ClassPrompts p = ClassPrompts.fashionMnist();
        assertEquals("a black and white picture of a ankle boot", p.prompt(9, "a black and white picture of a {}"));
        assertEquals(6, p.labelOf("a photo of a shirt"));
        assertEquals(0, p.labelOf("a photo of a t-shirt"));
        assertEquals(9, p.labelOf("an ankle boot"));
        assertEquals(-1, p.labelOf("a photo of a cat"));
        assertThrows(DiffusionException.class, () -> p.prompt(10, "a {}"));
        String r = p.random(7, new Rng(1));
        assertTrue(r.contains("sneaker") && ClassPrompts.TRAIN_TEMPLATES.stream().anyMatch(tp -> tp.replace("{}", "sneaker").equals(r)));
    }

    @Test
    void gridAndSinglePngsAreWritten(@TempDir Path dir) throws Exception {
        Tensor img = Tensor.of(new float[]{-1f, 1f, 0f, 1f, 1f, -1f, -1f, 0.5f}, 2, 1, 2, 2);
        SampleImages.writePng(img, 1, 3, dir.resolve("one.png"));
        BufferedImage one = ImageIO.read(dir.resolve("one.png").toFile());
        assertEquals(6, one.getWidth());
        assertEquals(255, one.getRGB(0, 0) & 0xFF);          // value 1 → white
        assertEquals(0, one.getRGB(0, 3) & 0xFF);            // value −1 → black
        assertEquals(Math.round(0.75f * 255), one.getRGB(5, 5) & 0xFF);   // 0.5 → 191
        SampleImages.writeGrid(img, 2, 2, List.of("a", "b"), dir.resolve("grid.png"));
        BufferedImage grid = ImageIO.read(dir.resolve("grid.png").toFile());
        assertEquals(2 + 2 * (4 + 2), grid.getWidth());
        assertEquals(2 + (4 + 2 + 12), grid.getHeight());
    }
}
