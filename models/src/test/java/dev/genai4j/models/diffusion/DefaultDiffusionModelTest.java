package dev.genai4j.models.diffusion;

import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The shipped Fashion-MNIST model unpacks into a complete model folder whose UNet loads (no text encoder needed here). */
class DefaultDiffusionModelTest {
    @Test
    void shippedModelUnpacksAndLoads() {
        assertTrue(DefaultDiffusionModel.shipped(), "the default model belongs in the jar");
        Path dir = DefaultDiffusionModel.folder();
        for (String f : DefaultDiffusionModel.FILES) assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        assertEquals(dir, DefaultDiffusionModel.folder(), "a second call reuses the unpacked folder");
        UNet u = UNet.load(dir);
        assertEquals(UNetConfig.fashionMnist(), u.config());
        NoiseSchedule s = NoiseSchedule.read(dir.resolve(NoiseSchedule.CONFIG_FILE));
        assertEquals(1000, s.length());
        // a trained ε-predictor: on a noised blank (background −1) image its ε̂ is far closer to the true ε than 0 is
        Rng r = new Rng(1);
        Tensor x0 = Tensor.full(-1f, 4, 1, 32, 32), eps = Tensor.randn(r, 4, 1, 32, 32);
        int[] t = {200, 400, 600, 800};
        try (var g = NoGrad.enter()) {
            Tensor pred = u.forward(s.addNoise(x0, eps, t), new float[]{200, 400, 600, 800}, Tensor.zeros(4, 16, 384));
            float err = pred.sub(eps).square().mean().item();
            assertTrue(err < 0.5f, "mean squared ε error " + err + " (an untrained model scores ≈ 1)");
        }
    }
}
