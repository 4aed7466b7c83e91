package dev.genai4j.models.diffusion;

import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Guidance rescale and dynamic thresholding: hand-computed values, the off path unchanged, gradients, and the option checks. */
class SaturationFixesTest {
    private final NoiseSchedule s = NoiseSchedule.linear(1000, 1e-4, 0.02);

    @Test
    void rescaleZeroIsIdentityAndOneMatchesTheConditionalStd() {
        // image 0: guided = 3·cond, so φ = 1 gives cond exactly; image 1: guided has std 2, cond std 1
        Tensor guided = Tensor.of(new float[]{3, -3, 3, -3, 2, 0, -2, 0}, 2, 1, 2, 2);
        Tensor cond = Tensor.of(new float[]{1, -1, 1, -1, 1, 0, -1, 0}, 2, 1, 2, 2);
        assertSame(guided, GuidanceRescale.apply(guided, cond, 0f));
        assertArrayEquals(new float[]{1, -1, 1, -1, 1, 0, -1, 0}, GuidanceRescale.apply(guided, cond, 1f).toFloatArray(), 1e-6f);
        // φ = 0.5: halfway between the rescaled and the guided ε
        assertArrayEquals(new float[]{2, -2, 2, -2, 1.5f, 0, -1.5f, 0}, GuidanceRescale.apply(guided, cond, 0.5f).toFloatArray(), 1e-6f);

        Rng r = new Rng(3);
        Tensor g = Tensor.randn(r, 3, 2, 4, 4).mul(4f).add(0.5f), c = Tensor.randn(r, 3, 2, 4, 4);
        Tensor out = GuidanceRescale.apply(g, c, 1f);
        int[] axes = {1, 2, 3};
        assertArrayEquals(c.std(axes, true, false).toFloatArray(), out.std(axes, true, false).toFloatArray(), 1e-5f);
    }

    @Test
    void dynamicThresholdingLeavesSmallImagesAndScalesLargeOnesByTheirQuantile() {
        // image 0: all |x| ≤ 1, so s = 1 and nothing changes; image 1: |x| sorted 0.5, 1, 2, 4
        Tensor x0 = Tensor.of(new float[]{0.5f, -0.2f, 1f, -0.9f, 4f, -2f, 1f, 0.5f}, 2, 1, 2, 2);
        // p = 0.5: position 1.5 between 1 and 2 → s = 1.5
        var half = new SamplerOptions.DynamicThreshold(0.5f, Float.POSITIVE_INFINITY);
        assertArrayEquals(new float[]{1f, 1.5f}, DynamicThresholding.thresholds(x0, half), 1e-6f);
        assertArrayEquals(new float[]{0.5f, -0.2f, 1f, -0.9f, 1f, -1f, 1f / 1.5f, 0.5f / 1.5f},
                DynamicThresholding.apply(x0, half).toFloatArray(), 1e-6f);
        // max value 1.2 caps s; p = 1 takes the largest |x|
        assertArrayEquals(new float[]{0.5f, -0.2f, 1f, -0.9f, 1f, -1f, 1f / 1.2f, 0.5f / 1.2f},
                DynamicThresholding.apply(x0, new SamplerOptions.DynamicThreshold(0.5f, 1.2f)).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[]{0.5f, -0.2f, 1f, -0.9f, 1f, -0.5f, 0.25f, 0.125f},
                DynamicThresholding.apply(x0, new SamplerOptions.DynamicThreshold(1f, Float.POSITIVE_INFINITY)).toFloatArray(), 1e-6f);
        // torch.quantile's linear rule at p = 0.995 over 1..100: position 98.505 → 99.505
        float[] hundred = new float[100];
        for (int i = 0; i < 100; i++) hundred[i] = 100 - i;
        assertEquals(99.505, DynamicThresholding.quantile(hundred, 0.995), 1e-9);
    }

    @Test
    void dynamicThresholdingIsDifferentiableWithSAsAConstant() {
        Tensor x0 = Tensor.of(new float[]{4f, -2f, 1f, 0.5f}, 1, 1, 2, 2).requiresGrad(true);
        DynamicThresholding.apply(x0, new SamplerOptions.DynamicThreshold(0.5f, Float.POSITIVE_INFINITY)).sum().backward();
        // s = 1.5: the two values beyond it are clamped (gradient 0), the others scaled by 1/s
        assertArrayEquals(new float[]{0f, 0f, 1f / 1.5f, 1f / 1.5f}, x0.grad().toFloatArray(), 1e-6f);
    }

