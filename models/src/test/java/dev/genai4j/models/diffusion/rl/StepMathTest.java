package dev.genai4j.models.diffusion.rl;

import dev.genai4j.models.diffusion.DenoisingStep;
import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.models.diffusion.DiffusionSampler;
import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.PromptCache;
import dev.genai4j.models.diffusion.SamplerOptions;
import dev.genai4j.models.diffusion.Trajectory;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The batched DDIM step with one timestep per image against the single-timestep formulas and a direct Gaussian density. */
class StepMathTest {
    private final NoiseSchedule s = NoiseSchedule.linear(1000, 1e-4, 0.02);

    @Test
    void meanPerImageEqualsTheSingleTimestepFormula() {
        Rng r = new Rng(1);
        Tensor xt = Tensor.randn(r, 3, 1, 4, 4), eps = Tensor.randn(r, 3, 1, 4, 4);
        int[] t = {999, 579, 19}, tp = {979, 559, -1};
        Tensor mixed = StepMath.ddimMean(s, eps, xt, t, tp, 1f, true);
        for (int i = 0; i < 3; i++) {
            Tensor one = DenoisingStep.ddimMean(s, eps.narrow(0, i, 1), xt.narrow(0, i, 1), t[i], tp[i], 1f, true);
            assertArrayEquals(one.toFloatArray(), mixed.narrow(0, i, 1).contiguous().toFloatArray(), 1e-5f, "image " + i);
        }
        float[] std = StepMath.stds(s, t, tp, 1f);
        assertEquals(DenoisingStep.ddimStd(s, 19, -1, 1f), std[2]);
    }

    /** log N(x; μ, σ_b²) with a different σ per image, written out element by element in double precision. */
    @Test
    void logProbEqualsDirectGaussianDensityWithPerImageSigma() {
        Rng r = new Rng(2);
        Tensor mean = Tensor.randn(r, 2, 1, 3, 3), prev = Tensor.randn(r, 2, 1, 3, 3);
        float[] std = {0.5f, 0.05f};
        Tensor lp = StepMath.logProb(prev, mean, std);
        float[] x = prev.toFloatArray(), mu = mean.toFloatArray();
        for (int b = 0; b < 2; b++) {
            double direct = 0;
            for (int i = b * 9; i < (b + 1) * 9; i++) {
                double z = (x[i] - mu[i]) / std[b];
                direct += -0.5 * z * z - Math.log(std[b]) - 0.5 * Math.log(2 * Math.PI);
            }
            assertEquals(direct, lp.get(b), 1e-4 * Math.abs(direct));
        }
        // equal σ: the same number as DenoisingStep's
        assertArrayEquals(DenoisingStep.logProb(prev, mean, 0.5f).toFloatArray(), StepMath.logProb(prev, mean, new float[]{0.5f, 0.5f}).toFloatArray(), 1e-3f);
        DiffusionException zero = assertThrows(DiffusionException.class, () -> StepMath.logProb(prev, mean, new float[]{0.5f, 0f}));
        assertTrue(zero.getMessage().contains("η > 0"), zero.getMessage());
    }

    /** d log p / d μ = (x − μ)/σ², checked on one element. */
    @Test
    void logProbGradientIsTheGaussianScore() {
        Rng r = new Rng(3);
        Tensor mean = Tensor.randn(r, 1, 1, 2, 2), prev = Tensor.randn(r, 1, 1, 2, 2);
        mean.requiresGrad(true);
        StepMath.logProb(prev, mean, new float[]{0.3f}).sum().backward();
        float[] g = mean.grad().toFloatArray(), x = prev.toFloatArray(), mu = mean.toFloatArray();
        for (int i = 0; i < 4; i++) assertEquals((x[i] - mu[i]) / 0.09, g[i], 1e-3);
    }
    /**
     * DDPO-IS clips the ratio p_θ / p_old at 1 ± 1e-4, so before any update the trainer's recomputed
     * log-probability (StepMath, its own minibatch order) must equal the one the sampler stored, far
     * inside that range (1e-5, a tenth of it: float rounding of the guided ε reaches ~1e-6 at the last,
     * smallest-σ step), with and without guidance; otherwise the clip would zero random samples' gradients.
     */
    @Test
    void recomputedLogProbEqualsTheSamplersSoTheFirstRatioIsOne() {
        NoiseSchedule sched = NoiseSchedule.linear(100, 1e-4, 0.02);
        UNet u = RlTiny.unet(4);
        PromptCache cache = new PromptCache(new RlTiny.HashEncoder());
        List<String> ps = List.of("a bag", "a coat", "a shirt", "a dress", "a bag", "a coat");
        Tensor text = cache.batch(ps);
        int[] perm = {3, 0, 5, 1, 4, 2};
        for (float guidance : new float[]{1f, 3f}) {
            Trajectory tr = new DiffusionSampler(u, sched).sampleTrajectory(text, SamplerOptions.ddim(4, 1f, guidance), new Rng(8));
            for (int k = 0; k < tr.timesteps().length; k++) {
                int[] t = RlTrainer.filled(ps.size(), tr.timesteps()[k]), tp = RlTrainer.filled(ps.size(), tr.prevTimesteps()[k]);
                float[] old = tr.logProbs().get(k).toFloatArray();
                try (var g = NoGrad.enter()) {
                    Tensor mu = StepMath.policyMean(u, sched, tr.latents().get(k).indexSelect(0, perm).contiguous(), t, tp,
                            text.indexSelect(0, perm).contiguous(), 1f, guidance, true);
                    float[] lp = StepMath.logProb(tr.latents().get(k + 1).indexSelect(0, perm).contiguous(), mu, StepMath.stds(sched, t, tp, 1f)).toFloatArray();
                    int perValue = tr.latents().get(k).numel() / ps.size();
                    for (int i = 0; i < ps.size(); i++) {
                        assertEquals(old[perm[i]] / perValue, lp[i] / perValue, 1e-5, "guidance " + guidance + ", step " + k + ", image " + perm[i]);
                    }
                }
            }
        }
    }
}
