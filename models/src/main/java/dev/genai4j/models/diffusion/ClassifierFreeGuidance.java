package dev.genai4j.models.diffusion;

import dev.genai4j.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Classifier-free guidance (Ho &amp; Salimans, arXiv 2207.12598): ε̃ = ε(x, ∅) + w·(ε(x, c) − ε(x, ∅)),
 * the null condition ∅ being the all-zero text state (the model saw it for 10 % of training
 * images). Weight 1 runs only the conditional pass and 0 only the unconditional one; otherwise both
 * go through the UNet as one batch of 2B. With both passes, {@link GuidanceRescale} φ &gt; 0 scales the
 * guided ε back towards the conditional one's standard deviation (a no-op pass at weights 0 and 1,
 * where there is nothing to rescale).
 *
 * <pre>{@code
 * Tensor eps = ClassifierFreeGuidance.epsilon(unet, xt, t, text, 3f);
 * Tensor calmer = ClassifierFreeGuidance.epsilon(unet, xt, t, text, 3f, 0.7f);   // guidance rescale φ = 0.7
 * }</pre>
 */
public final class ClassifierFreeGuidance {
    private ClassifierFreeGuidance() {}

    /** The null condition for {@code text}'s shape: zeros [B, L, D]. */
    public static Tensor nullText(Tensor text) { return Tensor.zeros(text.shape()); }

    /** Guided ε for x [B, C, H, W] at one timestep per image, text [B, L, D]. */
    public static Tensor epsilon(UNet unet, Tensor x, float[] t, Tensor text, float guidance) {
        return epsilon(unet, x, t, text, guidance, 0f);
    }

    /** As {@link #epsilon(UNet, Tensor, float[], Tensor, float)}, then guidance rescale φ ∈ [0, 1] (0 = off) when both passes ran. */
    public static Tensor epsilon(UNet unet, Tensor x, float[] t, Tensor text, float guidance, float rescale) {
        if (!(guidance >= 0) || Float.isInfinite(guidance)) throw new DiffusionException("guidance must be a finite number ≥ 0, got " + guidance);
        if (guidance == 1f) return unet.forward(x, t, text);
        if (guidance == 0f) return unet.forward(x, t, nullText(text));
        int b = x.size(0);
        float[] t2 = Arrays.copyOf(t, 2 * b);
        System.arraycopy(t, 0, t2, b, b);
        Tensor both = unet.forward(Tensor.cat(List.of(x, x), 0), t2, Tensor.cat(List.of(nullText(text), text), 0));
        Tensor uncond = both.narrow(0, 0, b), cond = both.narrow(0, b, b);
        Tensor guided = uncond.add(cond.sub(uncond).mul(guidance));
        return rescale == 0f ? guided : GuidanceRescale.apply(guided, cond, rescale);
    }
}
