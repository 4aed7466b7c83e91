package dev.genai4j.models.diffusion.rl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.diffusion.ClassImages;
import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.models.diffusion.DiffusionSampler;
import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.PromptCache;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.models.diffusion.reward.Reward;
import dev.genai4j.nn.Parameter;
import dev.genai4j.optim.AdamW;
import dev.genai4j.optim.GradClip;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DPOK's supervised baseline (arXiv 2305.16381 §5, "SFT"): {@code sftSamples} images are drawn
 * <b>once</b> from the base model (the same sampler as the online methods) and scored; training
 * then minimizes the reward-weighted denoising loss Σ_i w_i·‖ε − ε̂_θ(x_t^i, t, c_i)‖² on that
 * fixed set plus β × the pretraining loss on real training images (against forgetting). The
 * weights are w_i = N·softmax(r_i/τ) (mean 1; reward-weighted regression), τ the rewards'
 * standard deviation unless set. It never samples from the policy to learn — the offline
 * counterpart the paper compares online RL with; each epoch samples a fresh batch only to log
 * the reward curve.
 *
 * <pre>{@code
 * var sft = new RewardWeightedSft(policy, schedule, cache, reward, null, cfg, ClassImages.fashionMnistTrain());
 * sft.prepare(prompts);                       // draws and scores the fixed set
 * EpochStats s = sft.epoch(prompts, 1);
 * }</pre>
 */
public final class RewardWeightedSft implements RlAlgorithm {
    private final UNet policy;
    private final NoiseSchedule schedule;
    private final PromptCache prompts;
    private final Reward reward, logReward;
    private final RlConfig cfg;
    private final ClassImages pretrain;   // may be null: no pretraining term
    private final List<Parameter> params;
    private final AdamW opt;
    private Tensor images;                // [N, C, S, S], the fixed set
    private float[] rewards, weights;
    private List<String> setPrompts;

    public RewardWeightedSft(UNet policy, NoiseSchedule schedule, PromptCache prompts, Reward reward, Reward logReward, RlConfig cfg,
                             ClassImages pretrain) {
        if (cfg.method() != RlMethod.SFT) throw new DiffusionException("RewardWeightedSft runs --method sft, got " + cfg.method().cliName());
        if (cfg.beta() > 0 && pretrain == null) throw new DiffusionException("sft: beta = " + cfg.beta() + " needs pretraining images");
        this.policy = policy;
        this.schedule = schedule;
        this.prompts = prompts;
        this.reward = reward;
        this.logReward = logReward;
        this.cfg = cfg;
        this.pretrain = pretrain;
        this.params = PolicyParameters.trainable(policy);   // the LoRA adapters when the policy has them, else every weight
        this.opt = new AdamW(params, cfg.lr(), 0.9, 0.999, 1e-8, 1e-4, false);
    }

