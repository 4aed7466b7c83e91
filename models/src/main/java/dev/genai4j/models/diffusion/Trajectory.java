package dev.genai4j.models.diffusion;

import dev.genai4j.tensor.Tensor;

import java.util.List;

/**
 * A recorded sampling run, what DDPO / DPOK train on: latents x_T … x_final (steps + 1 of them,
 * each [B, C, H, W]); for step k the timestep it started at and the one it went to; the Gaussian
 * mean, σ and log-probability [B] of latents.get(k + 1) given latents.get(k) (log-prob null where σ = 0).
 * The sampling options are kept so that {@link DiffusionSampler#logProb} recomputes the same step.
 */
public record Trajectory(List<Tensor> latents, int[] timesteps, int[] prevTimesteps, List<Tensor> means, float[] stds,
                         List<Tensor> logProbs, Tensor text, SamplerOptions options) {
    public int steps() { return timesteps.length; }

    /** The final latent (the image in [−1, 1], not clamped). */
    public Tensor finalLatent() { return latents.getLast(); }

    /** Σ_k log p(x_{k+1} | x_k) per image, [B]; fails when a step was deterministic. */
    public Tensor totalLogProb() {
        Tensor sum = null;
        for (int k = 0; k < steps(); k++) {
            Tensor lp = logProbs.get(k);
            if (lp == null) throw new DiffusionException("trajectory: step " + k + " (t=" + timesteps[k] + ") has σ = 0 and no log-probability; sample with η > 0");
            sum = sum == null ? lp : sum.add(lp);
        }
        return sum;
    }
}
