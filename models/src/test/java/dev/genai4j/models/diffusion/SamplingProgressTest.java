package dev.genai4j.models.diffusion;

import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The sampling progress hook: one count per denoising step, running over batches, and the same images as without it. */
class SamplingProgressTest {
    @Test
    void stepsAreCountedAcrossBatchesAndTheImagesDoNotChange() {
        UNet unet = new UNet(TinyDiffusion.config(), new Rng(3));
        DiffusionPipeline p = new DiffusionPipeline(unet, NoiseSchedule.linear(50, 1e-4, 0.02), new TinyDiffusion.HashEncoder());
        SamplerOptions o = SamplerOptions.ddim(3, 0f, 2f);
        List<Integer> seen = new ArrayList<>();
        Tensor with = p.generate("a bag", 3, o, 7, 2, seen::add);           // batches of 2 and 1, 3 steps each
        assertEquals(List.of(1, 2, 3, 4, 5, 6), seen);
        Tensor without = p.generate("a bag", 3, o, 7, 2);
        assertArrayEquals(without.toFloatArray(), with.toFloatArray());
        assertArrayEquals(new int[]{3, 1, 8, 8}, with.shape());
    }
}
