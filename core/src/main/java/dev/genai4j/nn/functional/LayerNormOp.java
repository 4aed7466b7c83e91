package dev.genai4j.nn.functional;

import dev.genai4j.tensor.Autograd;
import dev.genai4j.tensor.GradFn;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.Norms;

/**
 * Layer normalization over the last axis as one differentiable op, as
 * {@code torch.nn.functional.layer_norm(x, [n], weight, bias, eps)}: the forward and the
 * backward (dx, dweight, dbias) run the fused {@link Norms} kernel, which saves each row's mean
 * and 1/σ so backward does not recompute them. One pass over x instead of the six tensor ops
 * (and five temporaries) of the composed formula.
 *
 * <pre>{@code
 * Tensor y = LayerNormOp.layerNorm(x, gamma, beta, 1e-5f);   // x [B, T, 768], gamma/beta [768]
 * }</pre>
 */
public final class LayerNormOp {
    private LayerNormOp() {}

    /** x [..., n] → same shape; {@code weight} and {@code bias} are [n] or null (no affine part). */
    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        if (x.dim() == 0) throw ShapeException.of("layer_norm input", "[..., n]", x.shape());
        int[] s = x.shape();
        int n = s[s.length - 1], rows = n == 0 ? 0 : x.numel() / n;
        checkParam("weight", weight, n);
        checkParam("bias", bias, n);
        float[] xd = x.data();
        float[] gamma = weight == null ? null : weight.data(), beta = bias == null ? null : bias.data();
        float[] out = new float[xd.length];
        boolean grad = Autograd.recording(x, weight, bias);
        float[] mean = grad ? new float[rows] : null, rstd = grad ? new float[rows] : null;
        Norms.layerNorm(xd, 0, rows, n, gamma, beta, eps, out, 0, mean, rstd);
        Tensor result = Tensor.of(out, s);
        if (!grad) return result;
        return Autograd.record(result, new GradFn("layer_norm", x, weight, bias) {
            @Override public Tensor[] backward(Tensor g) {
                float[] dx = new float[xd.length];   // the kernel always writes dx
                float[] dgamma = needs(1) ? new float[n] : null, dbeta = needs(2) ? new float[n] : null;
                Norms.layerNormBackward(g.data(), 0, xd, 0, rows, n, gamma, mean, rstd, dx, 0, dgamma, dbeta);
                return new Tensor[]{needs(0) ? Tensor.of(dx, s) : null,
                        dgamma == null ? null : Tensor.of(dgamma, n), dbeta == null ? null : Tensor.of(dbeta, n)};
            }
        });
    }

    static void checkParam(String name, Tensor p, int n) {
        if (p != null && (p.dim() != 1 || p.size(0) != n))
            throw ShapeException.of("layer_norm " + name, "[" + n + "]", p.shape());
    }
}
