package dev.genai4j.models.diffusion;

import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

/**
 * The reverse-step formulas of DDIM (arXiv 2010.02502, eq. 12 and 16; diffusers
 * {@code DDIMScheduler.step}) and DDPM (arXiv 2006.11239; diffusers {@code DDPMScheduler.step},
 * {@code fixed_small} variance), each as a Gaussian mean + σ, and the Gaussian log-density of a
 * stored next latent — what DDPO (arXiv 2305.13301, {@code ddim_step_with_logprob}) and DPOK
 * (arXiv 2305.16381) differentiate through the UNet.
 *
 * <p>DDIM's last step goes to ᾱ_0 rather than 1 (diffusers {@code set_alpha_to_one=False}, as
 * Stable Diffusion), so every step with η &gt; 0 has σ &gt; 0 and a finite log-probability.
 *
 * <pre>{@code
 * StepResult r = DenoisingStep.ddim(schedule, eps, xt, 980, 960, 1f, true, rng);
 * Tensor lp = DenoisingStep.logProb(r.prev(), r.mean(), r.std());   // [B]
 * }</pre>
 */
public final class DenoisingStep {
    private DenoisingStep() {}

    static double ddimAlphaPrev(NoiseSchedule s, int tPrev) {
        return tPrev >= 0 ? s.alphaCumprod(tPrev) : s.alphaCumprod(0);
    }

    /** DDIM's σ_t(η) = η·√((1−ᾱ_prev)/(1−ᾱ_t) · (1 − ᾱ_t/ᾱ_prev)). */
    public static float ddimStd(NoiseSchedule s, int t, int tPrev, float eta) {
        double at = s.alphaCumprod(t), ap = ddimAlphaPrev(s, tPrev);
        double variance = (1 - ap) / (1 - at) * (1 - at / ap);
        return (float) (eta * Math.sqrt(Math.max(variance, 0)));
    }

    /**
     * x̂_0 = (x_t − √(1−ᾱ_t)·ε)/√ᾱ_t, then {@link DynamicThresholding dynamically thresholded} when
     * {@code threshold} is given, else clamped to [−1, 1] when {@code clip} (diffusers' order: thresholding wins).
     */
    static Tensor predictX0(NoiseSchedule s, Tensor eps, Tensor xt, int t, boolean clip, SamplerOptions.DynamicThreshold threshold) {
        double at = s.alphaCumprod(t);
        Tensor x0 = xt.sub(eps.mul((float) Math.sqrt(1 - at))).mul((float) (1 / Math.sqrt(at)));
        if (threshold != null) return DynamicThresholding.apply(x0, threshold);
        return clip ? x0.clamp(-1f, 1f) : x0;
    }

    /** DDIM's mean √ᾱ_prev·x̂_0 + √(1 − ᾱ_prev − σ²)·ε (differentiable in ε). */
    public static Tensor ddimMean(NoiseSchedule s, Tensor eps, Tensor xt, int t, int tPrev, float eta, boolean clip) {
        return ddimMean(s, eps, xt, t, tPrev, eta, clip, null);
    }

    /** As {@link #ddimMean(NoiseSchedule, Tensor, Tensor, int, int, float, boolean)} with x̂_0 dynamically thresholded when {@code threshold} is not null. */
    public static Tensor ddimMean(NoiseSchedule s, Tensor eps, Tensor xt, int t, int tPrev, float eta, boolean clip, SamplerOptions.DynamicThreshold threshold) {
        double ap = ddimAlphaPrev(s, tPrev);
        float std = ddimStd(s, t, tPrev, eta);
        Tensor x0 = predictX0(s, eps, xt, t, clip, threshold);
        float dir = (float) Math.sqrt(Math.max(1 - ap - (double) std * std, 0));
        return x0.mul((float) Math.sqrt(ap)).add(eps.mul(dir));
    }

    /** One DDIM step: mean + σ·z with z ~ N(0, I) from {@code rng}; the log-probability of the sample when σ &gt; 0. */
    public static StepResult ddim(NoiseSchedule s, Tensor eps, Tensor xt, int t, int tPrev, float eta, boolean clip, Rng rng) {
        return ddim(s, eps, xt, t, tPrev, eta, clip, null, rng);
    }

