package dev.genai4j.models.diffusion.rl;

import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** DPOK's KL bound, the PPO clip, the score function and the per-prompt advantages, against hand-worked values. */
class KlAndLossTest {
    private final NoiseSchedule s = NoiseSchedule.linear(1000, 1e-4, 0.02);

    @Test
    void klIsZeroForTheSamePolicyAndPositiveOtherwise() {
        UNet policy = RlTiny.unet(1), reference = RlTiny.unet(1);
        Rng r = new Rng(5);
        Tensor xt = Tensor.randn(r, 2, 1, 8, 8), text = Tensor.randn(r, 2, 3, 12);
        int[] t = {999, 499}, tp = {899, 399};
        float[] std = StepMath.stds(s, t, tp, 1f);
        Tensor muP = StepMath.policyMean(policy, s, xt, t, tp, text, 1f, 3f, true);
        Tensor muR = StepMath.policyMean(reference, s, xt, t, tp, text, 1f, 3f, true);
        assertArrayEquals(new float[]{0f, 0f}, KlRegularizer.stepKl(muP, muR, std).toFloatArray(), 1e-6f);
        // nudge one weight of the policy: the bound turns positive, and equals Σ(μθ − μpre)²/2σ²
        Map<String, Parameter> named = policy.namedParameters();
        Parameter w = named.get("conv_out.bias");
        w.set(w.value().add(0.05f));
        Tensor moved = StepMath.policyMean(policy, s, xt, t, tp, text, 1f, 3f, true);
        Tensor kl = KlRegularizer.stepKl(moved, muR, std);
        float[] a = moved.toFloatArray(), b = muR.toFloatArray();
        for (int i = 0; i < 2; i++) {
            double sum = 0;
            for (int j = i * 64; j < (i + 1) * 64; j++) sum += (a[j] - b[j]) * (double) (a[j] - b[j]);
            assertTrue(kl.get(i) > 0, "image " + i);
            assertEquals(sum / (2.0 * std[i] * std[i]), kl.get(i), 1e-4 * sum / (2.0 * std[i] * std[i]));
        }
    }

    @Test
    void klGradientPullsThePolicyMeanBack() {
        Tensor mu = Tensor.of(new float[]{1f, 2f}, 1, 1, 1, 2).requiresGrad(true);
        Tensor ref = Tensor.of(new float[]{0f, 2.5f}, 1, 1, 1, 2);
        Tensor kl = KlRegularizer.stepKl(mu, ref, new float[]{0.5f});
        assertEquals((1 + 0.25) / 0.5, kl.get(0), 1e-6);     // (1² + 0.5²) / (2·0.25)
        kl.sum().backward();
        assertArrayEquals(new float[]{1f / 0.25f, -0.5f / 0.25f}, mu.grad().toFloatArray(), 1e-5f);
    }

    @Test
    void ppoClippingClips() {
        float eps = 0.1f;
        // ratios e^0 = 1, e^0.5 ≈ 1.65 (above the range), e^-0.5 ≈ 0.61 (below)
        Tensor old = Tensor.of(new float[]{0f, 0f, 0f, 0f}, 4);
        Tensor lp = Tensor.of(new float[]{0f, 0.5f, -0.5f, 0.5f}, 4).requiresGrad(true);
        float[] adv = {1f, 1f, -1f, -1f};
        Tensor loss = PolicyLoss.clippedImportance(lp, old, adv, eps);
        // per sample max(−Aρ, −A·clip(ρ)): −1, −1.1 (clipped, A > 0, ρ high), 0.9 (clipped, A < 0, ρ low), e^0.5 (unclipped: worse)
        double want = (-1 - 1.1 + 0.9 + Math.exp(0.5)) / 4;
        assertEquals(want, loss.item(), 1e-5);
        loss.backward();
        float[] g = lp.grad().toFloatArray();
        assertEquals(-0.25f, g[0], 1e-6f);                        // −A·ρ/B inside the range
        assertEquals(0f, g[1], 0f);                                // clipped: no gradient
        assertEquals(0f, g[2], 0f);
        assertEquals((float) Math.exp(0.5) / 4, g[3], 1e-5f);      // the pessimistic side keeps its gradient
        assertEquals(0.75, PolicyLoss.clipFraction(lp, old, eps), 1e-9);
        // DPOK's plain clamp: no gradient once outside, whatever the sign
        Tensor lp2 = Tensor.of(new float[]{0f, 0.5f, -0.5f, 0.5f}, 4).requiresGrad(true);
        PolicyLoss.clampedRatio(lp2, old, adv, eps).backward();
        assertArrayEquals(new float[]{-0.25f, 0f, 0f, 0f}, lp2.grad().toFloatArray(), 1e-6f);
    }

    @Test
    void scoreFunctionIsMinusAdvantageTimesLogProb() {
        Tensor lp = Tensor.of(new float[]{-2f, -3f}, 2).requiresGrad(true);
        Tensor loss = PolicyLoss.scoreFunction(lp, new float[]{2f, -1f});
        assertEquals((4 - 3) / 2.0, loss.item(), 1e-6);
        loss.backward();
        assertArrayEquals(new float[]{-1f, 0.5f}, lp.grad().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[]{5f, -5f, 0.5f}, PolicyLoss.clip(new float[]{7f, -9f, 0.5f}, 5f), 0f);
    }

    @Test
    void advantagesNormalizePerPromptOnceTheBufferHoldsEnough() {
        PerPromptStatTracker t = new PerPromptStatTracker(4, 2);
        // prompt a now holds 2 rewards (= min count): its own stats, mean 1.5 and std 0.5
        float[] a = t.update(List.of("a", "a"), new float[]{1f, 2f});
        assertArrayEquals(new float[]{-1f, 1f}, a, 1e-5f);
        float[] b = t.update(List.of("b", "a"), new float[]{10f, 4f});
        // b holds one reward: batch stats (mean 7, std 3) → b: 1; a holds {1, 2, 4}: mean 7/3, std √(14/9)
        assertEquals(1f, b[0], 1e-5f);
        assertEquals((4 - 7.0 / 3) / Math.sqrt(14.0 / 9), b[1], 1e-5);
        // the buffer keeps the last 4: after two more a-rewards, 1 has dropped out
        t.update(List.of("a", "a"), new float[]{6f, 8f});
        assertEquals(List.of(2f, 4f, 6f, 8f), t.state().get("a"));
        float[] c = t.update(List.of("a"), new float[]{5f});     // {4, 6, 8, 5}: mean 5.75, std √2.1875
        assertEquals((5 - 5.75) / Math.sqrt(2.1875), c[0], 1e-5);
        PerPromptStatTracker back = new PerPromptStatTracker(4, 2);
        back.restore(t.state());
        assertEquals(t.state(), back.state());
    }

    @Test
    void sftWeightsAreASoftmaxWithMeanOne() {
        float[] w = RewardWeightedSft.weights(new float[]{0f, 1f, 2f}, 1f);
        double z = 1 + Math.E + Math.E * Math.E;
        assertArrayEquals(new float[]{(float) (3 / z), (float) (3 * Math.E / z), (float) (3 * Math.E * Math.E / z)}, w, 1e-5f);
        float[] flat = RewardWeightedSft.weights(new float[]{-2f, -2f}, 0f);
        assertArrayEquals(new float[]{1f, 1f}, flat, 1e-6f);
    }
}
