package dev.genai4j.nn.functional;

import dev.genai4j.tensor.Autograd;
import dev.genai4j.tensor.GradFn;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.VectorMath;

/**
 * Group normalization (Wu &amp; He, arXiv 1803.08494), as {@code torch.nn.functional.group_norm}:
 * channels of x [N, C, *] are split into G groups; each (sample, group) is normalized by its own
 * mean and biased variance, then scaled and shifted per channel. Backward for x, weight, bias.
 *
 * <pre>{@code
 * Tensor y = GroupNormOp.groupNorm(x, 32, gamma, beta, 1e-5f);   // x [N, 256, H, W]
 * }</pre>
 */
public final class GroupNormOp {
    private GroupNormOp() {}

    /** x [N, C, *]; weight and bias [C] or null (no affine). */
    public static Tensor groupNorm(Tensor x, int numGroups, Tensor weight, Tensor bias, float eps) {
        return groupNorm(x, numGroups, weight, bias, eps, false);
    }

    /**
     * {@code silu(groupNorm(x))}, the pre-activation of a diffusion ResBlock, in one pass: SiLU is
     * applied to each channel block while it is in L1, values bit for bit those of the two ops.
     * Without a gradient to record there is no x̂ array (x̂ is written straight into the output).
     * With one, the normalized z = γ·x̂ + β is not kept either: the backward recomputes it from x̂
     * (the same kernel, so the same floats) for SiLU's derivative, and then runs group norm's own
     * backward on dz, so each call keeps one activation fewer than the two ops did.
     */
    public static Tensor groupNormSilu(Tensor x, int numGroups, Tensor weight, Tensor bias, float eps) {
        return groupNorm(x, numGroups, weight, bias, eps, true);
    }

    private static Tensor groupNorm(Tensor x, int numGroups, Tensor weight, Tensor bias, float eps, boolean silu) {
        if (x.dim() < 2) throw ShapeException.of("group_norm input", "[N, C, *]", x.shape());
        int[] s = x.shape();
        int n = s[0], c = s[1];
        if (numGroups < 1 || c % numGroups != 0) {
            throw new ShapeException("group_norm: " + numGroups + " groups do not divide " + c + " channels (input " + java.util.Arrays.toString(s) + ")");
        }
        if (weight != null && (weight.dim() != 1 || weight.size(0) != c)) throw ShapeException.of("group_norm weight", "[" + c + "]", weight.shape());
        if (bias != null && (bias.dim() != 1 || bias.size(0) != c)) throw ShapeException.of("group_norm bias", "[" + c + "]", bias.shape());
        int spatial = x.numel() / Math.max(1, n * c);
        int cpg = c / numGroups, groupSize = cpg * spatial, rows = n * numGroups;
        float[] xd = x.data();
        float[] gamma = weight == null ? null : weight.data(), beta = bias == null ? null : bias.data();
        boolean recording = Autograd.recording(x, weight, bias);
        float[] out = new float[xd.length];
        // x̂ is kept for the backward only; without one it is written into the output and scaled there
        float[] xhat = recording ? new float[xd.length] : out;
        float[] rstd = new float[rows];
        Parallel.forRange(rows, 1, (from, to) -> {
            for (int r = from; r < to; r++) {
                int base = r * groupSize;
                float mean = VectorMath.sum(xd, base, groupSize) / groupSize;
                float var = VectorMath.sumSquaredDeviation(xd, base, groupSize, mean) / groupSize;
                float rs = (float) (1.0 / Math.sqrt(var + eps));
                rstd[r] = rs;
                int firstChannel = (r % numGroups) * cpg;
                for (int ch = 0; ch < cpg; ch++) {
                    float gm = gamma == null ? 1f : gamma[firstChannel + ch], bt = beta == null ? 0f : beta[firstChannel + ch];
                    int o = base + ch * spatial;
                    if (silu) {
                        VectorMath.normAffineSilu(xd, o, mean, rs, gm, bt, recording ? xhat : null, o, out, o, spatial);
                    } else {
                        VectorMath.shiftScale(xd, o, mean, rs, xhat, o, spatial);
                        VectorMath.affine(xhat, o, gm, bt, out, o, spatial);
                    }
                }
            }
        });
        Tensor result = Tensor.of(out, s);
        if (recording) {
            Autograd.record(result, new GradFn(silu ? "group_norm_silu" : "group_norm", x, weight, bias) {
                @Override public Tensor[] backward(Tensor g) {
                    float[] gd = silu ? siluGrad(g.data(), xhat, gamma, beta, c, spatial) : g.data();
                    // per (sample, channel): Σ dy and Σ dy·x̂, shared by the input, weight and bias gradients
                    float[] sumG = new float[n * c], sumGX = new float[n * c];
                    Parallel.forRange(n * c, 1, (from, to) -> {
                        for (int q = from; q < to; q++) {
                            sumG[q] = VectorMath.sum(gd, q * spatial, spatial);
                            sumGX[q] = VectorMath.dot(gd, q * spatial, xhat, q * spatial, spatial);
                        }
                    });
                    Tensor gx = needs(0) ? Tensor.of(inputGrad(gd, xhat, rstd, gamma, numGroups, cpg, spatial, rows, sumG, sumGX), s) : null;
                    Tensor gw = null, gb = null;
                    if (needs(1) || needs(2)) {
                        float[] dw = new float[c], db = new float[c];
                        for (int img = 0; img < n; img++)
                            for (int ch = 0; ch < c; ch++) {
                                dw[ch] += sumGX[img * c + ch];
                                db[ch] += sumG[img * c + ch];
                            }
                        gw = needs(1) ? Tensor.of(dw, c) : null;
                        gb = needs(2) ? Tensor.of(db, c) : null;
                    }
                    return new Tensor[]{gx, gw, gb};
                }
            });
        }
        return result;
    }

