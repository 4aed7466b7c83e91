package dev.genai4j.nn;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.functional.Conv2dOp;
import dev.genai4j.tensor.Randoms;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

/**
 * {@code torch.nn.Conv2d} over NCHW input with zero padding: parameters {@code weight}
 * [out, in/groups, kh, kw] and optional {@code bias} [out].
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(Conv2d.Config.of(3, 64, 3).padding(1), new Rng(0));
 * Tensor y = conv.forward(x);            // [N, 3, H, W] → [N, 64, H, W]
 * }</pre>
 */
public final class Conv2d extends Module {
    /** Layer hyper-parameters, PyTorch's constructor arguments; defaults stride 1, padding 0, dilation 1, groups 1, bias. */
    public record Config(int inChannels, int outChannels, int kernelH, int kernelW, int strideH, int strideW,
                         int padH, int padW, int dilationH, int dilationW, int groups, boolean bias) {
        public static Config of(int in, int out, int kernel) {
            return new Config(in, out, kernel, kernel, 1, 1, 0, 0, 1, 1, 1, true);
        }

        public static Config of(int in, int out, int kernelH, int kernelW) {
            return new Config(in, out, kernelH, kernelW, 1, 1, 0, 0, 1, 1, 1, true);
        }

        public Config stride(int s) { return new Config(inChannels, outChannels, kernelH, kernelW, s, s, padH, padW, dilationH, dilationW, groups, bias); }
        public Config padding(int p) { return new Config(inChannels, outChannels, kernelH, kernelW, strideH, strideW, p, p, dilationH, dilationW, groups, bias); }
        public Config padding(int ph, int pw) { return new Config(inChannels, outChannels, kernelH, kernelW, strideH, strideW, ph, pw, dilationH, dilationW, groups, bias); }
        public Config dilation(int d) { return new Config(inChannels, outChannels, kernelH, kernelW, strideH, strideW, padH, padW, d, d, groups, bias); }
        public Config groups(int g) { return new Config(inChannels, outChannels, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, g, bias); }
        public Config bias(boolean b) { return new Config(inChannels, outChannels, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, groups, b); }

        Conv2dOp.Geometry geometry() { return new Conv2dOp.Geometry(strideH, strideW, padH, padW, dilationH, dilationW, groups); }

        int[] weightShape() {
            if (inChannels % groups != 0 || outChannels % groups != 0) {
                throw new IllegalArgumentException("Conv2d: groups " + groups + " must divide in " + inChannels + " and out " + outChannels);
            }
            return new int[]{outChannels, inChannels / groups, kernelH, kernelW};
        }
    }

    private final Config config;
    private final Parameter weight;   // [out, in/groups, kh, kw]
    private final Parameter bias;     // [out] or null

    /** PyTorch's default init: kaiming_uniform(a=√5) for the weight, i.e. U(±1/√fan_in) for both. */
    public Conv2d(Config config, Rng rng) {
        this(config, init(config, rng, false), config.bias() ? init(config, rng, true) : null);
    }

    private Conv2d(Config config, Tensor weight, Tensor bias) {
        config.geometry();   // validates stride / padding / groups
        this.config = config;
        this.weight = param("weight", weight);
        this.bias = bias == null ? null : param("bias", bias);
    }

    private static Tensor init(Config c, Rng rng, boolean bias) {
        int[] ws = c.weightShape();
        float bound = (float) (1.0 / Math.sqrt((double) ws[1] * ws[2] * ws[3]));
        return bias ? Randoms.uniform(rng, -bound, bound, c.outChannels()) : Randoms.uniform(rng, -bound, bound, ws);
    }

    /** Reads {@code weight} (and {@code bias} when the config has one) under {@code w}'s prefix. */
    public static Conv2d load(Weights w, Config c) {
        return new Conv2d(c, w.get("weight", c.weightShape()), c.bias() ? w.get("bias", c.outChannels()) : null);
    }

    public Config config() { return config; }

    public Parameter weight() { return weight; }

    public Parameter bias() { return bias; }

    /** x [N, in, H, W] → [N, out, Ho, Wo]. */
    public Tensor forward(Tensor x) {
        return Conv2dOp.conv2d(x, weight.value(), bias == null ? null : bias.value(), config.geometry());
    }
}
