package dev.genai4j.nn;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.functional.GroupNormOp;
import dev.genai4j.tensor.Tensor;

/**
 * {@code torch.nn.GroupNorm(num_groups, num_channels, eps, affine)} (arXiv 1803.08494): per
 * sample, channels split into groups normalized by their mean and biased variance, then the
 * per-channel {@code weight} (init 1) and {@code bias} (init 0) when affine.
 *
 * <pre>{@code
 * GroupNorm gn = new GroupNorm(32, 128, 1e-6f, true);
 * Tensor y = gn.forward(x);   // x [N, 128, H, W]
 * }</pre>
 */
public final class GroupNorm extends Module {
    private final int numGroups, numChannels;
    private final float eps;
    private final Parameter weight;   // [C] or null
    private final Parameter bias;     // [C] or null

    public GroupNorm(int numGroups, int numChannels, float eps, boolean affine) {
        this(numGroups, numChannels, eps, affine ? Tensor.ones(numChannels) : null, affine ? Tensor.zeros(numChannels) : null);
    }

    /** PyTorch's defaults: eps 1e-5, affine. */
    public GroupNorm(int numGroups, int numChannels) { this(numGroups, numChannels, 1e-5f, true); }

    private GroupNorm(int numGroups, int numChannels, float eps, Tensor weight, Tensor bias) {
        if (numGroups < 1 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: " + numGroups + " groups must divide " + numChannels + " channels");
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.weight = weight == null ? null : param("weight", weight);
        this.bias = bias == null ? null : param("bias", bias);
    }

    /** Reads {@code weight} and {@code bias} [C] under {@code w}'s prefix when affine. */
    public static GroupNorm load(Weights w, int numGroups, int numChannels, float eps, boolean affine) {
        return new GroupNorm(numGroups, numChannels, eps,
                affine ? w.get("weight", numChannels) : null, affine ? w.get("bias", numChannels) : null);
    }

    public int numGroups() { return numGroups; }

    public int numChannels() { return numChannels; }

    /** x [N, C, *] → same shape. */
    public Tensor forward(Tensor x) {
        checkInput(x);
        return GroupNormOp.groupNorm(x, numGroups, weight == null ? null : weight.value(), bias == null ? null : bias.value(), eps);
    }

    private void checkInput(Tensor x) {
        if (x.dim() < 2 || x.size(1) != numChannels) {
            throw dev.genai4j.tensor.ShapeException.of("GroupNorm(" + numGroups + ", " + numChannels + ")", "[N, " + numChannels + ", *]", x.shape());
        }
    }

    /** {@code silu(forward(x))} in one pass, with or without a gradient to record ({@link GroupNormOp#groupNormSilu}). */
    public Tensor forwardSilu(Tensor x) {
        checkInput(x);
        return GroupNormOp.groupNormSilu(x, numGroups, weight == null ? null : weight.value(), bias == null ? null : bias.value(), eps);
    }
}
