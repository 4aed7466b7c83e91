package dev.genai4j.nn;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.functional.RmsNormOp;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

/**
 * Root-mean-square normalization (arXiv 1910.07467), as HF {@code LlamaRMSNorm}:
 * {@code x · rsqrt(mean(x²) + eps) · w}. With {@code offset} the scale is {@code (1 + w)}
 * (Gemma-style checkpoints store w centred on zero; fresh weights are then zeros).
 *
 * <pre>{@code
 * RMSNorm norm = RMSNorm.load(w.sub("input_layernorm"), 4096, 1e-5f, false);
 * Tensor y = norm.forward(x);                 // [..., 4096]
 * }</pre>
 */
public final class RMSNorm extends Module {
    private final int dim;
    private final float eps;
    private final boolean offset;
    private final Parameter weight;   // [dim]

    /** Fresh layer: the identity scale (weight ones, or zeros with {@code offset}). */
    public RMSNorm(int dim, float eps, boolean offset) {
        this(dim, eps, offset, offset ? Tensor.zeros(dim) : Tensor.ones(dim));
    }

    private RMSNorm(int dim, float eps, boolean offset, Tensor weight) {
        this.dim = dim;
        this.eps = eps;
        this.offset = offset;
        this.weight = param("weight", weight);
    }

    public static RMSNorm load(Weights w, int dim, float eps, boolean offset) {
        return new RMSNorm(dim, eps, offset, w.get("weight", dim));
    }

    /** x: [..., dim] → same shape. */
    public Tensor forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != dim) throw ShapeException.of("RMSNorm(" + dim + ")", "input [..., " + dim + "]", x.shape());
        // one fused, differentiable op (Norms kernel); the kernel applies (1 + w) itself
        return RmsNormOp.rmsNorm(x, weight.value(), offset, eps);
    }

    public int dim() { return dim; }

    public float eps() { return eps; }

    public boolean offset() { return offset; }

    public Parameter weight() { return weight; }
}
