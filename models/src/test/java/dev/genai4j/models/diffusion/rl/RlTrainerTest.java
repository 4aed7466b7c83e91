package dev.genai4j.models.diffusion.rl;

import dev.genai4j.models.diffusion.ClassImages;
import dev.genai4j.models.diffusion.ClassPrompts;
import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.PromptCache;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Short fixed-seed runs on a tiny UNet with a brightness reward: each method raises the reward. */
class RlTrainerTest {
    static final NoiseSchedule SCHEDULE = NoiseSchedule.linear(100, 1e-4, 0.02);
    static final List<String> PROMPTS = List.of("a photo of a bag", "a photo of a coat");

    /** 32 samples an epoch (fewer leave REINFORCE's gradient mostly noise), 4 DDIM steps, no guidance. */
    static RlConfig config(RlMethod m) {
        double lr = m == RlMethod.DDPO_SF ? 1e-2 : 3e-3;
        return new RlConfig(m, 32, 32, 0, 1, 4, 1f, 1f, lr, 1.0, 0.2f, 5f, 16, 4, 1f, 0.01f, 0, 1e-2, 32, 12, 0f, 3);
    }

    /** Mean reward of 16 samples from the policy with a fixed seed. */
    static double meanReward(UNet u, PromptCache cache, RlConfig cfg) {
        var sampler = new dev.genai4j.models.diffusion.DiffusionSampler(u, SCHEDULE);
        List<String> ps = java.util.Collections.nCopies(16, PROMPTS.get(0));
        float[] r = RlTiny.BRIGHTNESS.score(sampler.sample(cache.batch(ps), cfg.sampler(), new Rng(99)), ps);
        double s = 0;
        for (float v : r) s += v;
        return s / r.length;
    }

    private static void raisesTheReward(RlMethod m, int epochs) {
        RlConfig cfg = config(m);
        UNet policy = RlTiny.unet(1), reference = RlTiny.unet(1);
        PromptCache cache = new PromptCache(new RlTiny.HashEncoder());
        double before = meanReward(policy, cache, cfg);
        RlAlgorithm alg;
        if (m == RlMethod.SFT) {
            ClassImages real = ClassImages.of(Tensor.rand(new Rng(4), 8, 1, 8, 8).mul(2f).sub(1f), new int[8], new ClassPrompts(List.of("bag")));
            RewardWeightedSft sft = new RewardWeightedSft(policy, SCHEDULE, cache, RlTiny.BRIGHTNESS, null, cfg, real);
            sft.prepare(PROMPTS);
            alg = sft;
        } else {
            alg = new RlTrainer(policy, reference, SCHEDULE, cache, RlTiny.BRIGHTNESS, null, cfg);
        }
        EpochStats first = null, last = null;
        for (int e = 1; e <= epochs; e++) {
            last = alg.epoch(PROMPTS, e);
            if (first == null) first = last;
            assertTrue(Double.isFinite(last.loss()), m + " epoch " + e + " loss " + last.loss());
        }
        double after = meanReward(policy, cache, cfg);
        assertTrue(after > before + 0.04, m + ": held-out reward " + before + " → " + after + " (epoch rewards " + first.rewardMean() + " → " + last.rewardMean() + ")");
        if (m == RlMethod.DPOK) assertTrue(last.kl() > 0, "the policy moved away from the reference: KL " + last.kl());
        if (m == RlMethod.DDPO_IS) assertTrue(Double.isFinite(last.clipFraction()));
    }

    /** Under TextNorm a prompt-blind reward ties the prompt with its 9 class swaps: exactly 1/10; the base reward is logged beside it. */
    @Test
    void textNormRewardIsTrainedOnAndTheBaseRewardLogged() {
        RlConfig cfg = new RlConfig(RlMethod.DDPO_SF, 4, 4, 0, 1, 2, 1f, 1f, 1e-3, 1.0, 0.2f, 5f, 16, 4, 1f, 0.01f, 0, 1e-2, 4, 1, 0f, 3);
        var tn = new dev.genai4j.models.diffusion.reward.TextNorm(RlTiny.BRIGHTNESS,
                dev.genai4j.models.diffusion.reward.ContrastivePrompts.fashionMnist(), 1f, null, 0.1f);
        RlTrainer t = new RlTrainer(RlTiny.unet(1), null, SCHEDULE, new PromptCache(new RlTiny.HashEncoder()), tn, RlTiny.BRIGHTNESS, cfg);
        EpochStats s = t.epoch(PROMPTS, 1);
        assertEquals(0.1, s.rewardMean(), 1e-6);
        assertEquals(0.0, s.rewardStd(), 1e-6);
        assertTrue(Double.isFinite(s.baseReward()) && s.baseReward() != 0.1, "base reward " + s.baseReward());
    }

    @Test
    void ddpoScoreFunctionRaisesTheReward() { raisesTheReward(RlMethod.DDPO_SF, 5); }

    @Test
    void ddpoImportanceSamplingRaisesTheReward() { raisesTheReward(RlMethod.DDPO_IS, 5); }

    @Test
    void dpokRaisesTheReward() { raisesTheReward(RlMethod.DPOK, 5); }

    @Test
    void sftRaisesTheReward() { raisesTheReward(RlMethod.SFT, 5); }

    /** LoRA on the attention projections alone moves the reward too, and leaves every base weight as it was. */
    @Test
    void ddpoWithLoraRaisesTheRewardAndFreezesTheBase() {
        RlConfig cfg = new RlConfig(RlMethod.DDPO_SF, 32, 32, 0, 1, 4, 1f, 1f, 2e-1, 1.0, 0.2f, 5f, 16, 4, 1f, 0.01f, 0, 1e-2, 32, 12, 0f, 3);
        UNet policy = RlTiny.unet(1);
        var base = policy.stateDict();
        java.util.Map<String, float[]> baseValues = new java.util.LinkedHashMap<>();
        base.forEach((k, v) -> baseValues.put(k, v.toFloatArray()));
        policy.addLora(2, 8f, new Rng(8));
        PromptCache cache = new PromptCache(new RlTiny.HashEncoder());
        double before = meanReward(policy, cache, cfg);
        RlTrainer t = new RlTrainer(policy, null, SCHEDULE, cache, RlTiny.BRIGHTNESS, null, cfg);
        for (int e = 1; e <= 8; e++) t.epoch(PROMPTS, e);
        double after = meanReward(policy, cache, cfg);
        // the tiny UNet's attention reaches the image only through small conv weights: a smaller move than full fine-tuning's
        assertTrue(after > before + 0.005, "LoRA ddpo-sf: held-out reward " + before + " → " + after);
        policy.stateDict().forEach((k, v) -> assertArrayEquals(baseValues.get(k), v.toFloatArray(), 0f, "base weight " + k + " moved"));
    }
}
