package dev.genai4j.nn;

import dev.genai4j.tensor.Tensor;

/**
 * A learnable tensor owned by a {@link Module}. The value may be replaced (checkpoint load,
 * optimizer step on a fresh tensor); a trainable value is a fp32 leaf with requiresGrad.
 */
public final class Parameter {
    private Tensor value;

    public Parameter(Tensor value) {
        this.value = value;
    }

    /** The current value (a leaf tensor). */
    public Tensor value() { return value; }

    /** Replaces the value, keeping its requiresGrad flag. */
    public void set(Tensor newValue) {
        boolean grad = value != null && value.requiresGrad();
        this.value = newValue.isLeaf() ? newValue : newValue.detach();
        if (grad && !this.value.requiresGrad()) this.value.requiresGrad(true);
    }

    public Tensor grad() { return value.grad(); }

    public int[] shape() { return value.shape(); }

    /**
     * Makes the value a writable fp32 heap leaf with requiresGrad (copying memory-mapped or
     * half-precision storage), so optimizers can update it in place.
     */
    public Parameter trainable() {
        if (!(value.storage() instanceof dev.genai4j.tensor.FloatStorage) || !value.isContiguous() || value.offset() != 0) {
            value = Tensor.of(value.toFloatArray(), value.shape());
        }
        value.requiresGrad(true);
        return this;
    }
}
