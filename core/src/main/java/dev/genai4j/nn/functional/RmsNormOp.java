package dev.genai4j.nn.functional;

import dev.genai4j.tensor.Autograd;
import dev.genai4j.tensor.GradFn;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.Norms;

/**
 * RMS normalization over the last axis as one differentiable op, as HF {@code LlamaRMSNorm}:
 * {@code x · rsqrt(mean(x²) + eps) · w}, or {@code · (1 + w)} with {@code onePlusWeight}
 * (Gemma). Forward and backward (dx, dweight) run the fused {@link Norms} kernel, which saves
 * each row's 1/rms for backward.
 *
 * <pre>{@code
 * Tensor y = RmsNormOp.rmsNorm(x, w, false, 1e-6f);   // x [B, T, 4096], w [4096]
 * }</pre>
 */
public final class RmsNormOp {
    private RmsNormOp() {}

    /** x [..., n] → same shape; {@code weight} is [n] or null (no scale). */
    public static Tensor rmsNorm(Tensor x, Tensor weight, boolean onePlusWeight, float eps) {
        if (x.dim() == 0) throw ShapeException.of("rms_norm input", "[..., n]", x.shape());
        int[] s = x.shape();
        int n = s[s.length - 1], rows = n == 0 ? 0 : x.numel() / n;
        if (weight != null && (weight.dim() != 1 || weight.size(0) != n))
            throw ShapeException.of("rms_norm weight", "[" + n + "]", weight.shape());
        float[] xd = x.data();
        float[] w = weight == null ? null : weight.data();
        float[] out = new float[xd.length];
        boolean grad = Autograd.recording(x, weight);
        float[] rstd = grad ? new float[rows] : null;
        Norms.rmsNorm(xd, 0, rows, n, w, onePlusWeight, eps, out, 0, rstd);
        Tensor result = Tensor.of(out, s);
        if (!grad) return result;
        return Autograd.record(result, new GradFn("rms_norm", x, weight) {
            @Override public Tensor[] backward(Tensor g) {
                float[] dx = new float[xd.length];   // the kernel always writes dx
                float[] dw = needs(1) ? new float[n] : null;
                Norms.rmsNormBackward(g.data(), 0, xd, 0, rows, n, w, onePlusWeight, rstd, dx, 0, dw);
                return new Tensor[]{needs(0) ? Tensor.of(dx, s) : null, dw == null ? null : Tensor.of(dw, n)};
            }
        });
    }
}
