package dev.genai4j.models.gliner.train;

import dev.genai4j.tensor.Autograd;
import dev.genai4j.tensor.GradFn;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

/**
 * GLiNER's span loss (urchade/GLiNER {@code focal_loss_with_logits} + {@code SpanModel.loss}) as
 * one fused op: for every (span, type) with p = σ(logit),
 * <pre>
 *   positive: α · (1 − p)^γ · −log(max(p, ε))
 *   negative: (1 − α) · p^γ · −log(max(1 − p, ε))        ε = 1e-6
 * </pre>
 * (α &lt; 0 drops the α weights), multiplied by the type mask (padded types of a shorter prompt
 * give no loss) and the span mask (spans running past the text give none), then summed — the
 * reference's default {@code loss_reduction: sum} — or averaged over the valid spans. The
 * gradient is written analytically in the same pass; like {@code torch.clamp}, a clamped log has
 * zero gradient. Label smoothing and {@code prob_margin} (both 0 in the reference configs) are left out.
 *
 * <pre>{@code
 * Tensor loss = FocalLoss.of(0.75, 2).apply(logits, targets, typeMask, spanMask);   // logits [B, S, C]
 * loss.backward();
 * }</pre>
 */
public final class FocalLoss {
    static final double EPS = 1e-6;

    private final double alpha, gamma;
    private final boolean mean;

    private FocalLoss(double alpha, double gamma, boolean mean) {
        if (!(gamma >= 0)) throw new IllegalArgumentException("FocalLoss: gamma must be >= 0, got " + gamma);
        if (alpha > 1) throw new IllegalArgumentException("FocalLoss: alpha must be in [0, 1] (or < 0 to disable), got " + alpha);
        this.alpha = alpha;
        this.gamma = gamma;
        this.mean = mean;
    }

    /** Sum reduction, as the reference's default. */
    public static FocalLoss of(double alpha, double gamma) { return new FocalLoss(alpha, gamma, false); }

    /** Mean over valid spans ({@code loss_reduction: mean}). */
    public static FocalLoss mean(double alpha, double gamma) { return new FocalLoss(alpha, gamma, true); }

    /**
     * @param logits   [B, S, C] span-type scores (any shape [B, ..., C] whose middle flattens to S)
     * @param targets  [B·S·C] 0/1 targets, row-major like {@code logits}
     * @param typeMask [B·C] 1 for real types of each example, 0 for padding
     * @param spanMask [B·S] 1 for spans inside the text
     * @return scalar loss
     */
    public Tensor apply(Tensor logits, float[] targets, float[] typeMask, float[] spanMask) {
        int b = logits.size(0), c = logits.size(logits.dim() - 1);
        long n = logits.numel();
        if (n != targets.length || (long) b * c != typeMask.length || n != (long) spanMask.length * c) {
            throw new ShapeException("FocalLoss: logits " + java.util.Arrays.toString(logits.shape()) + " need " + n + " targets, "
                    + (long) b * c + " type-mask and " + n / Math.max(1, c) + " span-mask entries; got " + targets.length + ", "
                    + typeMask.length + ", " + spanMask.length);
        }
        int s = (int) (n / ((long) b * c));
        float[] x = logits.contiguous().data();
        float[] grad = Autograd.recording(logits) ? new float[x.length] : null;
        double total = 0, valid = 0;
        for (float m : spanMask) valid += m;
        double scale = mean ? (valid > 0 ? 1 / valid : 0) : 1;
        double aPos = alpha >= 0 ? alpha : 1, aNeg = alpha >= 0 ? 1 - alpha : 1;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < s; j++) {
                float sm = spanMask[i * s + j];
                if (sm == 0) continue;
                int row = (i * s + j) * c;
                for (int k = 0; k < c; k++) {
                    float w = sm * typeMask[i * c + k];
                    if (w == 0) continue;
                    double z = x[row + k];
                    double p = 1 / (1 + Math.exp(-z)), q = 1 / (1 + Math.exp(z));   // σ(z), 1 − σ(z) without cancellation
                    double loss, dz;
                    if (targets[row + k] > 0.5f) {
                        double lg = p > EPS ? -Math.log(p) : -Math.log(EPS);
                        double mod = gamma == 0 ? 1 : Math.pow(q, gamma);
                        loss = aPos * mod * lg;
                        // d/dz: (1-p)^γ → −γ p (1-p)^γ;  −log p → −(1 − p) unless clamped
                        dz = aPos * (-gamma * p * mod * lg + mod * (p > EPS ? -q : 0));
                    } else {
                        double lg = q > EPS ? -Math.log(q) : -Math.log(EPS);
                        double mod = gamma == 0 ? 1 : Math.pow(p, gamma);
                        loss = aNeg * mod * lg;
                        // d/dz: p^γ → γ p^γ (1-p);  −log(1-p) → p unless clamped
                        dz = aNeg * (gamma * mod * q * lg + mod * (q > EPS ? p : 0));
                    }
                    total += w * loss;
                    if (grad != null) grad[row + k] = (float) (w * dz * scale);
                }
            }
        }
        Tensor out = Tensor.scalar((float) (total * scale));
        if (grad == null) return out;
        int[] shape = logits.shape();
        return Autograd.record(out, new GradFn("gliner_focal_loss", logits) {
            @Override public Tensor[] backward(Tensor g) {
                return new Tensor[]{Tensor.of(grad, shape).mul(g.item())};
            }
        });
    }
}