    /** Draws and scores the fixed set from the current (base) UNet; call once, before any epoch, unless restored. */
    public void prepare(List<String> pool) {
        Rng rng = new Rng(cfg.seed() * 31 + 7);
        int n = cfg.sftSamples();
        List<String> ps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) ps.add(pool.get(rng.nextInt(pool.size())));
        DiffusionSampler sampler = new DiffusionSampler(policy, schedule);
        List<Tensor> parts = new ArrayList<>();
        for (int from = 0; from < n; from += cfg.sampleBatch()) {
            parts.add(sampler.sample(prompts.batch(ps.subList(from, Math.min(n, from + cfg.sampleBatch()))), cfg.sampler(), rng));
        }
        Tensor x = parts.size() == 1 ? parts.getFirst() : Tensor.cat(parts, 0);
        setData(x.contiguous(), ps, reward.score(x, ps));
    }

    private void setData(Tensor x, List<String> ps, float[] r) {
        images = x;
        setPrompts = List.copyOf(ps);
        rewards = r;
        weights = weights(r, cfg.sftTemperature());
    }

    /** N·softmax(r/τ), τ = the rewards' std when {@code temperature} is 0 (1 if they are all equal). */
    public static float[] weights(float[] r, float temperature) {
        double tau = temperature;
        if (tau == 0) {
            tau = PerPromptStatTracker.moments(RlTrainer.boxed(r))[1];
            if (tau < 1e-8) tau = 1;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float v : r) max = Math.max(max, v / tau);
        double[] e = new double[r.length];
        double sum = 0;
        for (int i = 0; i < r.length; i++) sum += e[i] = Math.exp(r[i] / tau - max);
        float[] w = new float[r.length];
        for (int i = 0; i < r.length; i++) w[i] = (float) (r.length * e[i] / sum);
        return w;
    }

    @Override
    public EpochStats epoch(List<String> pool, int epoch) {
        if (images == null) throw new IllegalStateException("sft: call prepare() (or restore a checkpoint) before training");
        long start = System.nanoTime();
        Rng rng = new Rng(cfg.seed() * 1_000_003L + epoch);
        int tb = Math.min(cfg.effectiveTrainBatch(), images.size(0));
        double lossSum = 0;
        for (int s = 0; s < cfg.sftStepsPerEpoch(); s++) {
            int[] idx = new int[tb];
            float[] w = new float[tb];
            List<String> ps = new ArrayList<>(tb);
            for (int i = 0; i < tb; i++) {
                idx[i] = rng.nextInt(images.size(0));
                w[i] = weights[idx[i]];
                ps.add(setPrompts.get(idx[i]));
            }
            Tensor perImage = denoisingLoss(images.indexSelect(0, idx).contiguous(), ps, rng);     // [tb]
            Tensor loss = perImage.mul(Tensor.of(w, tb)).mean();
            if (cfg.beta() > 0) {
                int[] real = new int[tb];
                List<String> rp = new ArrayList<>(tb);
                for (int i = 0; i < tb; i++) {
                    real[i] = rng.nextInt(pretrain.size());
                    // the base model's own recipe: class prompts, 10 % trained unconditionally
                    rp.add(rng.uniform() < 0.1f ? null : pretrain.prompts().random(pretrain.label(real[i]), rng));
                }
                loss = loss.add(denoisingLoss(pretrain.images(real), rp, rng).mean().mul(cfg.beta()));
            }
            loss.backward();
            GradClip.clipGlobalNorm(params, cfg.gradClip());
            opt.step();
            opt.zeroGrad();
            lossSum += loss.item();
        }
        // the reward curve: a fresh batch from the current policy
        List<String> ps = new ArrayList<>();
        for (int i = 0; i < cfg.samplesPerEpoch(); i++) ps.add(pool.get(rng.nextInt(pool.size())));
        DiffusionSampler sampler = new DiffusionSampler(policy, schedule);
        List<Tensor> parts = new ArrayList<>();
        for (int from = 0; from < ps.size(); from += cfg.sampleBatch()) {
            parts.add(sampler.sample(prompts.batch(ps.subList(from, Math.min(ps.size(), from + cfg.sampleBatch()))), cfg.sampler(), rng));
        }
        Tensor x = parts.size() == 1 ? parts.getFirst() : Tensor.cat(parts, 0);
        float[] r = reward.score(x, ps);
        double[] m = PerPromptStatTracker.moments(RlTrainer.boxed(r));
        double base = logReward == null ? Double.NaN : PerPromptStatTracker.moments(RlTrainer.boxed(logReward.score(x, ps)))[0];
        return new EpochStats(epoch, m[0], m[1], base, lossSum / cfg.sftStepsPerEpoch(), Double.NaN, Double.NaN, (System.nanoTime() - start) / 1e9);
    }

    /** ‖ε − ε̂(x_t, t, c)‖² averaged per image [B], t uniform; a null prompt is the null condition. */
    private Tensor denoisingLoss(Tensor x0, List<String> ps, Rng rng) {
        int b = x0.size(0);
        int[] t = new int[b];
        float[] tf = new float[b];
        for (int i = 0; i < b; i++) tf[i] = t[i] = rng.nextInt(schedule.length());
        Tensor eps = Tensor.randn(rng, x0.shape());
        Tensor err = policy.forward(schedule.addNoise(x0, eps, t), tf, prompts.batch(ps)).sub(eps).square();
        return err.reshape(b, err.numel() / b).mean(1, false);
    }

    /** The fixed set's rewards (as scored once). */
    public float[] setRewards() { return rewards.clone(); }

    @Override
    public UNet policy() { return policy; }

    @Override
    public Map<String, Tensor> tensorState() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        opt.stateDict().forEach((k, v) -> out.put("optimizer." + k, v));
        out.put("sft.images", images);
        out.put("sft.rewards", Tensor.of(rewards.clone(), rewards.length));
        return out;
    }

    @Override
    public ObjectNode jsonState() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.set("sft_prompts", new ObjectMapper().valueToTree(setPrompts));
        return n;
    }

    @Override
    public void restore(Map<String, Tensor> tensors, JsonNode json) {
        opt.loadStateDict(RlTrainer.withPrefix(tensors, "optimizer."));
        Tensor x = tensors.get("sft.images"), r = tensors.get("sft.rewards");
        if (x == null || r == null) throw new DiffusionException("resume sft: the checkpoint lacks its fixed sample set (sft.images, sft.rewards)");
        List<String> ps = new ArrayList<>();
        json.path("sft_prompts").forEach(p -> ps.add(p.asText()));
        if (ps.size() != x.size(0)) throw new DiffusionException("resume sft: " + ps.size() + " prompts for " + x.size(0) + " fixed samples");
        setData(x, ps, r.toFloatArray());
        if (!Arrays.equals(x.shape(), new int[]{x.size(0), policy.config().inChannels(), policy.config().sampleSize(), policy.config().sampleSize()})) {
            throw new DiffusionException("resume sft: fixed samples of shape " + Arrays.toString(x.shape()) + " do not fit the UNet " + policy.config());
        }
    }
}
