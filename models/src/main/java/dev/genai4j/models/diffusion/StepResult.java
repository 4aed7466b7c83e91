package dev.genai4j.models.diffusion;

import dev.genai4j.tensor.Tensor;

/**
 * One reverse step x_t → x_{t_prev} ~ N(mean, std²·I).
 *
 * @param prev    the sampled next latent [B, C, H, W]
 * @param mean    the step's Gaussian mean [B, C, H, W] (differentiable when the ε that made it was)
 * @param std     the step's standard deviation (0 for deterministic DDIM, η = 0, or DDPM's last step)
 * @param logProb log N(prev; mean, std²·I) summed over C·H·W, [B]; null when std = 0
 */
public record StepResult(Tensor prev, Tensor mean, float std, Tensor logProb) {}