    /** As {@link #ddim(NoiseSchedule, Tensor, Tensor, int, int, float, boolean, Rng)} with optional dynamic thresholding of x̂_0. */
    public static StepResult ddim(NoiseSchedule s, Tensor eps, Tensor xt, int t, int tPrev, float eta, boolean clip,
                                  SamplerOptions.DynamicThreshold threshold, Rng rng) {
        Tensor mean = ddimMean(s, eps, xt, t, tPrev, eta, clip, threshold);
        float std = ddimStd(s, t, tPrev, eta);
        return sampleFrom(mean, std, rng);
    }

    /** DDPM's σ (fixed_small): √(β̃) with β̃ = (1−ᾱ_prev)/(1−ᾱ_t)·(1 − ᾱ_t/ᾱ_prev), 0 at the last step. */
    public static float ddpmStd(NoiseSchedule s, int t, int tPrev) {
        if (t <= 0 || tPrev < 0) return 0f;
        double at = s.alphaCumprod(t), ap = s.alphaCumprod(tPrev);
        double variance = (1 - ap) / (1 - at) * (1 - at / ap);
        return (float) Math.sqrt(Math.max(variance, 1e-20));
    }

    /** DDPM's posterior mean (√ᾱ_prev·β_t'/(1−ᾱ_t))·x̂_0 + (√α_t'·(1−ᾱ_prev)/(1−ᾱ_t))·x_t with α_t' = ᾱ_t/ᾱ_prev. */
    public static Tensor ddpmMean(NoiseSchedule s, Tensor eps, Tensor xt, int t, int tPrev, boolean clip) {
        return ddpmMean(s, eps, xt, t, tPrev, clip, null);
    }

    /** As {@link #ddpmMean(NoiseSchedule, Tensor, Tensor, int, int, boolean)} with x̂_0 dynamically thresholded when {@code threshold} is not null. */
    public static Tensor ddpmMean(NoiseSchedule s, Tensor eps, Tensor xt, int t, int tPrev, boolean clip, SamplerOptions.DynamicThreshold threshold) {
        double at = s.alphaCumprod(t), ap = s.alphaCumprod(tPrev);
        double curAlpha = at / ap, curBeta = 1 - curAlpha;
        Tensor x0 = predictX0(s, eps, xt, t, clip, threshold);
        return x0.mul((float) (Math.sqrt(ap) * curBeta / (1 - at))).add(xt.mul((float) (Math.sqrt(curAlpha) * (1 - ap) / (1 - at))));
    }

    /** One DDPM step (no noise on the last one). */
    public static StepResult ddpm(NoiseSchedule s, Tensor eps, Tensor xt, int t, int tPrev, boolean clip, Rng rng) {
        return ddpm(s, eps, xt, t, tPrev, clip, null, rng);
    }

    /** As {@link #ddpm(NoiseSchedule, Tensor, Tensor, int, int, boolean, Rng)} with optional dynamic thresholding of x̂_0. */
    public static StepResult ddpm(NoiseSchedule s, Tensor eps, Tensor xt, int t, int tPrev, boolean clip, SamplerOptions.DynamicThreshold threshold, Rng rng) {
        return sampleFrom(ddpmMean(s, eps, xt, t, tPrev, clip, threshold), ddpmStd(s, t, tPrev), rng);
    }

    private static StepResult sampleFrom(Tensor mean, float std, Rng rng) {
        if (std == 0f) return new StepResult(mean.detach(), mean, 0f, null);
        Tensor prev = mean.detach().add(Tensor.randn(rng, mean.shape()).mul(std));
        return new StepResult(prev, mean, std, logProb(prev, mean, std));
    }

    /**
     * log N(prev; mean, std²·I) per image: Σ over C·H·W of −(prev − mean)²/(2σ²) − log σ − ½·log 2π, [B].
     * Differentiable in {@code mean}; {@code prev} is treated as data (DDPO detaches it). DDPO's code
     * averages instead of summing: divide by C·H·W for its scale.
     */
    public static Tensor logProb(Tensor prev, Tensor mean, float std) {
        if (!(std > 0)) throw new DiffusionException("logProb: the step's σ must be > 0 (got " + std + "); a deterministic step (η = 0) has no density");
        int b = mean.size(0);
        int d = mean.numel() / b;
        Tensor sq = prev.detach().sub(mean).square().reshape(b, d).sum(1, false);           // [B]
        double constant = d * (Math.log(std) + 0.5 * Math.log(2 * Math.PI));
        return sq.mul((float) (-1.0 / (2.0 * std * std))).sub((float) constant);
    }
}
