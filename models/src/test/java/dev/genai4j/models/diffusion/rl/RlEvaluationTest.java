package dev.genai4j.models.diffusion.rl;

import dev.genai4j.models.diffusion.PromptCache;
import dev.genai4j.models.diffusion.eval.FashionClassifier;
import dev.genai4j.models.diffusion.eval.FashionClassifierConfig;
import dev.genai4j.models.diffusion.eval.Metrics;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.models.diffusion.UNetConfig;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The held-out evaluation's Fréchet distance: zero against the moments of its own samples, positive against other images. */
class RlEvaluationTest {
    @Test
    void frechetDistanceIsMeasuredAgainstTheGivenRealMoments() {
        RlConfig cfg = RlRunTest.cfg();
        UNet policy = new UNet(new UNetConfig(32, 1, 1, new int[]{8, 16}, new boolean[]{false, true}, 1, RlTiny.TEXT_DIM, 8, 4, 1e-5f), new Rng(1));
        Rng init = new Rng(101);
        for (Parameter p : policy.parameters()) if (p.shape().length == 4) p.set(Tensor.randn(init, p.shape()).mul(0.02f));   // as RlTiny.unet
        PromptCache cache = new PromptCache(new RlTiny.HashEncoder());
        FashionClassifier judge = new FashionClassifier(FashionClassifierConfig.fashionMnist(2, 4), new Rng(9));
        List<String> prompts = List.of("a picture showing a bag", "a picture showing a coat");

        RlEvaluation.Result plain = RlEvaluation.evaluate(policy, null, RlRunTest.SCHEDULE, cache, RlTiny.BRIGHTNESS, null, judge, null, prompts, 4, cfg, 7);
        assertTrue(Double.isNaN(plain.frechet()), "no reference, no distance");
        assertTrue(plain.toJson().get("frechet_distance").isNull());
        assertTrue(plain.toJson().get("base_reward_mean").isNull(), "JSON has no NaN: not measured is null, not the string \"NaN\"");
        assertTrue(plain.toJson().get("kl_proxy").isNull(), "no reference UNet, no KL");

        // the same seed draws the same 8 images (32 × 32, what the judge takes): against their own feature moments the distance is ~0
        Metrics.Moments own = Metrics.moments(judge.inferFeatures(plain.images()));
        RlEvaluation.Result self = RlEvaluation.evaluate(policy, null, RlRunTest.SCHEDULE, cache, RlTiny.BRIGHTNESS, null, judge, own, prompts, 4, cfg, 7);
        assertEquals(0.0, self.frechet(), 1e-3);

        // a clearly different set: near-white images (the random judge's features are small, so compare to the self distance)
        Metrics.Moments other = Metrics.moments(judge.inferFeatures(Tensor.rand(new Rng(5), 8, 1, 32, 32).mul(0.2f).add(0.8f)));
        RlEvaluation.Result vsNoise = RlEvaluation.evaluate(policy, null, RlRunTest.SCHEDULE, cache, RlTiny.BRIGHTNESS, null, judge, other, prompts, 4, cfg, 7);
        assertTrue(vsNoise.frechet() > 1e-4 && vsNoise.frechet() > 1e3 * Math.abs(self.frechet()),
                "samples vs white images: " + vsNoise.frechet() + ", vs themselves: " + self.frechet());
        assertEquals(vsNoise.frechet(), vsNoise.toJson().get("frechet_distance").asDouble(), 1e-12);
        assertEquals(Metrics.frechetDistance(Metrics.moments(judge.inferFeatures(vsNoise.images())), other), vsNoise.frechet(), 1e-4 * vsNoise.frechet());
    }
}
