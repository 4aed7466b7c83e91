package dev.genai4j.models.diffusion.rl;

import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.models.diffusion.PromptEncoder;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.models.diffusion.UNetConfig;
import dev.genai4j.models.diffusion.reward.Reward;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.List;

/** A tiny UNet, a weightless prompt "encoder" and a brightness reward, so RL tests run in seconds. */
final class RlTiny {
    private RlTiny() {}

    static final int TEXT_DIM = 12, TEXT_LEN = 3;

    /** 8×8 grey, channels 8/16, attention on the second level and in the middle. */
    static UNetConfig config() {
        return new UNetConfig(8, 1, 1, new int[]{8, 16}, new boolean[]{false, true}, 1, TEXT_DIM, 8, 4, 1e-5f);
    }

    /**
     * A UNet whose conv weights are small random values (not the zeroed conv_out of a fresh one), so
     * ε̂ depends on its input while x̂_0 is rarely clamped (with 0.1 most pixels clamp and the
     * policy gradient through them vanishes).
     */
    static UNet unet(long seed) {
        UNet u = new UNet(config(), new Rng(seed));
        Rng init = new Rng(seed + 100);
        for (Parameter p : u.parameters()) if (p.shape().length == 4) p.set(Tensor.randn(init, p.shape()).mul(0.02f));
        return u;
    }

    /** Prompt → fixed pseudo-random token states seeded by the prompt's hash. */
    static final class HashEncoder implements PromptEncoder {
        @Override public int dim() { return TEXT_DIM; }

        @Override public int length() { return TEXT_LEN; }

        @Override public String name() { return "hash"; }

        @Override public float[] encode(String prompt) {
            if (prompt == null || prompt.isBlank()) throw new DiffusionException("prompt is empty");
            Rng r = new Rng(prompt.hashCode());
            float[] out = new float[TEXT_LEN * TEXT_DIM];
            for (int i = 0; i < out.length; i++) out[i] = (float) r.gaussian();
            return out;
        }
    }

    /** Mean pixel value in [−1, 1]: smooth in the image, so a few policy-gradient steps move it. */
    static final Reward BRIGHTNESS = new Reward() {
        @Override public String name() { return "brightness"; }

        @Override public float[] score(Tensor images, List<String> prompts) {
            int b = images.size(0), d = images.numel() / b;
            float[] x = images.contiguous().toFloatArray(), out = new float[b];
            for (int i = 0; i < b; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) s += x[i * d + j];
                out[i] = (float) (s / d);
            }
            return out;
        }
    };
}
