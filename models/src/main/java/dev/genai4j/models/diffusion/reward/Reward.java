package dev.genai4j.models.diffusion.reward;

import dev.genai4j.tensor.Tensor;

import java.util.List;

/**
 * A reward for text-to-image RL fine-tuning (DDPO arXiv 2305.13301, DPOK arXiv 2305.16381): one
 * score per generated image given the prompt it was sampled for; higher is better. Images are
 * {@code [B, C, H, W]} in [−1, 1] (C = 1 grey or 3 RGB); {@code prompts} has B entries.
 * Implementations compute without a tape and do not keep the images.
 *
 * <pre>{@code
 * Reward r = RewardRegistry.create("jpeg", RewardOptions.none());
 * float[] s = r.score(samples, List.of("a dress", "a bag"));   // samples [2, 1, 32, 32]
 * }</pre>
 */
public interface Reward {
    /** The registry name ({@code jpeg}, {@code clip}, …). */
    String name();

    /** One score per image. */
    float[] score(Tensor images, List<String> prompts);

    /** Checks the common contract: images [B, C, H, W] with C ∈ {1, 3} and B prompts. */
    static void checkInputs(String reward, Tensor images, List<String> prompts) {
        int[] s = images.shape();
        if (s.length != 4 || (s[1] != 1 && s[1] != 3)) {
            throw dev.genai4j.tensor.ShapeException.of("reward " + reward, "images [B, 1 or 3, H, W] in [-1, 1]", s);
        }
        if (prompts.size() != s[0]) {
            throw new IllegalArgumentException("reward " + reward + ": " + s[0] + " images but " + prompts.size() + " prompts");
        }
    }
}
