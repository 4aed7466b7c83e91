package dev.genai4j.optim;

import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.Tensor;

import java.util.List;

/**
 * Gradient clipping by the global norm over all parameters, as {@code torch.nn.utils.clip_grad_norm_}:
 * every gradient is scaled by {@code min(1, maxNorm / (total + 1e-6))}.
 *
 * <pre>{@code
 * loss.backward();
 * double norm = GradClip.clipGlobalNorm(params, 1.0);   // log it: spikes show instability
 * opt.step();
 * }</pre>
 */
public final class GradClip {
    private GradClip() {}

    /** L2 clipping; returns the total norm before clipping. */
    public static double clipGlobalNorm(List<Parameter> params, double maxNorm) {
        return clipGlobalNorm(params, maxNorm, 2.0);
    }

    /**
     * Clips with the p-norm ({@code normType} ≥ 1, or {@code Double.POSITIVE_INFINITY} for the max
     * norm) over all gradients together; parameters without a gradient are ignored. Returns the
     * total norm before clipping (0 when no parameter has a gradient).
     */
    public static double clipGlobalNorm(List<Parameter> params, double maxNorm, double normType) {
        Optimizer.checkNonNegative("maxNorm", maxNorm);
        if (!(normType >= 1)) throw new IllegalArgumentException("GradClip: normType must be ≥ 1 or infinity, got " + normType);
        boolean inf = Double.isInfinite(normType);
        double acc = 0;
        boolean any = false;
        for (Parameter p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            any = true;
            for (float v : g.data()) {
                double a = Math.abs(v);
                if (inf) acc = Math.max(acc, a);
                else acc += normType == 2 ? a * a : Math.pow(a, normType);
            }
        }
        if (!any) return 0.0;
        double total = inf ? acc : normType == 2 ? Math.sqrt(acc) : Math.pow(acc, 1 / normType);
        float coef = (float) Math.min(1.0, maxNorm / (total + 1e-6));
        for (Parameter p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (g.storage() instanceof FloatStorage fs && g.offset() == 0 && g.isContiguous() && fs.array().length == g.numel()) {
                float[] d = fs.array();
                for (int i = 0; i < d.length; i++) d[i] *= coef;
            } else {
                p.value().setGrad(g.mul(coef));
            }
        }
        return total;
    }
}
