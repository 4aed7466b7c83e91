package dev.genai4j.models.diffusion.rl;

import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.models.diffusion.SamplerOptions;

/**
 * Hyperparameters of an RL fine-tuning run (names as in ddpo-pytorch's {@code config/base.py}
 * and DPOK's {@code train_online_pg.py} where they exist).
 *
 * @param method          sft, ddpo-sf, ddpo-is or dpok
 * @param samplesPerEpoch images sampled (and scored) per epoch; for sft, the images scored for the reward curve
 * @param sampleBatch     images per sampling forward pass
 * @param trainBatch      images (DDPO) or transitions (DPOK, SFT) per minibatch; 0 = the method's default
 * @param innerEpochs     passes over an epoch's samples (DDPO's {@code train.num_inner_epochs})
 * @param steps           DDIM sampling steps (each one a policy action)
 * @param eta             DDIM η &gt; 0 (1 = DDPM-like variance: every step has a log-probability)
 * @param guidance        classifier-free guidance weight ≥ 0, used in sampling and in the recomputed log-probs
 * @param lr              AdamW learning rate of the UNet
 * @param gradClip        global gradient-norm clip
 * @param clipRange       importance-ratio clip ε (DDPO's {@code train.clip_range} 1e-4; DPOK's {@code ratio_clip})
 * @param advClip         advantages clipped at ±advClip (DDPO's {@code train.adv_clip_max} 5)
 * @param bufferSize      per-prompt reward buffer of the stat tracker (16)
 * @param minCount        rewards a prompt needs before its own statistics are used (16)
 * @param alpha           DPOK's reward weight α
 * @param beta            DPOK's KL weight β; for sft, the weight of the pretraining loss
 * @param replayCapacity  DPOK replay-buffer transitions; 0 = four epochs' worth
 * @param valueLr         learning rate of DPOK's value function
 * @param sftSamples      sft: images drawn once from the base model
 * @param sftStepsPerEpoch sft: optimizer steps per epoch
 * @param sftTemperature  sft: weights ∝ exp(r/τ); 0 = τ is the rewards' standard deviation
 * @param seed            sampling, minibatches and initialization of the value function
 */
public record RlConfig(RlMethod method, int samplesPerEpoch, int sampleBatch, int trainBatch, int innerEpochs, int steps, float eta,
                       float guidance, double lr, double gradClip, float clipRange, float advClip, int bufferSize, int minCount,
                       float alpha, float beta, int replayCapacity, double valueLr, int sftSamples, int sftStepsPerEpoch,
                       float sftTemperature, long seed) {
    public RlConfig {
        if (method == null) throw new DiffusionException("rl: no method; valid methods: " + String.join(", ", RlMethod.names()));
        if (steps < 1) throw new DiffusionException("rl: --steps must be ≥ 1, got " + steps);
        if (!(eta > 0) || Float.isInfinite(eta)) throw new DiffusionException("rl: --eta must be a finite number > 0 (each step needs a density), got " + eta);
        new SamplerOptions(SamplerOptions.Kind.DDIM, steps, eta, guidance, true);   // guidance ≥ 0 and finite, with the sampler's message
        if (samplesPerEpoch < 2 || sampleBatch < 1 || trainBatch < 0 || innerEpochs < 1) {
            throw new DiffusionException("rl: need samples ≥ 2, sample batch ≥ 1, train batch ≥ 0 and inner epochs ≥ 1, got " + samplesPerEpoch
                    + ", " + sampleBatch + ", " + trainBatch + ", " + innerEpochs);
        }
        if (!(lr > 0) || !(gradClip > 0) || !(valueLr > 0)) throw new DiffusionException("rl: lr, value lr and grad clip must be > 0, got " + lr + ", " + valueLr + ", " + gradClip);
        if (!(clipRange > 0) || !(advClip > 0)) throw new DiffusionException("rl: clip range and advantage clip must be > 0, got " + clipRange + ", " + advClip);
        if (bufferSize < 1 || minCount < 1) throw new DiffusionException("rl: stat-tracker buffer and min count must be ≥ 1, got " + bufferSize + ", " + minCount);
        if (!(alpha >= 0) || !(beta >= 0)) throw new DiffusionException("rl: alpha and beta must be ≥ 0, got " + alpha + ", " + beta);
        if (replayCapacity < 0 || sftSamples < 2 || sftStepsPerEpoch < 1 || !(sftTemperature >= 0)) {
            throw new DiffusionException("rl: need replay capacity ≥ 0, sft samples ≥ 2, sft steps ≥ 1, sft temperature ≥ 0");
        }
    }

    /** Defaults sized for the shipped 32×32 Fashion-MNIST model on one CPU thread. */
    public static RlConfig defaults(RlMethod method) {
        return new RlConfig(method, 16, 16, 0, 1, 10, 1f, 3f, 1e-4, 1.0, 1e-4f, 5f, 16, 16, 1f, 0.1f, 0, 1e-3, 128, 8, 0f, 0);
    }

    /** Images (DDPO) or transitions (DPOK, SFT) per minibatch: {@link #trainBatch} or the method's default. */
    public int effectiveTrainBatch() {
        if (trainBatch > 0) return trainBatch;
        return switch (method) {
            case DDPO_SF -> samplesPerEpoch;                        // one update per epoch: on-policy, as REINFORCE needs
            case DDPO_IS -> Math.max(1, samplesPerEpoch / 2);       // two updates: the second is off-policy, the ratio matters
            case DPOK, SFT -> Math.min(16, samplesPerEpoch);
        };
    }

    /** DPOK's replay capacity in transitions. */
    public int effectiveReplayCapacity() { return replayCapacity > 0 ? replayCapacity : 4 * samplesPerEpoch * steps; }

    /** The sampler every trajectory is drawn with. */
    public SamplerOptions sampler() { return SamplerOptions.ddim(steps, eta, guidance); }

    public RlConfig withSeed(long s) {
        return new RlConfig(method, samplesPerEpoch, sampleBatch, trainBatch, innerEpochs, steps, eta, guidance, lr, gradClip, clipRange, advClip,
                bufferSize, minCount, alpha, beta, replayCapacity, valueLr, sftSamples, sftStepsPerEpoch, sftTemperature, s);
    }
}
