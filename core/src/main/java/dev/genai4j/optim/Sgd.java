package dev.genai4j.optim;

import dev.genai4j.nn.Parameter;

import java.util.List;

/**
 * Stochastic gradient descent as {@code torch.optim.SGD}: {@code d = g + wd·p}; with momentum
 * μ, {@code b ← d} on the first step and {@code b ← μ·b + (1 − dampening)·d} after;
 * {@code d ← d + μ·b} (Nesterov) or {@code d ← b}; then {@code p ← p − lr·d}.
 * State per parameter: {@code momentum_buffer} (when momentum ≠ 0).
 *
 * <pre>{@code
 * Sgd opt = new Sgd(params, 0.1, 0.9, 0, 5e-4, true);
 * }</pre>
 */
public final class Sgd extends Optimizer {
    private final double momentum, dampening, weightDecay;
    private final boolean nesterov;

    public Sgd(List<Parameter> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super(params, lr);
        checkNonNegative("momentum", momentum);
        checkNonNegative("weight_decay", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Sgd: Nesterov momentum requires momentum > 0 and zero dampening, got momentum "
                    + momentum + ", dampening " + dampening);
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    /** Plain SGD: no momentum, no weight decay. */
    public Sgd(List<Parameter> params, double lr) { this(params, lr, 0, 0, 0, false); }

    @Override
    protected void update(int index, float[] p, float[] g) {
        int n = p.length;
        float wd = (float) weightDecay, mu = (float) momentum, keep = (float) (1 - dampening), lr = (float) lr();
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = weightDecay != 0 ? g[i] + wd * p[i] : g[i];
        if (momentum != 0) {
            float[] buf = bufferOrNull(index, "momentum_buffer");
            if (buf == null) {
                putBuffer(index, "momentum_buffer", d.clone());
                buf = bufferOrNull(index, "momentum_buffer");
            } else {
                for (int i = 0; i < n; i++) buf[i] = mu * buf[i] + keep * d[i];
            }
            for (int i = 0; i < n; i++) d[i] = nesterov ? d[i] + mu * buf[i] : buf[i];
        }
        for (int i = 0; i < n; i++) p[i] -= lr * d[i];
    }
}
