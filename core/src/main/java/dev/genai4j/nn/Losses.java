package dev.genai4j.nn;

import dev.genai4j.tensor.IndexOutOfRangeException;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Loss functions with PyTorch's formulas and defaults, built from differentiable tensor ops.
 *
 * <pre>{@code
 * Tensor loss = Losses.crossEntropy(logits, labels);          // logits [B, T, V], labels [B, T], −100 ignored
 * loss.backward();
 * }</pre>
 */
public final class Losses {
    private Losses() {}

    /** PyTorch's default {@code ignore_index}. */
    public static final int IGNORE_INDEX = -100;

    /** Cross-entropy with PyTorch's defaults: ignore_index −100, no smoothing, mean. */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        return crossEntropy(logits, targets, IGNORE_INDEX, 0f, Reduction.MEAN);
    }

    /**
     * {@code F.cross_entropy} with integer targets. The class axis is the <b>last</b> one:
     * logits [N, C] with targets [N], or [B, T, C] with [B, T] (HF's {@code view(-1, C)}).
     * Per target: {@code (1−ε)·(−log p[y]) + ε/C · Σ_c −log p[c]}; targets equal to
     * {@code ignoreIndex} contribute 0 and MEAN divides by the number of the others (NaN when
     * all are ignored, as PyTorch).
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, int ignoreIndex, float labelSmoothing, Reduction reduction) {
        int[] ls = logits.shape(), ts = targets.shape();
        if (ls.length < 2 || !Arrays.equals(Arrays.copyOf(ls, ls.length - 1), ts)) {
            throw new ShapeException("crossEntropy: logits " + Arrays.toString(ls) + " and targets " + Arrays.toString(ts)
                    + " do not fit; expected logits [..., C] with targets [...] (class axis last)");
        }
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
            throw new IllegalArgumentException("crossEntropy: label_smoothing must be in [0, 1], got " + labelSmoothing);
        }
        int numClasses = ls[ls.length - 1], n = targets.numel();
        float[] tv = targets.data();
        float[] safe = new float[n], valid = new float[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            int y = (int) tv[i];
            if (y != tv[i]) throw new IllegalArgumentException("crossEntropy: target " + tv[i] + " at " + i + " is not an integer");
            if (y == ignoreIndex) continue;
            if (y < 0 || y >= numClasses) {
                throw new IndexOutOfRangeException("crossEntropy: target " + y + " at flat position " + i + " outside [0, " + numClasses
                        + ") and not ignore_index " + ignoreIndex);
            }
            safe[i] = y;
            valid[i] = 1f;
            count++;
        }
        Tensor logp = logits.reshape(n, numClasses).logSoftmax(1);                  // [N, C]
        Tensor loss = logp.gather(1, Tensor.of(safe, n, 1)).reshape(n).neg();       // [N]
        if (labelSmoothing > 0f) {
            Tensor smooth = logp.sum(1, false).neg().mul(1f / numClasses);          // [N]
            loss = loss.mul(1f - labelSmoothing).add(smooth.mul(labelSmoothing));
        }
        loss = loss.mul(Tensor.of(valid, n));
        return switch (reduction) {
            case NONE -> loss.reshape(ts);
            case SUM -> loss.sum();
            case MEAN -> loss.sum().mul(1f / count);        // 0 · ∞ = NaN when nothing counts, as PyTorch
        };
    }

    /** {@code F.binary_cross_entropy_with_logits}, mean, no pos_weight. */
    public static Tensor bceWithLogits(Tensor logits, Tensor targets) {
        return bceWithLogits(logits, targets, null, Reduction.MEAN);
    }

    /**
     * {@code F.binary_cross_entropy_with_logits}: {@code (1−y)·x + (1 + (pw−1)·y)·softplus(−x)},
     * the stable form of {@code −pw·y·log σ(x) − (1−y)·log(1−σ(x))}. {@code posWeight} (null for
     * none) broadcasts against the logits, usually [C] over the last axis.
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor targets, Tensor posWeight, Reduction reduction) {
        sameShape("bceWithLogits", logits, targets);
        Tensor softplusNeg = logits.neg().softplus();                                // −log σ(x)
        Tensor weight = posWeight == null ? null : targets.mul(posWeight.sub(1f)).add(1f);
        Tensor loss = targets.neg().add(1f).mul(logits).add(weight == null ? softplusNeg : weight.mul(softplusNeg));
        return reduce(loss, reduction);
    }

    /**
     * torchvision's {@code sigmoid_focal_loss} (arXiv 1708.02002): {@code α_t · (1 − p_t)^γ · BCE},
     * p_t = p·y + (1−p)·(1−y), α_t = α·y + (1−α)·(1−y); {@code alpha < 0} disables α weighting.
     * torchvision's defaults are α = 0.25, γ = 2, reduction NONE.
     */
    public static Tensor sigmoidFocalLoss(Tensor logits, Tensor targets, float alpha, float gamma, Reduction reduction) {
        sameShape("sigmoidFocalLoss", logits, targets);
        Tensor p = logits.sigmoid();
        Tensor ce = bceWithLogits(logits, targets, null, Reduction.NONE);
        Tensor notY = targets.neg().add(1f);
        Tensor pT = p.mul(targets).add(p.neg().add(1f).mul(notY));
        // γ = 0 is plain BCE; skipping the factor also avoids 0·∞ in pow's backward at p_t = 1
        Tensor loss = gamma == 0f ? ce : ce.mul(pT.neg().add(1f).pow(gamma));
        if (alpha >= 0f) loss = targets.mul(alpha).add(notY.mul(1f - alpha)).mul(loss);
        return reduce(loss, reduction);
    }

    /** {@code F.mse_loss}: mean of (x − y)². */
    public static Tensor mse(Tensor input, Tensor target) { return mse(input, target, Reduction.MEAN); }

    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        sameShape("mse", input, target);
        return reduce(input.sub(target).square(), reduction);
    }

    private static void sameShape(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new ShapeException(op + ": input " + Arrays.toString(a.shape()) + " and target " + Arrays.toString(b.shape()) + " must have the same shape");
        }
    }

    private static Tensor reduce(Tensor loss, Reduction reduction) {
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.mean();
        };
    }
}
