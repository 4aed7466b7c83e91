package dev.genai4j.models.diffusion;

import dev.genai4j.tensor.Tensor;

/**
 * Guidance rescale (Lin et al., "Common Diffusion Noise Schedules and Sample Steps are Flawed",
 * arXiv 2305.08891 §3.4; diffusers {@code rescale_noise_cfg}): a large guidance weight inflates
 * the guided ε's standard deviation beyond anything the model saw in training, which shows as
 * over-exposed, saturated images. Per image, the guided ε is scaled so that its standard deviation
 * matches the conditional ε's, and mixed back with the unscaled one by φ to avoid flat images:
 * ε = φ·ε_cfg·std(ε_cond)/std(ε_cfg) + (1 − φ)·ε_cfg, std over all non-batch values (unbiased, as
 * torch's default). Built from tensor ops, so it is differentiable (RL's recomputed means stay exact).
 *
 * <pre>{@code
 * Tensor eps = GuidanceRescale.apply(guided, cond, 0.7f);   // [B, C, H, W]
 * }</pre>
 */
public final class GuidanceRescale {
    private GuidanceRescale() {}

    /** The rescaled ε for guided and conditional ε of the same shape [B, …]; φ = 0 returns {@code guided} itself. */
    public static Tensor apply(Tensor guided, Tensor cond, float phi) {
        if (!(phi >= 0f && phi <= 1f)) throw new DiffusionException("guidance rescale: φ must lie in [0, 1], got " + phi);
        if (!java.util.Arrays.equals(guided.shape(), cond.shape())) {
            throw new DiffusionException("guidance rescale: guided ε " + java.util.Arrays.toString(guided.shape())
                    + " and conditional ε " + java.util.Arrays.toString(cond.shape()) + " must have one shape");
        }
        if (phi == 0f) return guided;
        int[] axes = new int[guided.dim() - 1];
        for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
        Tensor ratio = cond.std(axes, true, true).div(guided.std(axes, true, true));   // [B, 1, …, 1]
        Tensor rescaled = guided.mul(ratio);
        return phi == 1f ? rescaled : rescaled.mul(phi).add(guided.mul(1f - phi));
    }
}