    /** dz = dy · SiLU'(z) with z = γ·x̂ + β recomputed per (sample, channel) block in the same pass. */
    private static float[] siluGrad(float[] gd, float[] xhat, float[] gamma, float[] beta, int c, int spatial) {
        float[] dz = new float[gd.length];
        Parallel.forRange(gd.length / Math.max(1, spatial), 1, (from, to) -> {
            for (int q = from; q < to; q++) {
                int ch = q % c, o = q * spatial;
                VectorMath.affineSiluBackward(gd, o, xhat, o, gamma == null ? 1f : gamma[ch], beta == null ? 0f : beta[ch], dz, o, spatial);
            }
        });
        return dz;
    }

    /**
     * dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)) per group, with dx̂ = dy · γ: from the
     * per-channel Σ dy and Σ dy·x̂, one fused pass per channel.
     */
    private static float[] inputGrad(float[] gd, float[] xhat, float[] rstd, float[] gamma,
                                     int numGroups, int cpg, int spatial, int rows, float[] sumG, float[] sumGX) {
        int groupSize = cpg * spatial;
        float[] dx = new float[gd.length];
        Parallel.forRange(rows, 1, (from, to) -> {
            for (int r = from; r < to; r++) {
                int firstChannel = (r % numGroups) * cpg, q0 = r * cpg;
                double sumD = 0, sumDX = 0;
                for (int ch = 0; ch < cpg; ch++) {
                    float gm = gamma == null ? 1f : gamma[firstChannel + ch];
                    sumD += (double) gm * sumG[q0 + ch];
                    sumDX += (double) gm * sumGX[q0 + ch];
                }
                float rs = rstd[r], meanD = (float) (sumD / groupSize), meanDX = (float) (sumDX / groupSize);
                for (int ch = 0; ch < cpg; ch++) {
                    float gm = gamma == null ? 1f : gamma[firstChannel + ch];
                    int o = (q0 + ch) * spatial;
                    // rs·gm·dy − rs·meanDX·x̂ − rs·meanD
                    VectorMath.linear2(gd, o, rs * gm, xhat, o, -rs * meanDX, -rs * meanD, dx, o, spatial);
                }
            }
        });
        return dx;
    }
}
