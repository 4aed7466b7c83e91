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

/** {@code genai4j eval diffusion}: help and the argument checks that run before anything heavy loads. */
class EvalDiffusionCommandTest {
    private static String run(int[] rc, String... args) {
        return CliRun.combined(rc, args);
    }

    @Test
    void helpNamesTheDefaultsAndShowsAnExample() {
        int[] rc = new int[1];
        String help = run(rc, "eval", "diffusion", "--help");
        assertEquals(0, rc[0]);
        assertTrue(help.contains("Example:  genai4j eval diffusion"), help);
        assertTrue(help.contains("(default \"a photo of a {}\")"), help);
        assertTrue(help.contains("DDIM steps, 1 .. the schedule length (default 15)"), help);
        assertTrue(help.contains("--baseline") && help.contains("McNemar") && help.contains("--classes"), help);
        assertTrue(help.contains("--guidance-rescale=PHI") && help.contains("--dynamic-threshold=P"), help);
        assertTrue(help.contains("--real-seed=Y") && help.contains("default: --seed"), help);
        assertTrue(run(rc, "eval", "--help").contains("diffusion"));
    }

    @Test
    void badArgumentsAreClearErrors(@TempDir Path dir) {
        int[] rc = new int[1];
        String guidance = run(rc, "eval", "diffusion", "--guidance", "-1");
        assertEquals(ExitCodes.USAGE, rc[0]);
        assertTrue(guidance.startsWith("eval diffusion: ") && guidance.contains("guidance must be a finite number ≥ 0, got -1"), guidance);
        String zero = run(rc, "eval", "diffusion", "--steps", "0");
        assertEquals(ExitCodes.USAGE, rc[0]);
        assertTrue(zero.contains("steps must be ≥ 1, got 0"), zero);
        String perClass = run(rc, "eval", "diffusion", "--per-class", "0");
        assertEquals(ExitCodes.USAGE, rc[0]);
        assertTrue(perClass.contains("eval diffusion: per-class sample count must be ≥ 1, got 0"), perClass);
        String real = run(rc, "eval", "diffusion", "--real", "1");
        assertEquals(ExitCodes.USAGE, rc[0]);
        assertTrue(real.contains("the real reference set needs at least 2 images, got 1"), real);
        String template = run(rc, "eval", "diffusion", "--prompt-template", "a photo");
        assertEquals(ExitCodes.USAGE, rc[0]);
        assertTrue(template.contains("prompt template must contain {}"), template);
        String rescale = run(rc, "eval", "diffusion", "--guidance-rescale", "-0.5");
        assertEquals(ExitCodes.USAGE, rc[0]);
        assertTrue(rescale.contains("eval diffusion: sampler: guidance rescale φ must lie in [0, 1], got -0.5"), rescale);
        String quantile = run(rc, "eval", "diffusion", "--dynamic-threshold", "1.5");
        assertEquals(ExitCodes.USAGE, rc[0]);
        assertTrue(quantile.contains("eval diffusion: sampler: --dynamic-threshold must lie in (0, 1], got 1.5"), quantile);
        String lone = run(rc, "eval", "diffusion", "--threshold-max", "10");
        assertEquals(ExitCodes.USAGE, rc[0]);
        assertTrue(lone.contains("eval diffusion: --threshold-max needs --dynamic-threshold P"), lone);

        String unknown = run(rc, "eval", "diffusion", "--classes", "sandal,boot");
        assertEquals(ExitCodes.USAGE, rc[0]);
        assertTrue(unknown.contains("--classes: unknown class 'boot'; Fashion-MNIST classes: t-shirt, trouser") && unknown.contains("ankle boot"), unknown);
        String twice = run(rc, "eval", "diffusion", "--classes", "sandal,Sandal");
        assertEquals(ExitCodes.USAGE, rc[0]);
        assertTrue(twice.contains("--classes: 'Sandal' is given twice"), twice);
        String noBaseline = run(rc, "eval", "diffusion", "--baseline", dir.resolve("nope").toString());
        assertEquals(ExitCodes.MISSING, rc[0]);
        assertTrue(noBaseline.startsWith("eval diffusion: model folder not found: ") && noBaseline.contains("nope"), noBaseline);

        String missing = run(rc, "eval", "diffusion", "--model", dir.resolve("nope").toString());
        assertEquals(ExitCodes.MISSING, rc[0]);
        assertTrue(missing.startsWith("eval diffusion: model folder not found: "), missing);

        // a model whose schedule has 100 timesteps: 101 steps are refused before the encoder, data or judge load
        Path model = dir.resolve("model");
        new UNet(new UNetConfig(8, 1, 1, new int[]{8, 16}, new boolean[]{false, true}, 1, 384, 8, 4, 1e-5f), new Rng(0)).save(model);
        NoiseSchedule.linear(100, 1e-4, 0.02).write(model.resolve(NoiseSchedule.CONFIG_FILE));
        String tooMany = run(rc, "eval", "diffusion", "--model", model.toString(), "--steps", "101");
        assertEquals(ExitCodes.USAGE, rc[0]);
        assertTrue(tooMany.contains("--steps must lie in 1..100") && tooMany.contains("got 101"), tooMany);
    }
}
