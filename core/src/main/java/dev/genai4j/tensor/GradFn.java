package dev.genai4j.tensor;

/**
 * The backward half of one differentiable op, recorded on the tape when an op runs with grad
 * enabled. {@link #backward} gets d(loss)/d(output) and returns d(loss)/d(input) for each input
 * (same order as {@link #inputs()}; {@code null} where an input needs no gradient). Backward
 * runs with grad recording off, so it may use ordinary tensor ops.
 */
public abstract class GradFn {
    private final String name;
    private final Tensor[] inputs;

    protected GradFn(String name, Tensor... inputs) {
        this.name = name;
        this.inputs = inputs;
    }

    public final String name() { return name; }

    public final Tensor[] inputs() { return inputs; }

    public abstract Tensor[] backward(Tensor gradOutput);

    /** Whether input {@code i} wants a gradient (saves work in backward). */
    protected final boolean needs(int i) {
        return inputs[i] != null && inputs[i].requiresGrad();
    }
}
