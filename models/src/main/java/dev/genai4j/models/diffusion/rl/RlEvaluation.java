package dev.genai4j.models.diffusion.rl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.diffusion.DiffusionSampler;
import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.PromptCache;
import dev.genai4j.models.diffusion.Trajectory;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.models.diffusion.eval.FashionClassifier;
import dev.genai4j.models.diffusion.eval.Metrics;
import dev.genai4j.models.diffusion.eval.PromptClasses;
import dev.genai4j.models.diffusion.reward.Reward;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Scores a policy on held-out prompts with a fixed seed (the same noise before and after
 * fine-tuning): mean reward, the <b>independent</b> classifier's accuracy on the prompted class
 * (never the reward model), the KL proxy to the frozen base — Σ over the sampling steps of the
 * per-step bound ‖μθ − μpre‖²/2σ², averaged over images — and the diversity, the mean pairwise
 * distance of the evaluator's features within each prompt's images, averaged over prompts — and,
 * given the moments of real held-out images in the evaluator's feature space, the Fréchet distance
 * of the samples to them.
 *
 * <pre>{@code
 * RlEvaluation.Result r = RlEvaluation.evaluate(policy, base, schedule, cache, reward, null, judge, realMoments, prompts, 8, cfg, 1234);
 * }</pre>
 */
public final class RlEvaluation {
    private RlEvaluation() {}

    /**
     * @param reward     mean training reward (after TextNorm when on)
     * @param baseReward mean un-normalized reward under TextNorm, else NaN
     * @param accuracy   independent classifier's accuracy on the prompted classes (NaN without one)
     * @param klProxy    trajectory KL bound to the base per image (0 for the base itself)
     * @param diversity  mean within-prompt pairwise feature distance (NaN without a classifier)
     * @param frechet    Fréchet distance of the samples' evaluator features to the real reference (NaN without one)
     * @param count      images scored
     * @param images     the samples [N, C, S, S], prompt by prompt
     * @param prompts    their prompts
     */
    public record Result(double reward, double baseReward, double accuracy, double klProxy, double diversity, double frechet, int count,
                         Tensor images, List<String> prompts) {
        public ObjectNode toJson() {
            ObjectNode n = new ObjectMapper().createObjectNode();
            number(n, "reward_mean", reward);
            number(n, "base_reward_mean", baseReward);
            number(n, "evaluator_accuracy", accuracy);
            number(n, "kl_proxy", klProxy);
            number(n, "diversity", diversity);
            number(n, "frechet_distance", frechet);
            n.put("images", count);
            return n;
        }

        /** JSON has no NaN: a value that was not measured is null. */
        private static void number(ObjectNode n, String name, double v) {
            if (Double.isFinite(v)) n.put(name, v); else n.putNull(name);
        }
    }

    /** @param real moments of real held-out images' evaluator features (the Fréchet reference), or null */
    public static Result evaluate(UNet policy, UNet reference, NoiseSchedule schedule, PromptCache cache, Reward reward, Reward logReward,
                                  FashionClassifier evaluator, Metrics.Moments real, List<String> prompts, int perPrompt, RlConfig cfg, long seed) {
        List<String> ps = new ArrayList<>();
        for (String p : prompts) ps.addAll(Collections.nCopies(perPrompt, p));
        DiffusionSampler sampler = new DiffusionSampler(policy, schedule);
        Rng rng = new Rng(seed);
        List<Tensor> parts = new ArrayList<>();
        double klSum = 0;
        for (int from = 0; from < ps.size(); from += cfg.sampleBatch()) {
            List<String> chunk = ps.subList(from, Math.min(ps.size(), from + cfg.sampleBatch()));
            Tensor text = cache.batch(chunk);
            Trajectory tr = sampler.sampleTrajectory(text, cfg.sampler(), rng);
            parts.add(tr.finalLatent().clamp(-1f, 1f));
            if (reference != null) klSum += trajectoryKl(tr, reference, schedule, cfg);
        }
        Tensor images = parts.size() == 1 ? parts.getFirst() : Tensor.cat(parts, 0);
        double r = mean(reward.score(images, ps));
        double base = logReward == null ? Double.NaN : mean(logReward.score(images, ps));
        double acc = Double.NaN, div = Double.NaN, fd = Double.NaN;
        if (evaluator != null) {
            PromptClasses classes = new PromptClasses(evaluator.config().classNames());
            boolean allNamed = ps.stream().allMatch(p -> classes.classOf(p) >= 0);
            if (allNamed) acc = Metrics.promptedAccuracy(evaluator, images, ps, classes).overall();
            Tensor feats = evaluator.inferFeatures(images);                          // [N, F]
            if (real != null && images.size(0) >= 2) fd = Metrics.frechetDistance(Metrics.moments(feats), real);
            if (perPrompt >= 2) {
                double d = 0;
                for (int p = 0; p < prompts.size(); p++) d += Metrics.diversity(feats.narrow(0, p * perPrompt, perPrompt).contiguous());
                div = d / prompts.size();
            }
        }
        return new Result(r, base, acc, reference == null ? Double.NaN : klSum / ps.size(), div, fd, ps.size(), images, ps);
    }

    /** Σ_images Σ_steps ‖μθ − μpre‖²/2σ² of a recorded trajectory (its means are the policy's). */
    static double trajectoryKl(Trajectory tr, UNet reference, NoiseSchedule schedule, RlConfig cfg) {
        int b = tr.finalLatent().size(0);
        double sum = 0;
        try (var g = NoGrad.enter()) {
            for (int k = 0; k < tr.steps(); k++) {
                int[] t = RlTrainer.filled(b, tr.timesteps()[k]), tp = RlTrainer.filled(b, tr.prevTimesteps()[k]);
                Tensor muRef = StepMath.policyMean(reference, schedule, tr.latents().get(k), t, tp, tr.text(), cfg.eta(), cfg.guidance(), true);
                sum += KlRegularizer.stepKl(tr.means().get(k), muRef, StepMath.stds(schedule, t, tp, cfg.eta())).sum().item();
            }
        }
        return sum;
    }

    static double mean(float[] v) {
        double s = 0;
        for (float x : v) s += x;
        return s / v.length;
    }
}
