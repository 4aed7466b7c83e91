package dev.genai4j.cli;

import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.models.diffusion.SamplerOptions;
import picocli.CommandLine.Option;

/**
 * The diffusion commands' options against over-saturation at high guidance (guidance rescale and
 * dynamic thresholding, both off unless given), shared by {@code txt2img} and {@code eval diffusion}.
 *
 * <pre>{@code
 * @Mixin SaturationOptions saturation;
 * SamplerOptions o = saturation.applyTo(SamplerOptions.ddim(50, 0f, 3f));
 * }</pre>
 */
final class SaturationOptions {
    @Option(names = "--guidance-rescale", paramLabel = "PHI",
            description = "guidance rescale φ in [0, 1] (Lin et al. 2023, diffusers' guidance_rescale): each step scales the guided"
                    + " noise prediction back towards the conditional one's standard deviation, against blown-out, over-saturated"
                    + " images at high --guidance (0.7 is the paper's value; made for latent models). No effect at --guidance 0 or 1;"
                    + " on the shipped Fashion-MNIST model it barely changes samples (guidance moves a pixel model's noise spread"
                    + " by a few percent). 0 = off (default ${DEFAULT-VALUE})")
    float guidanceRescale = 0f;

    @Option(names = "--dynamic-threshold", paramLabel = "P",
            description = "dynamic thresholding (Imagen) at quantile P in (0, 1], e.g. 0.995: each step divides the predicted clean"
                    + " image by its P-quantile of |pixel| when that exceeds 1, instead of clipping it to [-1, 1]; meant for images"
                    + " whose out-of-range values are a few blown highlights. It hurts the shipped Fashion-MNIST model (its excess"
                    + " is the black background: the division lifts it towards grey mid-run and shapes swell into frame-filling blocks)."
                    + " Default: off (the static clip)")
    Float dynamicThreshold;

    @Option(names = "--threshold-max", paramLabel = "M",
            description = "with --dynamic-threshold: upper bound ≥ 1 on its divisor (diffusers' sample_max_value; 1 makes it the static "
                    + "clip); default: unbounded, as Imagen")
    Float thresholdMax;

    /** The options' dynamic threshold, or null when off; checks the values. */
    SamplerOptions.DynamicThreshold threshold() {
        if (dynamicThreshold == null) {
            if (thresholdMax != null) throw new DiffusionException("--threshold-max needs --dynamic-threshold P");
            return null;
        }
        try {
            return new SamplerOptions.DynamicThreshold(dynamicThreshold, thresholdMax == null ? Float.POSITIVE_INFINITY : thresholdMax);
        } catch (DiffusionException e) {
            throw new DiffusionException(e.getMessage().replace("dynamic-threshold quantile", "--dynamic-threshold").replace("dynamic-threshold max value", "--threshold-max"));
        }
    }

    /** {@code o} with these options. */
    SamplerOptions applyTo(SamplerOptions o) {
        return new SamplerOptions(o.kind(), o.steps(), o.eta(), o.guidance(), o.clipSample(), guidanceRescale, threshold());
    }

    /** JSON name, value pairs: guidance_rescale, dynamic_threshold (P or null), threshold_max (null = unbounded or off). */
    Object[] json() {
        return new Object[]{"guidance_rescale", guidanceRescale, "dynamic_threshold", dynamicThreshold,
                "threshold_max", dynamicThreshold == null || thresholdMax == null ? null : thresholdMax};
    }
}