    /**
     * A cap of 1 is diffusers' default sample_max_value: dynamic thresholding is then the static clip
     * through a whole run, and options that are off change nothing. To the engine's rounding allowance,
     * not bit for bit: two UNet passes may sum vector lanes in another order once C2 has compiled them
     * (the off path itself is the unchanged code: φ = 0 and no threshold take the old branches).
     */
    @Test
    void thresholdCappedAtOneIsTheStaticClipAndOffOptionsChangeNothing() {
        DiffusionSampler sampler = new DiffusionSampler(tinyUNet(), s);
        Tensor text = Tensor.randn(new Rng(3), 2, 3, 12);
        SamplerOptions plain = SamplerOptions.ddim(4, 1f, 3f);
        float[] base = sampler.sample(text, plain, new Rng(8)).toFloatArray();
        assertTrue(maxDiff(base, sampler.sample(text, plain.withDynamicThreshold(0.995f, 1f), new Rng(8)).toFloatArray()) < 1e-4);
        assertTrue(maxDiff(base, sampler.sample(text, plain.withGuidanceRescale(0f), new Rng(8)).toFloatArray()) < 1e-4);
        assertTrue(maxDiff(base, sampler.sample(text, plain.withGuidanceRescale(0.7f), new Rng(8)).toFloatArray()) > 1e-2);
        assertTrue(maxDiff(base, sampler.sample(text, plain.withDynamicThreshold(0.9f, Float.POSITIVE_INFINITY), new Rng(8)).toFloatArray()) > 1e-2);
        // rescale needs both passes: at guidance 1 it is a no-op
        SamplerOptions one = SamplerOptions.ddim(4, 1f, 1f);
        assertTrue(maxDiff(sampler.sample(text, one, new Rng(8)).toFloatArray(), sampler.sample(text, one.withGuidanceRescale(1f), new Rng(8)).toFloatArray()) < 1e-4);
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @Test
    void guidedEpsilonWithFullRescaleHasTheConditionalStd() {
        UNet u = tinyUNet();
        Rng r = new Rng(5);
        Tensor x = Tensor.randn(r, 2, 1, 8, 8), text = Tensor.randn(r, 2, 3, 12);
        float[] t = {100, 800};
        Tensor cond = ClassifierFreeGuidance.epsilon(u, x, t, text, 1f);
        Tensor rescaled = ClassifierFreeGuidance.epsilon(u, x, t, text, 4f, 1f);
        int[] axes = {1, 2, 3};
        assertArrayEquals(cond.std(axes, true, false).toFloatArray(), rescaled.std(axes, true, false).toFloatArray(), 1e-4f);
    }

    /** RL's recomputed mean honours both options: a recorded step's log-probability recomputes equal, with gradients. */
    @Test
    void trajectoryLogProbsRecomputeWithTheFixesOn() {
        UNet u = tinyUNet();
        DiffusionSampler sampler = new DiffusionSampler(u, s);
        Tensor text = Tensor.randn(new Rng(3), 2, 3, 12);
        SamplerOptions o = SamplerOptions.ddim(4, 1f, 3f).withGuidanceRescale(0.7f).withDynamicThreshold(0.9f, Float.POSITIVE_INFINITY);
        Trajectory tr = sampler.sampleTrajectory(text, o, new Rng(11));
        TinyDiffusion.assertLogProbRecomputesWithGradient(u, sampler, tr, 1);
    }

    @Test
    void badOptionsAreClearErrors() {
        SamplerOptions o = SamplerOptions.ddim(10, 0f, 3f);
        assertEquals("sampler: guidance rescale φ must lie in [0, 1], got 1.5",
                assertThrows(DiffusionException.class, () -> o.withGuidanceRescale(1.5f)).getMessage());
        assertThrows(DiffusionException.class, () -> o.withGuidanceRescale(-0.1f));
        assertThrows(DiffusionException.class, () -> o.withGuidanceRescale(Float.NaN));
        assertEquals("sampler: dynamic-threshold quantile must lie in (0, 1], got 0.0",
                assertThrows(DiffusionException.class, () -> o.withDynamicThreshold(0f, 10f)).getMessage());
        assertThrows(DiffusionException.class, () -> o.withDynamicThreshold(1.01f, 10f));
        assertThrows(DiffusionException.class, () -> o.withDynamicThreshold(Float.NaN, 10f));
        assertEquals("sampler: dynamic-threshold max value must be ≥ 1 (or infinite), got 0.5",
                assertThrows(DiffusionException.class, () -> o.withDynamicThreshold(0.995f, 0.5f)).getMessage());
        assertThrows(DiffusionException.class, () -> o.withDynamicThreshold(0.995f, Float.NaN));
        SamplerOptions both = o.withGuidanceRescale(0.7f).withDynamicThreshold(0.995f, Float.POSITIVE_INFINITY);
        assertEquals(0.7f, both.guidanceRescale());
        assertEquals(new SamplerOptions.DynamicThreshold(0.995f, Float.POSITIVE_INFINITY), both.dynamicThreshold());
        assertNull(both.withoutDynamicThreshold().dynamicThreshold());
        assertEquals(new SamplerOptions(SamplerOptions.Kind.DDIM, 10, 0f, 3f, true, 0f, null), o);
    }

    private static UNet tinyUNet() {
        UNet u = new UNet(TinyDiffusion.config(), new Rng(0));
        Rng init = new Rng(4);
        for (Parameter p : u.parameters()) if (p.shape().length == 4) p.set(Tensor.randn(init, p.shape()).mul(0.1f));
        return u;
    }
}
