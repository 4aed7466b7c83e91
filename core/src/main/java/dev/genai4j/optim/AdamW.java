package dev.genai4j.optim;

import dev.genai4j.nn.Parameter;

import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter, arXiv 1711.05101), step for step as
 * {@code torch.optim.AdamW}: {@code p ← p·(1 − lr·wd)}, then the bias-corrected Adam update
 * {@code p ← p − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)}; with amsgrad, v is replaced by its running
 * maximum. State per parameter: {@code step}, {@code exp_avg}, {@code exp_avg_sq}
 * (and {@code max_exp_avg_sq}).
 *
 * <pre>{@code
 * AdamW opt = new AdamW(params, 1e-3, 0.9, 0.999, 1e-8, 0.01, false);   // PyTorch's defaults
 * }</pre>
 */
public final class AdamW extends Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final boolean amsgrad;

    public AdamW(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super(params, lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("AdamW: betas must lie in [0, 1), got " + beta1 + ", " + beta2);
        }
        checkNonNegative("eps", eps);
        checkNonNegative("weight_decay", weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
    }

    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01, no amsgrad. */
    public AdamW(List<Parameter> params, double lr) { this(params, lr, 0.9, 0.999, 1e-8, 0.01, false); }

    @Override
    protected void update(int index, float[] p, float[] g) {
        int n = p.length;
        float[] step = buffer(index, "step", 1);
        float[] m = buffer(index, "exp_avg", n), v = buffer(index, "exp_avg_sq", n);
        float[] vMax = amsgrad ? buffer(index, "max_exp_avg_sq", n) : null;
        step[0] += 1;
        double t = step[0], lr = lr();
        float decay = (float) (1 - lr * weightDecay);
        float b1 = (float) beta1, b2 = (float) beta2, oneMinusB1 = (float) (1 - beta1), oneMinusB2 = (float) (1 - beta2);
        double stepSize = lr / (1 - Math.pow(beta1, t));
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        for (int i = 0; i < n; i++) {
            if (weightDecay != 0) p[i] *= decay;
            m[i] = b1 * m[i] + oneMinusB1 * g[i];
            v[i] = b2 * v[i] + oneMinusB2 * g[i] * g[i];
            float second = v[i];
            if (vMax != null) {
                vMax[i] = Math.max(vMax[i], v[i]);
                second = vMax[i];
            }
            float denom = (float) (Math.sqrt(second) / bc2Sqrt + eps);
            p[i] -= (float) (stepSize * m[i] / denom);
        }
    }
}
