package dev.genai4j.models.diffusion.rl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.models.diffusion.DiffusionSampler;
import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.PromptCache;
import dev.genai4j.models.diffusion.Trajectory;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.models.diffusion.reward.Reward;
import dev.genai4j.nn.Parameter;
import dev.genai4j.optim.AdamW;
import dev.genai4j.optim.GradClip;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Online RL fine-tuning of a text-conditioned UNet, one epoch at a time: sample trajectories with
 * DDIM (η &gt; 0, guidance as configured) for prompts drawn from the training list, score the
 * final images, then update the policy on the recorded steps:
 * <ul>
 *   <li>DDPO-SF / DDPO-IS (arXiv 2305.13301): advantages from the {@link PerPromptStatTracker},
 *       clipped at ±advClip; per minibatch of images, one backward per timestep (gradients
 *       accumulate over the trajectory, each step's loss divided by the step count) and one
 *       optimizer step; SF uses −A·log p, IS the PPO-clipped ratio to the sampling policy.</li>
 *   <li>DPOK (arXiv 2305.16381): every step of every trajectory goes into a {@link ReplayBuffer};
 *       random minibatches of transitions train the value function V(x_t, prompt, t) on the final
 *       reward and the policy on α·(−A·clip(ρ)) + β·KL with A = (r − V)/std(r over the buffer)
 *       (divided so that α means the same whatever the reward's units), the KL being the per-step bound
 *       ‖μθ − μpre‖²/2σ² to the frozen pretrained UNet; gradients accumulate over {@code steps}
 *       minibatches per optimizer step (as many backward passes per update as DDPO).</li>
 * </ul>
 * The replay buffer is part of the checkpoint ({@code replay.*} tensors, prompts in the JSON), so a
 * resumed DPOK run draws from the same transitions as one never stopped.
 * Log-probabilities and the KL are per value (divided by C·H·W), as ddpo-pytorch averages, so
 * the ratio's clip range 1e-4 is on its scale.
 *
 * <pre>{@code
 * RlTrainer t = new RlTrainer(policy, pretrained, schedule, new PromptCache(enc), reward, null, RlConfig.defaults(RlMethod.DDPO_SF));
 * EpochStats s = t.epoch(List.of("a photo of a bag", "a photo of a coat"), 1);
 * }</pre>
 */
public final class RlTrainer implements RlAlgorithm {
    private final UNet policy, reference;
    private final NoiseSchedule schedule;
    private final PromptCache prompts;
    private final Reward reward, logReward;
    private final RlConfig cfg;
    private final List<Parameter> params;
    private final AdamW opt;
    private final PerPromptStatTracker tracker;
    private static final int VALUE_HIDDEN = 256;    // DPOK's ValueMulti width
    private final ValueFunction value;          // DPOK only
    private final AdamW valueOpt;
    private final ReplayBuffer replay;
    private int[] replayImageShape, replayTextShape;   // [C, H, W] and [L, D] of what the buffer holds, once it holds something

    /**
     * @param reference the frozen pretrained UNet (DPOK's KL; may be null for DDPO)
     * @param logReward a second reward only logged (the base reward under TextNorm), or null
     */
    public RlTrainer(UNet policy, UNet reference, NoiseSchedule schedule, PromptCache prompts, Reward reward, Reward logReward, RlConfig cfg) {
        if (!cfg.method().online()) throw new DiffusionException("RlTrainer runs ddpo-sf, ddpo-is and dpok; sft is RewardWeightedSft");
        if (cfg.method() == RlMethod.DPOK && reference == null) throw new DiffusionException("dpok needs the frozen pretrained UNet for its KL term");
        if (cfg.steps() > schedule.length()) {
            throw new DiffusionException("rl: --steps must lie in 1.." + schedule.length() + " (the schedule's num_train_timesteps), got " + cfg.steps());
        }
        this.policy = policy;
        this.reference = reference;
        this.schedule = schedule;
        this.prompts = prompts;
        this.reward = reward;
        this.logReward = logReward;
        this.cfg = cfg;
        this.params = PolicyParameters.trainable(policy);   // the LoRA adapters when the policy has them, else every weight
        this.opt = new AdamW(params, cfg.lr(), 0.9, 0.999, 1e-8, 1e-4, false);
        this.tracker = new PerPromptStatTracker(cfg.bufferSize(), cfg.minCount());
        if (cfg.method() == RlMethod.DPOK) {
            int imageValues = policy.config().inChannels() * policy.config().sampleSize() * policy.config().sampleSize();
            value = new ValueFunction(imageValues, prompts.encoder().dim(), VALUE_HIDDEN, schedule.length(), new Rng(cfg.seed() + 17));
            value.trainable();
            valueOpt = new AdamW(value.parameters(), cfg.valueLr(), 0.9, 0.999, 1e-8, 0, false);
            replay = new ReplayBuffer(cfg.effectiveReplayCapacity());
        } else {
            value = null;
            valueOpt = null;
            replay = null;
        }
    }

    /** What one epoch sampled: latents per step [N, C, H, W], per-value log-probs per step [N], the text, prompts and rewards. */
    record Rollout(List<Tensor> latents, int[] timesteps, int[] prevTimesteps, float[] stds, List<Tensor> logProbs, Tensor text,
                   List<String> prompts, float[] rewards, float[] baseRewards) {
        int size() { return prompts.size(); }
    }

    @Override
    public EpochStats epoch(List<String> promptPool, int epoch) {
        long start = System.nanoTime();
        Rng rng = new Rng(cfg.seed() * 1_000_003L + epoch);
        Rollout r = rollout(promptPool, rng);
        double[] loss = switch (cfg.method()) {
            case DDPO_SF, DDPO_IS -> trainDdpo(r, rng);
            case DPOK -> trainDpok(r, rng);
            case SFT -> throw new IllegalStateException("unreachable");
        };
        double[] m = PerPromptStatTracker.moments(boxed(r.rewards()));
        double base = r.baseRewards() == null ? Double.NaN : PerPromptStatTracker.moments(boxed(r.baseRewards()))[0];
        return new EpochStats(epoch, m[0], m[1], base, loss[0], loss[1], loss[2], (System.nanoTime() - start) / 1e9);
    }

    /** Samples {@code samplesPerEpoch} trajectories for prompts drawn from the pool and scores them. */
    Rollout rollout(List<String> pool, Rng rng) {
        if (pool.isEmpty()) throw new DiffusionException("rl: no training prompts");
        int n = cfg.samplesPerEpoch();
        List<String> ps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) ps.add(pool.get(rng.nextInt(pool.size())));
        DiffusionSampler sampler = new DiffusionSampler(policy, schedule);
        List<List<Tensor>> lat = new ArrayList<>(), lps = new ArrayList<>();
        Trajectory last = null;
        for (int from = 0; from < n; from += cfg.sampleBatch()) {
            List<String> chunk = ps.subList(from, Math.min(n, from + cfg.sampleBatch()));
            Trajectory tr = sampler.sampleTrajectory(prompts.batch(chunk), cfg.sampler(), rng);
            lat.add(tr.latents());
            lps.add(tr.logProbs());
            last = tr;
        }
        int steps = last.steps();
        float perValue = 1f / (last.finalLatent().numel() / last.finalLatent().size(0));
        List<Tensor> latents = new ArrayList<>(), logProbs = new ArrayList<>();
        for (int k = 0; k <= steps; k++) latents.add(concat(lat, k));
        for (int k = 0; k < steps; k++) logProbs.add(concat(lps, k).mul(perValue));
        Tensor images = latents.get(steps).clamp(-1f, 1f);
        float[] rewards = reward.score(images, ps);
        float[] base = logReward == null ? null : logReward.score(images, ps);
        return new Rollout(latents, last.timesteps(), last.prevTimesteps(), last.stds(), logProbs, prompts.batch(ps), ps, rewards, base);
    }

    private static Tensor concat(List<List<Tensor>> parts, int k) {
        List<Tensor> ts = new ArrayList<>();
        for (List<Tensor> p : parts) ts.add(p.get(k));
        return ts.size() == 1 ? ts.getFirst() : Tensor.cat(ts, 0);
    }

    /** DDPO: returns {mean loss, NaN, clip fraction}. */
    private double[] trainDdpo(Rollout r, Rng rng) {
        float[] adv = PolicyLoss.clip(tracker.update(r.prompts(), r.rewards()), cfg.advClip());
        int n = r.size(), tb = Math.min(cfg.effectiveTrainBatch(), n), steps = r.timesteps().length;
        double lossSum = 0, clipSum = 0;
        int lossN = 0;
        for (int inner = 0; inner < cfg.innerEpochs(); inner++) {
            int[] perm = permutation(n, rng);
            for (int from = 0; from < n; from += tb) {
                int[] idx = Arrays.copyOfRange(perm, from, Math.min(n, from + tb));
                float[] a = new float[idx.length];
                for (int i = 0; i < idx.length; i++) a[i] = adv[idx[i]];
                Tensor text = r.text().indexSelect(0, idx).contiguous();
                for (int k = 0; k < steps; k++) {
                    Tensor xt = r.latents().get(k).indexSelect(0, idx).contiguous(), xp = r.latents().get(k + 1).indexSelect(0, idx).contiguous();
                    int[] t = filled(idx.length, r.timesteps()[k]), tp = filled(idx.length, r.prevTimesteps()[k]);
                    Tensor lp = logProbPerValue(xt, xp, t, tp, text);
                    Tensor old = r.logProbs().get(k).indexSelect(0, idx);
                    Tensor loss = cfg.method() == RlMethod.DDPO_SF ? PolicyLoss.scoreFunction(lp, a)
                            : PolicyLoss.clippedImportance(lp, old, a, cfg.clipRange());
                    if (cfg.method() == RlMethod.DDPO_IS) clipSum += PolicyLoss.clipFraction(lp, old, cfg.clipRange());
                    loss.mul(1f / steps).backward();
                    lossSum += loss.item();
                    lossN++;
                }
                update();
            }
        }
        return new double[]{lossSum / lossN, Double.NaN, cfg.method() == RlMethod.DDPO_IS ? clipSum / lossN : Double.NaN};
    }

    /** DPOK: returns {mean policy loss, mean per-step KL, clip fraction}. */
    private double[] trainDpok(Rollout r, Rng rng) {
        int n = r.size(), steps = r.timesteps().length;
        float[] textRows = r.text().contiguous().toFloatArray();
        int[] imageShape = Arrays.copyOfRange(r.latents().getFirst().shape(), 1, 4);
        int[] textShape = {r.text().size(1), r.text().size(2)};
        int img = imageShape[0] * imageShape[1] * imageShape[2], txt = textShape[0] * textShape[1];
        if (replayImageShape != null && (!Arrays.equals(replayImageShape, imageShape) || !Arrays.equals(replayTextShape, textShape))) {
            throw new DiffusionException("dpok: the replay buffer holds images " + Arrays.toString(replayImageShape) + " and text "
                    + Arrays.toString(replayTextShape) + " but this epoch sampled " + Arrays.toString(imageShape) + " and " + Arrays.toString(textShape));
        }
        replayImageShape = imageShape;
        replayTextShape = textShape;
        for (int k = 0; k < steps; k++) {
            float[] xt = r.latents().get(k).contiguous().toFloatArray(), xp = r.latents().get(k + 1).contiguous().toFloatArray();
            float[] old = r.logProbs().get(k).toFloatArray();
            for (int i = 0; i < n; i++) {
                replay.add(new ReplayBuffer.Transition(Arrays.copyOfRange(xt, i * img, (i + 1) * img), Arrays.copyOfRange(xp, i * img, (i + 1) * img),
                        r.timesteps()[k], r.prevTimesteps()[k], Arrays.copyOfRange(textRows, i * txt, (i + 1) * txt), r.prompts().get(i), old[i],
                        r.rewards()[i]));
            }
        }
        int tb = cfg.effectiveTrainBatch();
        int updates = Math.max(1, n / tb) * cfg.innerEpochs();
        float perValue = 1f / img;
        double lossSum = 0, klSum = 0, clipSum = 0;
        int count = 0;
        for (int u = 0; u < updates; u++) {
            for (int acc = 0; acc < steps; acc++) {
                ReplayBuffer.Batch b = replay.sample(tb, rng, imageShape, textShape);
                // the baseline's prediction first, then one regression step of V on these final rewards: V
                // sees x_t and could fit the very trajectories it judges, so it judges them before it fits them
                Tensor v = value.forward(b.xt(), b.text(), b.t());
                float[] vNow = v.toFloatArray();
                v.sub(Tensor.of(b.rewards(), tb)).square().mean().backward();
                GradClip.clipGlobalNorm(value.parameters(), cfg.gradClip());
                valueOpt.step();
                valueOpt.zeroGrad();
                float[] adv = new float[tb];
                double scale = 1 / (replay.rewardStd() + 1e-6);
                for (int i = 0; i < tb; i++) adv[i] = (float) ((b.rewards()[i] - vNow[i]) * scale);
                adv = PolicyLoss.clip(adv, cfg.advClip());
                float[] std = StepMath.stds(schedule, b.t(), b.tPrev(), cfg.eta());
                Tensor mu = StepMath.policyMean(policy, schedule, b.xt(), b.t(), b.tPrev(), b.text(), cfg.eta(), cfg.guidance(), true);
                Tensor muRef;
                try (var g = NoGrad.enter()) {
                    muRef = StepMath.policyMean(reference, schedule, b.xt(), b.t(), b.tPrev(), b.text(), cfg.eta(), cfg.guidance(), true);
                }
                Tensor lp = StepMath.logProb(b.xPrev(), mu, std).mul(perValue);
                Tensor kl = KlRegularizer.stepKl(mu, muRef, std).mul(perValue).mean();
                Tensor policyLoss = PolicyLoss.clampedRatio(lp, b.oldLogProb(), adv, cfg.clipRange());
                Tensor loss = policyLoss.mul(cfg.alpha()).add(kl.mul(cfg.beta()));
                loss.mul(1f / steps).backward();
                lossSum += policyLoss.item();
                klSum += kl.item() / perValue;
                clipSum += PolicyLoss.clipFraction(lp, b.oldLogProb(), cfg.clipRange());
                count++;
            }
            update();
        }
        return new double[]{lossSum / count, klSum / count, clipSum / count};
    }

    /** log p_θ(xPrev | xt) / (C·H·W) [B] with gradients through the policy UNet. */
    private Tensor logProbPerValue(Tensor xt, Tensor xPrev, int[] t, int[] tPrev, Tensor text) {
        Tensor mu = StepMath.policyMean(policy, schedule, xt, t, tPrev, text, cfg.eta(), cfg.guidance(), true);
        return StepMath.logProb(xPrev, mu, StepMath.stds(schedule, t, tPrev, cfg.eta())).mul(1f / (xt.numel() / xt.size(0)));
    }

    private void update() {
        GradClip.clipGlobalNorm(params, cfg.gradClip());
        opt.step();
        opt.zeroGrad();
    }

    static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    static int[] permutation(int n, Rng rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    static List<Float> boxed(float[] a) {
        List<Float> out = new ArrayList<>(a.length);
        for (float x : a) out.add(x);
        return out;
    }

    @Override
    public UNet policy() { return policy; }

    @Override
    public Map<String, Tensor> tensorState() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        opt.stateDict().forEach((k, v) -> out.put("optimizer." + k, v));
        if (value != null) {
            value.stateDict().forEach((k, v) -> out.put("value." + k, v));
            valueOpt.stateDict().forEach((k, v) -> out.put("value_optimizer." + k, v));
            if (replayImageShape != null) replay.tensorState(replayImageShape, replayTextShape).forEach((k, v) -> out.put("replay." + k, v));
        }
        return out;
    }

    @Override
    public ObjectNode jsonState() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.set("stat_tracker", new ObjectMapper().valueToTree(tracker.state()));
        if (replay != null && replayImageShape != null) {
            n.set("replay_prompts", new ObjectMapper().valueToTree(replay.prompts()));
            n.put("replay_next", replay.nextSlot());
        }
        return n;
    }

    @Override
    public void restore(Map<String, Tensor> tensors, JsonNode json) {
        opt.loadStateDict(withPrefix(tensors, "optimizer."));
        if (value != null) {
            try {
                value.loadStateDict(withPrefix(tensors, "value."), true);
                valueOpt.loadStateDict(withPrefix(tensors, "value_optimizer."));
            } catch (RuntimeException e) {
                // checkpoints before session 17 hold a baseline V(prompt, t) that did not see the image
                throw new DiffusionException("resume: the checkpoint's DPOK value function does not fit V(x_t, prompt, t) of "
                        + VALUE_HIDDEN + " hidden units over " + schedule.length() + " timesteps (" + e.getMessage()
                        + "); it was saved by an older genai4j or for another image size; start a fresh run instead of --resume");
            }
            List<String> replayPrompts = new ArrayList<>();
            json.path("replay_prompts").forEach(p -> replayPrompts.add(p.asText()));
            Map<String, Tensor> saved = withPrefix(tensors, "replay.");
            try {
                replay.restore(saved, replayPrompts, json.path("replay_next").asInt(0));
            } catch (IllegalArgumentException e) {
                throw new DiffusionException("resume: the checkpoint's DPOK replay buffer does not fit: " + e.getMessage());
            }
            if (!saved.isEmpty()) {
                int[] img = saved.get("xt").shape(), txt = saved.get("text").shape();
                replayImageShape = java.util.Arrays.copyOfRange(img, 1, img.length);
                replayTextShape = java.util.Arrays.copyOfRange(txt, 1, txt.length);
            }
        }
        Map<String, List<Float>> buffers = new LinkedHashMap<>();
        json.path("stat_tracker").fields().forEachRemaining(e -> {
            List<Float> v = new ArrayList<>();
            e.getValue().forEach(x -> v.add((float) x.asDouble()));
            buffers.put(e.getKey(), v);
        });
        tracker.restore(buffers);
    }

    static Map<String, Tensor> withPrefix(Map<String, Tensor> all, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }
}
