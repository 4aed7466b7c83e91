package dev.genai4j.models.diffusion;

import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Reference values from scripts/reference/diffusion_schedule.py (torch, float64, diffusers' formulas). */
class NoiseScheduleTest {
    @Test
    void linearAlphasCumprodMatchTorch() {
        NoiseSchedule s = NoiseSchedule.linear(1000, 1e-4, 0.02);
        assertEquals(9.999000000000e-01, s.alphaCumprod(0), 1e-12);
        assertEquals(9.997800920721e-01, s.alphaCumprod(1), 1e-12);
        assertEquals(8.970181456750e-01, s.alphaCumprod(99), 1e-11);
        assertEquals(7.779665836502e-02, s.alphaCumprod(500), 1e-12);
        assertEquals(4.035829765376e-05, s.alphaCumprod(999), 1e-15);
        assertEquals(0.02, s.beta(999), 1e-15);
    }

    @Test
    void cosineAlphasCumprodMatchTorch() {
        NoiseSchedule s = NoiseSchedule.of("squaredcos_cap_v2", 1000, 0, 0);
        assertEquals(9.999587157752e-01, s.alphaCumprod(0), 1e-12);
        assertEquals(9.720927371140e-01, s.alphaCumprod(99), 1e-11);
        assertEquals(4.922851724488e-01, s.alphaCumprod(500), 1e-11);
        assertEquals(2.428766907035e-09, s.alphaCumprod(999), 1e-18);   // the last β is capped at 0.999
        assertEquals(0.999, s.beta(999), 1e-12);
    }

    @Test
    void trailingTimestepsAsDiffusers() {
        NoiseSchedule s = NoiseSchedule.linear(1000, 1e-4, 0.02);
        int[] t50 = s.timesteps(50);
        assertEquals(50, t50.length);
        assertArrayEquals(new int[]{999, 979, 959}, java.util.Arrays.copyOf(t50, 3));
        assertArrayEquals(new int[]{39, 19}, java.util.Arrays.copyOfRange(t50, 48, 50));
        assertArrayEquals(new int[]{999, 997, 994, 991}, java.util.Arrays.copyOf(s.timesteps(400), 4));   // numpy rounds half to even
        int[] all = s.timesteps(1000);
        assertEquals(999, all[0]);
        assertEquals(0, all[999]);
    }

    @Test
    void stepsOutsideTheScheduleAreRejected() {
        NoiseSchedule s = NoiseSchedule.linear(1000, 1e-4, 0.02);
        DiffusionException zero = assertThrows(DiffusionException.class, () -> s.timesteps(0));
        assertTrue(zero.getMessage().contains("1..1000") && zero.getMessage().contains("got 0"), zero.getMessage());
        assertThrows(DiffusionException.class, () -> s.timesteps(1001));
        assertThrows(dev.genai4j.io.ConfigException.class, () -> NoiseSchedule.of("quadratic", 1000, 1e-4, 0.02));
    }

    @Test
    void addNoiseMixesWithSqrtAlphaBar() {
        NoiseSchedule s = NoiseSchedule.linear(1000, 1e-4, 0.02);
        Tensor x0 = Tensor.full(0.5f, 2, 1, 2, 2), eps = Tensor.randn(new Rng(1), 2, 1, 2, 2);
        Tensor xt = s.addNoise(x0, eps, new int[]{0, 500});
        double a = s.alphaCumprod(500);
        assertEquals(Math.sqrt(a) * 0.5 + Math.sqrt(1 - a) * eps.get(1, 0, 1, 1), xt.get(1, 0, 1, 1), 1e-6);
        assertEquals(Math.sqrt(0.9999) * 0.5 + Math.sqrt(1e-4) * eps.get(0, 0, 0, 0), xt.get(0, 0, 0, 0), 1e-6);
    }

    @Test
    void configFileRoundTrips(@TempDir Path dir) {
        NoiseSchedule s = NoiseSchedule.cosine(500);
        s.write(dir.resolve(NoiseSchedule.CONFIG_FILE));
        NoiseSchedule back = NoiseSchedule.read(dir.resolve(NoiseSchedule.CONFIG_FILE));
        assertEquals(500, back.length());
        assertEquals(s.alphaCumprod(123), back.alphaCumprod(123), 0);
    }
}
