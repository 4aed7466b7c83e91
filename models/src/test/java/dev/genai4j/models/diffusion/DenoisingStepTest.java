package dev.genai4j.models.diffusion;

import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DenoisingStepTest {
    private final NoiseSchedule s = NoiseSchedule.linear(1000, 1e-4, 0.02);

    @Test
    void ddimStdMatchesTorchReference() {
        assertEquals(5.742843507847e-01, DenoisingStep.ddimStd(s, 999, 979, 1f), 1e-6);
        assertEquals(9.913447406990e-03, DenoisingStep.ddimStd(s, 19, -1, 1f), 1e-8);   // last step goes to ᾱ_0
        assertEquals(0.5 * 5.742843507847e-01, DenoisingStep.ddimStd(s, 999, 979, 0.5f), 1e-6);
        assertEquals(0f, DenoisingStep.ddimStd(s, 999, 979, 0f));
    }

    /** The step's log-probability equals Σ log N(x; μ, σ²) written out per element in double precision. */
    @Test
    void ddimLogProbEqualsDirectGaussianDensity() {
        Rng r = new Rng(7);
        Tensor xt = Tensor.randn(r, 2, 1, 4, 4), eps = Tensor.randn(r, 2, 1, 4, 4);
        StepResult step = DenoisingStep.ddim(s, eps, xt, 579, 559, 1f, false, new Rng(3));
        assertNotNull(step.logProb());
        float[] x = step.prev().toFloatArray(), mu = step.mean().toFloatArray();
        double sigma = step.std();
        for (int b = 0; b < 2; b++) {
            double direct = 0;
            for (int i = b * 16; i < (b + 1) * 16; i++) {
                double z = (x[i] - mu[i]) / sigma;
                direct += -0.5 * z * z - Math.log(sigma) - 0.5 * Math.log(2 * Math.PI);
            }
            assertEquals(direct, step.logProb().get(b), 1e-3 * Math.abs(direct));
        }
        // the mean is DDIM's eq. 12 with σ from eq. 16, written out
        double at = s.alphaCumprod(579), ap = s.alphaCumprod(559);
        float x0 = (float) ((xt.get(1, 0, 2, 3) - Math.sqrt(1 - at) * eps.get(1, 0, 2, 3)) / Math.sqrt(at));
        double expectMean = Math.sqrt(ap) * x0 + Math.sqrt(1 - ap - sigma * sigma) * eps.get(1, 0, 2, 3);
        assertEquals(expectMean, step.mean().get(1, 0, 2, 3), 1e-5);
        // a latent far from the mean is less likely
        Tensor far = step.mean().add(3f * step.std());
        assertTrue(DenoisingStep.logProb(far, step.mean(), step.std()).get(0) < step.logProb().get(0));
    }

    @Test
    void ddimWithEtaZeroIsDeterministicAndHasNoDensity() {
        Rng r = new Rng(8);
        Tensor xt = Tensor.randn(r, 1, 1, 4, 4), eps = Tensor.randn(r, 1, 1, 4, 4);
        StepResult a = DenoisingStep.ddim(s, eps, xt, 500, 480, 0f, true, new Rng(1));
        StepResult b = DenoisingStep.ddim(s, eps, xt, 500, 480, 0f, true, new Rng(2));
        assertArrayEquals(a.prev().toFloatArray(), b.prev().toFloatArray());
        assertNull(a.logProb());
        assertThrows(DiffusionException.class, () -> DenoisingStep.logProb(a.prev(), a.mean(), 0f));
        // whole sampling runs: η = 0 gives the same images whatever happens to the noise stream after x_T
        UNet u = new UNet(TinyDiffusion.config(), new Rng(0));
        DiffusionSampler sampler = new DiffusionSampler(u, s);
        Tensor text = Tensor.randn(new Rng(3), 2, 3, 12);
        Tensor one = sampler.sample(text, SamplerOptions.ddim(10, 0f, 2f), new Rng(42));
        Tensor two = sampler.sample(text, SamplerOptions.ddim(10, 0f, 2f), new Rng(42));
        assertClose(one.toFloatArray(), two.toFloatArray());   // to rounding: C2 may reorder vector sums between runs
        Tensor noisy = sampler.sample(text, SamplerOptions.ddim(10, 1f, 2f), new Rng(42));
        assertFalse(java.util.Arrays.equals(one.toFloatArray(), noisy.toFloatArray()));
    }

    @Test
    void ddpmStepIsThePosteriorMeanAndNoNoiseAtTheEnd() {
        Rng r = new Rng(9);
        Tensor xt = Tensor.randn(r, 1, 1, 2, 2), eps = Tensor.randn(r, 1, 1, 2, 2);
        StepResult last = DenoisingStep.ddpm(s, eps, xt, 19, -1, false, new Rng(1));
        assertEquals(0f, last.std());
        double a = s.alphaCumprod(19);
        assertEquals((xt.get(0, 0, 1, 0) - Math.sqrt(1 - a) * eps.get(0, 0, 1, 0)) / Math.sqrt(a), last.prev().get(0, 0, 1, 0), 1e-4);
        StepResult mid = DenoisingStep.ddpm(s, eps, xt, 500, 499, false, new Rng(1));
        assertEquals(Math.sqrt(s.beta(500) * (1 - s.alphaCumprod(499)) / (1 - s.alphaCumprod(500))), mid.std(), 1e-6);
    }

    /** What DDPO / DPOK need: a recorded trajectory whose per-step log-prob is recomputed, equal, with gradients through the UNet. */
    @Test
    void trajectoryLogProbsRecomputeWithGradients() {
        UNet u = new UNet(TinyDiffusion.config(), new Rng(0));
        Rng init = new Rng(4);
        for (Parameter p : u.parameters()) if (p.shape().length == 4) p.set(Tensor.randn(init, p.shape()).mul(0.1f));
        DiffusionSampler sampler = new DiffusionSampler(u, s);
        Tensor text = Tensor.randn(new Rng(3), 2, 3, 12);
        Trajectory tr = sampler.sampleTrajectory(text, SamplerOptions.ddim(5, 1f, 3f), new Rng(11));
        assertEquals(6, tr.latents().size());
        assertArrayEquals(new int[]{999, 799, 599, 399, 199}, tr.timesteps());
        assertArrayEquals(new int[]{799, 599, 399, 199, -1}, tr.prevTimesteps());
        for (int k = 0; k < 5; k++) assertTrue(tr.stds()[k] > 0, "step " + k);
        assertArrayEquals(new int[]{2}, tr.totalLogProb().shape());
        TinyDiffusion.assertLogProbRecomputesWithGradient(u, sampler, tr, 2);
    }

    @Test
    void guidanceOneIsTheConditionalPredictionAndOtherWeightsMix() {
        UNet u = new UNet(TinyDiffusion.config(), new Rng(0));
        Rng init = new Rng(4);
        for (Parameter p : u.parameters()) if (p.shape().length == 4) p.set(Tensor.randn(init, p.shape()).mul(0.1f));
        Rng r = new Rng(5);
        Tensor x = Tensor.randn(r, 2, 1, 8, 8), text = Tensor.randn(r, 2, 3, 12);
        float[] t = {100, 800};
        Tensor cond = u.forward(x, t, text), uncond = u.forward(x, t, Tensor.zeros(2, 3, 12));
        // to rounding, not bit for bit: guidance runs both halves as one batch, and C2 may sum vector
        // lanes in another order between calls (see the engine notes in ARCHITECTURE/README)
        assertClose(cond.toFloatArray(), ClassifierFreeGuidance.epsilon(u, x, t, text, 1f).toFloatArray());
        assertClose(uncond.toFloatArray(), ClassifierFreeGuidance.epsilon(u, x, t, text, 0f).toFloatArray());
        float[] mixed = ClassifierFreeGuidance.epsilon(u, x, t, text, 2.5f).toFloatArray(), c = cond.toFloatArray(), n = uncond.toFloatArray();
        for (int i = 0; i < mixed.length; i++) assertEquals(n[i] + 2.5f * (c[i] - n[i]), mixed[i], 1e-4f);
        assertFalse(java.util.Arrays.equals(c, n), "the text must change the prediction");
    }

    private static void assertClose(float[] want, float[] got) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5f * (1 + Math.abs(want[i])), "element " + i);
    }

    @Test
    void badSamplerArgumentsAreRejected() {
        DiffusionException g = assertThrows(DiffusionException.class, () -> SamplerOptions.ddim(50, 0f, -1f));
        assertTrue(g.getMessage().contains("guidance") && g.getMessage().contains("-1"), g.getMessage());
        assertThrows(DiffusionException.class, () -> SamplerOptions.ddim(0, 0f, 3f));
        assertThrows(DiffusionException.class, () -> SamplerOptions.ddim(50, -0.5f, 3f));
        assertThrows(DiffusionException.class, () -> SamplerOptions.parseKind("euler"));
        UNet u = new UNet(TinyDiffusion.config(), new Rng(0));
        DiffusionSampler sampler = new DiffusionSampler(u, NoiseSchedule.linear(100, 1e-4, 0.02));
        DiffusionException steps = assertThrows(DiffusionException.class,
                () -> sampler.sample(Tensor.zeros(1, 3, 12), SamplerOptions.ddim(101, 0f, 1f), new Rng(1)));
        assertTrue(steps.getMessage().contains("1..100"), steps.getMessage());
        try (DiffusionPipeline p = new DiffusionPipeline(u, NoiseSchedule.linear(100, 1e-4, 0.02), new TinyDiffusion.HashEncoder())) {
            DiffusionException empty = assertThrows(DiffusionException.class, () -> p.generate(java.util.List.of("  "), SamplerOptions.ddim(5, 0f, 3f), 1));
            assertTrue(empty.getMessage().contains("prompt is empty"), empty.getMessage());
        }
    }
}
