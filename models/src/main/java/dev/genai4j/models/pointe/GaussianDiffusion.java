package dev.genai4j.models.pointe;

import dev.genai4j.io.ConfigException;
import dev.genai4j.tensor.Tensor;

/**
 * The parts of Point-E's {@code GaussianDiffusion} that sampling needs: the β schedule (cosine, as
 * {@code BASE_DIFFUSION_CONFIG} / {@code UPSAMPLE_DIFFUSION_CONFIG}, or linear), ᾱ in float64, the
 * clean-cloud prediction from ε, and the channel scaling between data space (xyz, RGB 0..255) and model
 * space (xyz × 2, RGB in [-1, 1]).
 *
 * <pre>{@code
 * GaussianDiffusion d = GaussianDiffusion.of("cosine", 1024, GaussianDiffusion.DEFAULT_SCALES, GaussianDiffusion.DEFAULT_BIASES);
 * Tensor x0 = d.predictXStart(xT, t, eps, true);   // clamp(√(1/ᾱ_t)·x_t − √(1/ᾱ_t − 1)·ε, −1, 1)
 * }</pre>
 */
public final class GaussianDiffusion {
    private final double[] alphasCumprod;      // [T] float64, as the reference keeps it
    private final float[] channelScales;       // [C]
    private final float[] channelBiases;       // [C]

    private GaussianDiffusion(double[] betas, float[] channelScales, float[] channelBiases) {
        if (channelScales.length != channelBiases.length) {
            throw new ConfigException("Point-E diffusion: channel_scales has " + channelScales.length + " entries, channel_biases "
                    + channelBiases.length);
        }
        alphasCumprod = new double[betas.length];
        double acc = 1.0;
        for (int i = 0; i < betas.length; i++) {
            acc *= 1.0 - betas[i];
            alphasCumprod[i] = acc;
        }
        this.channelScales = channelScales.clone();
        this.channelBiases = channelBiases.clone();
    }

    /** Xyz × 2 and RGB 0..255 to [-1, 1]: the scaling of Point-E's base and upsampler diffusion configs. */
    public static final float[] DEFAULT_SCALES = {2f, 2f, 2f, 0.007843137255f, 0.007843137255f, 0.007843137255f};
    public static final float[] DEFAULT_BIASES = {0f, 0f, 0f, -1f, -1f, -1f};

    /**
     * Builds the schedule by name, as {@code get_named_beta_schedule}: "cosine" (Nichol & Dhariwal,
     * ᾱ(t) = cos²((t + 0.008)/1.008 · π/2), β capped at 0.999) or "linear" (scaled to 1000 steps).
     */
    public static GaussianDiffusion of(String schedule, int timesteps, float[] channelScales, float[] channelBiases) {
        if (timesteps <= 1) throw new ConfigException("Point-E diffusion: timesteps must be > 1, got " + timesteps);
        double[] betas = new double[timesteps];
        switch (schedule) {
            case "cosine" -> {
                for (int i = 0; i < timesteps; i++) {
                    double t1 = (double) i / timesteps, t2 = (double) (i + 1) / timesteps;
                    betas[i] = Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), 0.999);
                }
            }
            case "linear" -> {
                double scale = 1000.0 / timesteps, start = scale * 0.0001, end = scale * 0.02;
                for (int i = 0; i < timesteps; i++) betas[i] = start + (end - start) * i / (timesteps - 1);   // np.linspace
            }
            default -> throw new ConfigException("Point-E diffusion: unknown schedule '" + schedule + "'; expected cosine or linear");
        }
        return new GaussianDiffusion(betas, channelScales, channelBiases);
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    public int numTimesteps() { return alphasCumprod.length; }

    /** ᾱ_t (float64). */
    public double alphaCumprod(int t) { return alphasCumprod[t]; }

    /**
     * The integer timestep a Karras σ maps to ({@code GaussianToKarrasDenoiser.sigma_to_t}): ᾱ = 1/(σ² + 1)
     * located on the ᾱ table by linear interpolation (scipy {@code interp1d}), truncated toward zero.
     */
    public int sigmaToT(float sigma) {
        float s2p1 = sigma * sigma + 1f;                        // numpy float32 scalar arithmetic
        double a = 1.0 / s2p1;
        int n = alphasCumprod.length;
        if (a > alphasCumprod[0]) return 0;
        if (a <= alphasCumprod[n - 1]) return n - 1;
        // interp1d sorts ᾱ ascending: xs[k] = ᾱ[n-1-k], ys[k] = n-1-k; searchsorted(side='left'), clipped to [1, n-1]
        int lo = 0, hi = n;                                     // first k with xs[k] >= a
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (alphasCumprod[n - 1 - mid] < a) lo = mid + 1; else hi = mid;
        }
        int k = Math.min(Math.max(lo, 1), n - 1);
        double xLo = alphasCumprod[n - k], xHi = alphasCumprod[n - 1 - k];
        double yLo = n - k, yHi = n - 1 - k;
        double y = (yHi - yLo) / (xHi - xLo) * (a - xLo) + yLo;
        return (int) y;
    }

    /**
     * x̂₀ from ε ({@code _predict_xstart_from_eps}; coefficients float64 → float32 as {@code _extract_into_tensor}),
     * clamped to [-1, 1] when {@code clip}. xT, eps: [N, C, L]; t: one timestep per sample.
     */
    public Tensor predictXStart(Tensor xT, int[] t, Tensor eps, boolean clip) {
        int n = xT.shape()[0];
        float[] recip = new float[n], recipm1 = new float[n];
        for (int i = 0; i < n; i++) {
            double a = alphasCumprod[t[i]];
            recip[i] = (float) Math.sqrt(1.0 / a);
            recipm1[i] = (float) Math.sqrt(1.0 / a - 1);
        }
        Tensor x0 = xT.mul(Tensor.of(recip, n, 1, 1)).sub(eps.mul(Tensor.of(recipm1, n, 1, 1)));
        return clip ? x0.clamp(-1f, 1f) : x0;
    }

    /** Data space → model space per channel: {@code x · scale + bias}. x: [N, C, L]. */
    public Tensor scaleChannels(Tensor x) {
        int c = channelScales.length;
        return x.mul(Tensor.of(channelScales, 1, c, 1)).add(Tensor.of(channelBiases, 1, c, 1));
    }

    /** Model space → data space per channel: {@code (x − bias) / scale}. x: [N, C, L]. */
    public Tensor unscaleChannels(Tensor x) {
        int c = channelScales.length;
        return x.sub(Tensor.of(channelBiases, 1, c, 1)).div(Tensor.of(channelScales, 1, c, 1));
    }
}
