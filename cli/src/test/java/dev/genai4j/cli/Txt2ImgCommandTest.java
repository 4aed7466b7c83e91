package dev.genai4j.cli;

import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.models.diffusion.UNetConfig;
import dev.genai4j.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Txt2ImgCommandTest {
    private static String run(int[] rc, String... args) {
        return CliRun.combined(rc, args);
    }

    @Test
    void jsonNamesTheSamplerItUsedWithTheRecommendedDefaults(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        String[] out = JsonProgressTest.run(rc, "txt2img", "a photo of a bag", "-n", "1", "-o", dir.toString(), "--steps", "2", "--json", "--threads", "1");
        assertEquals(0, rc[0], out[1]);
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out[0]);
        assertEquals(2, j.get("steps").asInt());
        assertEquals(dev.genai4j.models.diffusion.SamplerOptions.RECOMMENDED_ETA, j.get("eta").floatValue(), 0f);   // the default η
        assertEquals("ddim", j.get("sampler").asText());
        assertEquals(3.0, j.get("guidance").asDouble(), 0);
        assertTrue(java.nio.file.Files.size(Path.of(j.get("images").get(0).asText())) > 0, j.toString());
        assertTrue(java.nio.file.Files.exists(dir.resolve("grid.png")));
    }

    @Test
    void helpShowsARunnableExample() {
        int[] rc = new int[1];
        for (String[] cmd : new String[][]{{"txt2img", "--help"}, {"train", "diffusion", "--help"}, {"bench", "diffusion", "--help"}}) {
            String text = run(rc, cmd);
            assertEquals(0, rc[0], String.join(" ", cmd));
            assertTrue(text.contains("Example:  genai4j "), text);
        }
        String help = run(rc, "txt2img", "--help");
        assertTrue(help.contains("--guidance-rescale=PHI") && help.contains("--dynamic-threshold=P") && help.contains("--threshold-max=M"), help);
    }

    @Test
    void badArgumentsAreClearErrors(@TempDir Path dir) {
        int[] rc = new int[1];
        String empty = run(rc, "txt2img", " ", "-o", dir.toString());
        assertEquals(2, rc[0]);
        assertTrue(empty.contains("txt2img: prompt is empty"), empty);
        String guidance = run(rc, "txt2img", "a photo of a bag", "-o", dir.toString(), "--guidance", "-1");
        assertEquals(2, rc[0]);
        assertTrue(guidance.contains("guidance must be a finite number ≥ 0, got -1"), guidance);
        String zero = run(rc, "txt2img", "a photo of a bag", "-o", dir.toString(), "--steps", "0");
        assertEquals(2, rc[0]);
        assertTrue(zero.contains("steps must be ≥ 1, got 0"), zero);
        String sampler = run(rc, "txt2img", "a photo of a bag", "-o", dir.toString(), "--sampler", "euler");
        assertEquals(2, rc[0]);
        assertTrue(sampler.contains("unknown sampler 'euler'"), sampler);
        String rescale = run(rc, "txt2img", "a photo of a bag", "-o", dir.toString(), "--guidance-rescale", "1.5");
        assertEquals(2, rc[0]);
        assertTrue(rescale.contains("txt2img: sampler: guidance rescale φ must lie in [0, 1], got 1.5"), rescale);
        String quantile = run(rc, "txt2img", "a photo of a bag", "-o", dir.toString(), "--dynamic-threshold", "0");
        assertEquals(2, rc[0]);
        assertTrue(quantile.contains("txt2img: sampler: --dynamic-threshold must lie in (0, 1], got 0.0"), quantile);
        String max = run(rc, "txt2img", "a photo of a bag", "-o", dir.toString(), "--dynamic-threshold", "0.995", "--threshold-max", "0.5");
        assertEquals(2, rc[0]);
        assertTrue(max.contains("--threshold-max must be ≥ 1 (or infinite), got 0.5"), max);
        String lone = run(rc, "txt2img", "a photo of a bag", "-o", dir.toString(), "--threshold-max", "10");
        assertEquals(2, rc[0]);
        assertTrue(lone.contains("txt2img: --threshold-max needs --dynamic-threshold P"), lone);
        // a model whose schedule has 100 timesteps: 101 steps are refused before anything heavy loads
        Path model = dir.resolve("model");
        new UNet(new UNetConfig(8, 1, 1, new int[]{8, 16}, new boolean[]{false, true}, 1, 384, 8, 4, 1e-5f), new Rng(0)).save(model);
        NoiseSchedule.linear(100, 1e-4, 0.02).write(model.resolve(NoiseSchedule.CONFIG_FILE));
        String tooMany = run(rc, "txt2img", "a photo of a bag", "-o", dir.toString(), "--model", model.toString(), "--steps", "101");
        assertEquals(2, rc[0]);
        assertTrue(tooMany.contains("--steps must lie in 1..100") && tooMany.contains("got 101"), tooMany);
    }
}
