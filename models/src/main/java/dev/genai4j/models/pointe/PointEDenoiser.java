package dev.genai4j.models.pointe;

import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A Point-E transformer seen as a Karras x̂₀ predictor ({@code GaussianToKarrasDenoiser} plus the guided
 * wrapper of {@code karras_sample_progressive}): σ → integer timestep on the ᾱ table, input scaled by
 * {@code 1/√(σ² + 1)}, ε from the first C output channels (the learned-range variance channels are not
 * needed for x̂₀), x̂₀ clamped to [-1, 1] when asked.
 *
 * <p>Classifier-free guidance as the reference's Karras path: one model batch {@code [x, x]} whose
 * conditioning is {@code [cond, zeros]} for every conditioning input (the CLIP grid and, for the
 * upsampler, the low-resolution cloud, as {@code PointCloudSampler} zero-pads all model kwargs),
 * then {@code x̂₀ = uncond + s·(cond − uncond)} on all channels.
 *
 * <pre>{@code
 * var den = new PointEDenoiser(model, diffusion, grid, null, 3f, true);
 * KarrasSampler.Result r = new KarrasSampler(KarrasSampler.Settings.pointE(3f)).sample(den, noise, stepNoise);
 * }</pre>
 */
public final class PointEDenoiser implements KarrasSampler.Denoiser {
    private final PointETransformer model;
    private final GaussianDiffusion diffusion;
    private final Tensor grid;      // [N, G, grid²] or null (upsampler only)
    private final Tensor lowRes;    // [N, C, cond_ctx] data space, upsampler only
    private final float guidanceScale;
    private final boolean clipDenoised;
    private final List<Integer> timesteps = new ArrayList<>();

    public PointEDenoiser(PointETransformer model, GaussianDiffusion diffusion, Tensor grid, Tensor lowRes,
                          float guidanceScale, boolean clipDenoised) {
        this.model = model;
        this.diffusion = diffusion;
        this.grid = grid;
        this.lowRes = lowRes;
        this.guidanceScale = guidanceScale;
        this.clipDenoised = clipDenoised;
    }

    private boolean guided() { return guidanceScale != 0f && guidanceScale != 1f; }

    @Override
    public Tensor denoise(Tensor x, float sigma) {
        if (!guided()) return denoiseBatch(x, sigma, grid, lowRes);
        int n = x.shape()[0];
        Tensor x0 = denoiseBatch(Tensor.cat(List.of(x, x), 0), sigma, withZeros(grid), withZeros(lowRes));   // [2N, C, L]
        Tensor cond = x0.narrow(0, 0, n), uncond = x0.narrow(0, n, n);
        return uncond.add(cond.sub(uncond).mul(guidanceScale));
    }

    /** The integer timestep of every model call so far, one per call, in call order. */
    public List<Integer> timesteps() { return List.copyOf(timesteps); }

    private Tensor denoiseBatch(Tensor x, float sigma, Tensor g, Tensor lr) {
        int n = x.shape()[0], c = x.shape()[1];
        int t = diffusion.sigmaToT(sigma);
        timesteps.add(t);
        float cIn = 1f / (float) Math.sqrt(sigma * sigma + 1f);                 // f32 as the reference's tensor math
        Tensor xIn = x.mul(cIn);
        int[] ts = new int[n];
        java.util.Arrays.fill(ts, t);
        Tensor out = model.forward(xIn, Tensor.full((float) t, n), g, lr);     // [N, 2C, L]
        Tensor eps = out.narrow(1, 0, c);
        return diffusion.predictXStart(xIn, ts, eps, clipDenoised);
    }

    private static Tensor withZeros(Tensor v) {
        return v == null ? null : Tensor.cat(List.of(v, Tensor.zerosLike(v)), 0);
    }
}
