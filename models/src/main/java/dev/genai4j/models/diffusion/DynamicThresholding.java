package dev.genai4j.models.diffusion;

import dev.genai4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Imagen's dynamic thresholding of the predicted clean image (Saharia et al., arXiv 2205.11487
 * §2.3; diffusers {@code DDIMScheduler._threshold_sample}): at high guidance x̂_0 leaves [−1, 1]
 * and static clipping flattens it into saturated blobs; instead, per image, s = the p-th quantile
 * of |x̂_0| (linear interpolation between order statistics, as {@code torch.quantile}), clamped to
 * [1, maxValue], and x̂_0 = clamp(x̂_0, −s, s)/s — pixels are pushed inwards rather than cut off.
 * An image whose quantile is ≤ 1 gets s = 1, i.e. exactly the static clip.
 *
 * <p>s is computed from the values without gradients (treated as a constant, as in diffusers,
 * where {@code torch.quantile}'s gradient would flow only into two order statistics anyway);
 * the division and clamp are tensor ops, so the result stays differentiable in x̂_0.
 *
 * <pre>{@code
 * Tensor x0 = DynamicThresholding.apply(predicted, new SamplerOptions.DynamicThreshold(0.995f, Float.POSITIVE_INFINITY));
 * }</pre>
 */
public final class DynamicThresholding {
    private DynamicThresholding() {}

    /** x̂_0 [B, …] thresholded per image. */
    public static Tensor apply(Tensor x0, SamplerOptions.DynamicThreshold o) {
        float[] s = thresholds(x0, o);
        int[] shape = new int[x0.dim()];
        Arrays.fill(shape, 1);
        shape[0] = s.length;
        // clamp(x, −s, s)/s equals clamp(x/s, −1, 1) bit for bit for s > 0 (rounding is monotonic and s/s = 1)
        return x0.div(Tensor.of(s, shape)).clamp(-1f, 1f);
    }

    /** The per-image s = clamp(quantile(|x̂_0|, p), 1, maxValue), [B]. */
    public static float[] thresholds(Tensor x0, SamplerOptions.DynamicThreshold o) {
        int b = x0.size(0);
        int d = x0.numel() / b;
        float[] v = x0.detach().toFloatArray();
        float[] s = new float[b];
        float[] row = new float[d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < d; j++) row[j] = Math.abs(v[i * d + j]);
            s[i] = (float) Math.min(Math.max(quantile(row, o.quantile()), 1.0), o.maxValue());
        }
        return s;
    }

    /** torch.quantile's default ("linear"): sorted[⌊p(n−1)⌋] interpolated towards the next one. Sorts {@code values} in place. */
    static double quantile(float[] values, double p) {
        Arrays.sort(values);
        double pos = p * (values.length - 1);
        int lo = (int) Math.floor(pos), hi = Math.min(lo + 1, values.length - 1);
        double frac = pos - lo;
        return values[lo] + (values[hi] - (double) values[lo]) * frac;
    }
}
