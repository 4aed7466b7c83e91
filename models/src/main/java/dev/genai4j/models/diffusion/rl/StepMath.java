package dev.genai4j.models.diffusion.rl;

import dev.genai4j.models.diffusion.ClassifierFreeGuidance;
import dev.genai4j.models.diffusion.DenoisingStep;
import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.tensor.Tensor;

/**
 * DDIM's reverse-step Gaussian (the formulas of {@link DenoisingStep}) for a batch whose images
 * sit at different timesteps — what a replay buffer's random minibatch of transitions needs —
 * with the per-image coefficients as [B, 1, 1, 1] tensors, and the Gaussian log-density per image.
 *
 * <pre>{@code
 * Tensor mu = StepMath.policyMean(unet, schedule, xt, t, tPrev, text, 1f, 3f, true);   // [B, C, H, W]
 * Tensor lp = StepMath.logProb(xPrev, mu, StepMath.stds(schedule, t, tPrev, 1f));      // [B]
 * }</pre>
 */
public final class StepMath {
    private StepMath() {}

    /** DDIM's σ per image. */
    public static float[] stds(NoiseSchedule s, int[] t, int[] tPrev, float eta) {
        float[] out = new float[t.length];
        for (int i = 0; i < t.length; i++) out[i] = DenoisingStep.ddimStd(s, t[i], tPrev[i], eta);
        return out;
    }

    /** ᾱ of the step's target: ᾱ_{tPrev}, or ᾱ_0 after the last step (DDIM with set_alpha_to_one = False). */
    static double alphaPrev(NoiseSchedule s, int tPrev) { return s.alphaCumprod(Math.max(tPrev, 0)); }

    /** DDIM's mean √ᾱ_prev·x̂_0 + √(1 − ᾱ_prev − σ²)·ε with one (t, t_prev) per image; differentiable in ε. */
    public static Tensor ddimMean(NoiseSchedule s, Tensor eps, Tensor xt, int[] t, int[] tPrev, float eta, boolean clip) {
        int b = xt.size(0);
        if (t.length != b || tPrev.length != b) throw new DiffusionException("ddimMean: " + t.length + " timesteps for a batch of " + b);
        float[] invSqrtA = new float[b], sqrtOneMinusA = new float[b], sqrtAp = new float[b], dir = new float[b];
        for (int i = 0; i < b; i++) {
            double at = s.alphaCumprod(t[i]), ap = alphaPrev(s, tPrev[i]);
            float std = DenoisingStep.ddimStd(s, t[i], tPrev[i], eta);
            invSqrtA[i] = (float) (1 / Math.sqrt(at));
            sqrtOneMinusA[i] = (float) Math.sqrt(1 - at);
            sqrtAp[i] = (float) Math.sqrt(ap);
            dir[i] = (float) Math.sqrt(Math.max(1 - ap - (double) std * std, 0));
        }
        Tensor x0 = xt.sub(eps.mul(column(sqrtOneMinusA, xt.dim()))).mul(column(invSqrtA, xt.dim()));
        if (clip) x0 = x0.clamp(-1f, 1f);
        return x0.mul(column(sqrtAp, xt.dim())).add(eps.mul(column(dir, xt.dim())));
    }

    /** The guided ε of {@code unet} and DDIM's mean from it, with gradients when the caller records. */
    public static Tensor policyMean(UNet unet, NoiseSchedule s, Tensor xt, int[] t, int[] tPrev, Tensor text, float eta, float guidance, boolean clip) {
        float[] tf = new float[t.length];
        for (int i = 0; i < t.length; i++) tf[i] = t[i];
        Tensor eps = ClassifierFreeGuidance.epsilon(unet, xt, tf, text, guidance);
        return ddimMean(s, eps, xt, t, tPrev, eta, clip);
    }

    /**
     * log N(prev; mean, σ_b²·I) per image [B], summed over the C·H·W values; differentiable in
     * {@code mean}, {@code prev} is data. Equals {@link DenoisingStep#logProb} when every σ_b is the same.
     */
    public static Tensor logProb(Tensor prev, Tensor mean, float[] std) {
        int b = mean.size(0), d = mean.numel() / b;
        float[] scale = new float[b], constant = new float[b];
        for (int i = 0; i < b; i++) {
            if (!(std[i] > 0)) throw new DiffusionException("logProb: image " + i + "'s step has σ = " + std[i] + "; RL needs η > 0 so every step has a density");
            scale[i] = (float) (-1.0 / (2.0 * std[i] * std[i]));
            constant[i] = (float) (d * (Math.log(std[i]) + 0.5 * Math.log(2 * Math.PI)));
        }
        Tensor sq = prev.detach().sub(mean).square().reshape(b, d).sum(1, false);   // [B]
        return sq.mul(Tensor.of(scale, b)).sub(Tensor.of(constant, b));
    }

    /** The values per image as a [B, 1, …, 1] tensor of rank {@code rank}, to broadcast over an image batch. */
    static Tensor column(float[] v, int rank) {
        int[] shape = new int[rank];
        java.util.Arrays.fill(shape, 1);
        shape[0] = v.length;
        return Tensor.of(v, shape);
    }
}
