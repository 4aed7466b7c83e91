package dev.genai4j.models.diffusion;

import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Text-to-image sampling with a UNet and a noise schedule: DDPM or DDIM (any η, any number of steps
 * up to the schedule length), classifier-free guidance (optionally with guidance rescale and
 * dynamic thresholding against over-saturation, see {@link SamplerOptions}), and trajectory recording with per-step
 * Gaussian means, σ and log-probabilities for policy-gradient fine-tuning (DDPO arXiv 2305.13301,
 * DPOK arXiv 2305.16381), whose {@link #logProb} recomputes one step's log-density with gradients
 * through the UNet.
 *
 * <pre>{@code
 * DiffusionSampler s = new DiffusionSampler(unet, schedule);
 * Tensor images = s.sample(text, SamplerOptions.ddim(50, 0f, 3f), new Rng(1));   // [B, C, S, S] in [-1, 1]
 * Trajectory tr = s.sampleTrajectory(text, SamplerOptions.ddim(20, 1f, 3f), new Rng(1));
 * Tensor lp = s.logProb(tr, 5);                  // [B], differentiable in the UNet's parameters
 * }</pre>
 */
public final class DiffusionSampler {
    private final UNet unet;
    private final NoiseSchedule schedule;

    public DiffusionSampler(UNet unet, NoiseSchedule schedule) {
        this.unet = unet;
        this.schedule = schedule;
    }

    public UNet unet() { return unet; }

    public NoiseSchedule schedule() { return schedule; }

    /** Final images, clamped to [−1, 1]: [B, C, S, S] for text [B, L, D]. */
    public Tensor sample(Tensor text, SamplerOptions o, Rng rng) {
        return sample(text, o, rng, done -> {});
    }

    /** As {@link #sample(Tensor, SamplerOptions, Rng)}; {@code stepsDone} hears the count after each of the {@code o.steps()} denoising steps (a progress bar). */
    public Tensor sample(Tensor text, SamplerOptions o, Rng rng, IntConsumer stepsDone) {
        return run(text, o, rng, false, stepsDone).finalLatent().clamp(-1f, 1f);
    }

    /** The whole run with latents, means, σ and log-probabilities (computed without gradients). */
    public Trajectory sampleTrajectory(Tensor text, SamplerOptions o, Rng rng) {
        return run(text, o, rng, true, done -> {});
    }

    private Trajectory run(Tensor text, SamplerOptions o, Rng rng, boolean record, IntConsumer stepsDone) {
        int[] ts = schedule.timesteps(o.steps());
        int b = text.size(0);
        UNetConfig c = unet.config();
        Tensor x = Tensor.randn(rng, b, c.inChannels(), c.sampleSize(), c.sampleSize());   // x_T ~ N(0, I)
        List<Tensor> latents = new ArrayList<>(List.of(x));
        List<Tensor> means = new ArrayList<>(), logProbs = new ArrayList<>();
        int[] prevs = new int[ts.length];
        float[] stds = new float[ts.length];
        try (var g = NoGrad.enter()) {
            for (int k = 0; k < ts.length; k++) {
                prevs[k] = k + 1 < ts.length ? ts[k + 1] : -1;
                StepResult r = step(x, ts[k], prevs[k], text, o, rng);
                x = r.prev();
                stds[k] = r.std();
                if (record) {
                    latents.add(x);
                    means.add(r.mean());
                    logProbs.add(r.logProb());
                } else {
                    latents.set(0, x);
                }
                stepsDone.accept(k + 1);
            }
        }
        return new Trajectory(latents, ts, prevs, means, stds, logProbs, text, o);
    }

    /** One reverse step from x_t (timestep t) to t_prev (−1 = the end), guided by {@code text}. */
    public StepResult step(Tensor xt, int t, int tPrev, Tensor text, SamplerOptions o, Rng rng) {
        Tensor eps = ClassifierFreeGuidance.epsilon(unet, xt, filled(xt.size(0), t), text, o.guidance(), o.guidanceRescale());
        return o.kind() == SamplerOptions.Kind.DDIM
                ? DenoisingStep.ddim(schedule, eps, xt, t, tPrev, o.eta(), o.clipSample(), o.dynamicThreshold(), rng)
                : DenoisingStep.ddpm(schedule, eps, xt, t, tPrev, o.clipSample(), o.dynamicThreshold(), rng);
    }

    /**
     * The step's Gaussian mean recomputed through the UNet with gradients (when the caller records).
     * Guidance rescale and dynamic thresholding, when {@code o} has them, are applied as in {@link #step}
     * and stay differentiable (the threshold s is a constant of the step), so a trajectory's
     * log-probabilities recompute exactly.
     */
    public Tensor mean(Tensor xt, int t, int tPrev, Tensor text, SamplerOptions o) {
        Tensor eps = ClassifierFreeGuidance.epsilon(unet, xt, filled(xt.size(0), t), text, o.guidance(), o.guidanceRescale());
        return o.kind() == SamplerOptions.Kind.DDIM
                ? DenoisingStep.ddimMean(schedule, eps, xt, t, tPrev, o.eta(), o.clipSample(), o.dynamicThreshold())
                : DenoisingStep.ddpmMean(schedule, eps, xt, t, tPrev, o.clipSample(), o.dynamicThreshold());
    }

    /** log p_θ(x_prev | x_t, text) [B] with gradients through the UNet: DDPO's {@code ddim_step_with_logprob} given the stored next latent. */
    public Tensor logProb(Tensor xt, Tensor xPrev, int t, int tPrev, Tensor text, SamplerOptions o) {
        float std = o.kind() == SamplerOptions.Kind.DDIM ? DenoisingStep.ddimStd(schedule, t, tPrev, o.eta()) : DenoisingStep.ddpmStd(schedule, t, tPrev);
        return DenoisingStep.logProb(xPrev, mean(xt, t, tPrev, text, o), std);
    }

    /** {@link #logProb(Tensor, Tensor, int, int, Tensor, SamplerOptions)} for step k of a recorded trajectory. */
    public Tensor logProb(Trajectory tr, int k) {
        return logProb(tr.latents().get(k), tr.latents().get(k + 1), tr.timesteps()[k], tr.prevTimesteps()[k], tr.text(), tr.options());
    }

    static float[] filled(int n, int t) {
        float[] a = new float[n];
        Arrays.fill(a, t);
        return a;
    }
}
