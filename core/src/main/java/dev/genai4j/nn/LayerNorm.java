package dev.genai4j.nn;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.functional.LayerNormOp;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

/**
 * Layer normalization over the last axis (arXiv 1607.06450), as {@code torch.nn.LayerNorm(dim)}:
 * {@code (x − mean) / sqrt(var + eps) · weight + bias} with the biased (÷n) variance.
 * ModernBERT's {@code norm_bias=False} is {@code bias = false}.
 *
 * <pre>{@code
 * LayerNorm ln = LayerNorm.load(w.sub("final_norm"), 768, 1e-5f, false);
 * Tensor y = ln.forward(x);                   // [..., 768]
 * }</pre>
 */
public final class LayerNorm extends Module {
    private final int dim;
    private final float eps;
    private final Parameter weight;   // [dim]
    private final Parameter bias;     // [dim], or null

    /** Fresh layer: weight ones, bias zeros. */
    public LayerNorm(int dim, float eps, boolean bias) {
        this(dim, eps, Tensor.ones(dim), bias ? Tensor.zeros(dim) : null);
    }

    private LayerNorm(int dim, float eps, Tensor weight, Tensor bias) {
        this.dim = dim;
        this.eps = eps;
        this.weight = param("weight", weight);
        this.bias = bias == null ? null : param("bias", bias);
    }

    public static LayerNorm load(Weights w, int dim, float eps, boolean bias) {
        return new LayerNorm(dim, eps, w.get("weight", dim), bias ? w.get("bias", dim) : null);
    }

    /** x: [..., dim] → same shape. */
    public Tensor forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != dim) throw ShapeException.of("LayerNorm(" + dim + ")", "input [..., " + dim + "]", x.shape());
        // one fused, differentiable op (Norms kernel): biased variance, PyTorch's rounding order
        return LayerNormOp.layerNorm(x, weight.value(), bias == null ? null : bias.value(), eps);
    }

    public int dim() { return dim; }

    public float eps() { return eps; }

    public Parameter weight() { return weight; }

    public Parameter bias() { return bias; }
}
