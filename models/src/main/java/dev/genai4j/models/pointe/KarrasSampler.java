package dev.genai4j.models.pointe;

import dev.genai4j.io.ConfigException;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Point-E's sampler: Karras et al. (2022) Algorithm 2 (Heun steps with optional churn) over the
 * Karras σ schedule, as {@code point_e.diffusion.k_diffusion.karras_sample_progressive} runs it with
 * {@code sampler="heun"}. All per-step arithmetic is float32 like the reference's tensors.
 *
 * <pre>{@code
 * KarrasSampler s = new KarrasSampler(KarrasSampler.Settings.pointE(3f));
 * KarrasSampler.Result r = s.sample(denoiser, noise, stepNoise);   // noise [N, 6, 1024] ~ N(0, 1)
 * }</pre>
 */
public final class KarrasSampler {

    /** The x̂₀ predictor the sampler walks along: x [N, C, L] at noise level σ → x̂₀ [N, C, L]. */
    @FunctionalInterface
    public interface Denoiser {
        Tensor denoise(Tensor x, float sigma);
    }

    /** The churn noise of step i ({@code randn_like(x)} in the reference); called only when churn applies. */
    @FunctionalInterface
    public interface StepNoise {
        Tensor draw(int step, int[] shape);
    }

    /** Sampler settings (σ range and ρ in double: the reference's Python floats); {@link #pointE} gives the values Point-E's {@code PointCloudSampler} uses. */
    public record Settings(int steps, double sigmaMin, double sigmaMax, double rho, float sChurn, float sTmin, float sTmax,
                           float sNoise) {
        public Settings {
            if (steps < 1) throw new ConfigException("Karras sampler: steps must be >= 1, got " + steps);
            if (!(sigmaMin > 0) || !(sigmaMax > sigmaMin)) {
                throw new ConfigException("Karras sampler: need 0 < sigma_min < sigma_max, got " + sigmaMin + ", " + sigmaMax);
            }
        }

        /** 64 steps, σ ∈ [0.001, 120], ρ 7, the given churn (Point-E uses 3 for the base, 0 for the upsampler). */
        public static Settings pointE(float sChurn) {
            return new Settings(64, 1e-3, 120, 7, sChurn, 0f, Float.POSITIVE_INFINITY, 1f);
        }
    }

    /**
     * @param sample      the final x ({@code karras_sample}'s return), model space
     * @param predXStart  the x̂₀ of the last step ({@code PointCloudSampler}'s return), model space
     * @param progressive every yielded x: step i's x after its churn, then the final x (steps + 1 entries)
     */
    public record Result(Tensor sample, Tensor predXStart, List<Tensor> progressive) {}

    private final Settings settings;

    public KarrasSampler(Settings settings) { this.settings = settings; }

    /**
     * {@code get_sigmas_karras} in float32 (torch.linspace's ramp), with the trailing 0: steps + 1 values.
     * σ_min^(1/ρ) and σ_max^(1/ρ) are Python floats there, so they are taken in double from the decimal settings.
     */
    public static float[] sigmas(int n, double sigmaMin, double sigmaMax, double rho) {
        double minInv = Math.pow(sigmaMin, 1.0 / rho), maxInv = Math.pow(sigmaMax, 1.0 / rho);
        float span = (float) (minInv - maxInv), maxInvF = (float) maxInv;
        float[] out = new float[n + 1];
        for (int i = 0; i < n; i++) {
            float base = maxInvF + linspace01(i, n) * span;
            out[i] = (float) Math.pow(base, rho);
        }
        return out;
    }

    /** torch.linspace(0, 1, n)[i] on the CPU: from the start for the first half, from the end for the rest. */
    private static float linspace01(int i, int n) {
        if (n == 1) return 0f;
        float step = 1f / (n - 1);
        return i < n / 2 ? i * step : 1f - (n - 1 - i) * step;
    }

    /**
     * Runs the sampler from {@code x_T = noise · σ_max}.
     *
     * @param noise     [N, C, L] standard normal noise
     * @param stepNoise churn noise per step; may be null when {@code sChurn} is 0
     */
    public Result sample(Denoiser denoiser, Tensor noise, StepNoise stepNoise) {
        return run(denoiser, noise.mul((float) settings.sigmaMax()), stepNoise);
    }

    /**
     * Runs the sampler from {@code x = init + noise · σ_max} (SDEdit, arXiv 2108.01073): a guess of the clean sample, noised
     * to the settings' σ_max and denoised from there, so that a σ_max near the guess's error keeps what it got right.
     *
     * @param init  [N, C, L] the guess, model space
     * @param noise [N, C, L] standard normal noise
     */
    public Result sampleFrom(Denoiser denoiser, Tensor init, Tensor noise, StepNoise stepNoise) {
        if (!java.util.Arrays.equals(init.shape(), noise.shape())) {
            throw new dev.genai4j.tensor.ShapeException("Karras sampler: init " + java.util.Arrays.toString(init.shape()) + " and noise "
                    + java.util.Arrays.toString(noise.shape()) + " must have one shape");
        }
        return run(denoiser, init.add(noise.mul((float) settings.sigmaMax())), stepNoise);
    }

    private Result run(Denoiser denoiser, Tensor x, StepNoise stepNoise) {
        Settings s = settings;
        float[] sig = sigmas(s.steps(), s.sigmaMin(), s.sigmaMax(), s.rho());
        List<Tensor> progressive = new ArrayList<>();
        Tensor denoised = null;
        int last = sig.length - 1;
        for (int i = 0; i < last; i++) {
            double gamma = s.sTmin() <= sig[i] && sig[i] <= s.sTmax() ? Math.min(s.sChurn() / last, Math.sqrt(2) - 1) : 0.0;
            float sigmaHat = sig[i] * (float) (gamma + 1);
            if (gamma > 0) {
                if (stepNoise == null) throw new IllegalArgumentException("Karras sampler: s_churn " + s.sChurn() + " needs step noise");
                float amount = (float) Math.sqrt(sigmaHat * sigmaHat - sig[i] * sig[i]);
                x = x.add(stepNoise.draw(i, x.shape()).mul(s.sNoise()).mul(amount));
            }
            denoised = denoiser.denoise(x, sigmaHat);
            Tensor d = x.sub(denoised).div(sigmaHat);                     // to_d
            progressive.add(x);
            float dt = sig[i + 1] - sigmaHat;
            if (sig[i + 1] == 0f) {
                x = x.add(d.mul(dt));                                     // Euler on the last step
            } else {
                Tensor x2 = x.add(d.mul(dt));
                Tensor d2 = x2.sub(denoiser.denoise(x2, sig[i + 1])).div(sig[i + 1]);
                x = x.add(d.add(d2).div(2f).mul(dt));                     // Heun
            }
        }
        progressive.add(x);
        return new Result(x, denoised, progressive);
    }
}
