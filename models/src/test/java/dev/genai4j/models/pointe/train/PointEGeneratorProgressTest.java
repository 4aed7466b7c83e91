package dev.genai4j.models.pointe.train;

import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.models.clip.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** img2pc's progress hook: the finished-step count runs 0 … samplingSteps() in order (the hook draws no random numbers). */
class PointEGeneratorProgressTest {
    @Test
    void stepsCountUpToTheTotal(@TempDir Path tmp) {
        Path data = tmp.resolve("data");
        PointETrainerTest.writeDataTo(data);
        PointETrainConfig cfg = new PointETrainConfig(data, tmp.resolve("run"), null, 16, 8, 64, 32, 1, 2, 64, 100, 8, 3e-3, 0.0, 0, 0.99, 0.1,
                1.0, 7, 10, 50, 0, 0, 0, 0, 1);   // PointETrainerTest.tiny
        PointETrainer t = PointETrainer.create(cfg, false);
        PointEGenerator g = PointEGenerator.of(t.model(), t.diffusion(), new PatchGrid(16, 8));
        RgbImage img = new ShapeCloudData.Example("x", "", null, List.of(data.resolve("renders/000000_0.png"))).image(0);
        List<Integer> seen = new ArrayList<>();
        PointCloud with = g.generate(img, 64, 3f, 5, seen::add);
        assertEquals(64, g.samplingSteps());
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i <= 64; i++) expected.add(i);
        assertEquals(expected, seen);
        assertEquals(64, with.size());
    }
}
