package dev.genai4j.models.diffusion.rl;

import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.tensor.Tensor;

/**
 * DPOK's per-step KL bound (arXiv 2305.16381, Lemma 4.1 / eq. 7): both reverse steps are
 * Gaussians with the same σ_t, so KL(p_θ(x_{t−1}|x_t) ‖ p_pre(x_{t−1}|x_t)) = ‖μ_θ − μ_pre‖² / 2σ_t²,
 * and the sum over the trajectory's steps bounds the KL between the final image distributions.
 * Zero exactly when the policy's mean equals the frozen pretrained model's.
 *
 * <pre>{@code
 * Tensor kl = KlRegularizer.stepKl(muPolicy, muPretrained.detach(), stds);   // [B], differentiable in muPolicy
 * }</pre>
 */
public final class KlRegularizer {
    private KlRegularizer() {}

    /** ‖μθ − μpre‖² / (2σ_b²) per image [B], summed over C·H·W; gradients flow into both means that carry them. */
    public static Tensor stepKl(Tensor policyMean, Tensor referenceMean, float[] std) {
        int b = policyMean.size(0);
        if (referenceMean.size(0) != b || std.length != b) {
            throw new DiffusionException("KL: policy batch " + b + ", reference batch " + referenceMean.size(0) + ", " + std.length + " σ values");
        }
        int d = policyMean.numel() / b;
        float[] inv = new float[b];
        for (int i = 0; i < b; i++) {
            if (!(std[i] > 0)) throw new DiffusionException("KL: image " + i + "'s step has σ = " + std[i] + "; the bound needs σ > 0");
            inv[i] = (float) (1.0 / (2.0 * std[i] * std[i]));
        }
        return policyMean.sub(referenceMean).square().reshape(b, d).sum(1, false).mul(Tensor.of(inv, b));
    }
}
