package dev.genai4j.optim;

import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.TensorException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A first-order optimizer over a fixed list of {@link Parameter}s, updating their fp32 values
 * in place (the constructor makes each one {@link Parameter#trainable()}: memory-mapped or
 * half-precision values are copied to fp32 once, before the forward pass records anything). Per-parameter state lives in named buffers ({@code exp_avg}, {@code momentum_buffer},
 * {@code step} …) that {@link #stateDict()} exports as {@code state.<index>.<name>}, as PyTorch's
 * optimizer state dict does, so that training can resume.
 *
 * <pre>{@code
 * Optimizer opt = new AdamW(model.trainable().parameters(), 1e-3);
 * loss.backward();
 * opt.step();
 * opt.zeroGrad();
 * }</pre>
 */
public abstract class Optimizer {
    private final List<Parameter> params;
    private final List<Map<String, float[]>> state = new ArrayList<>();
    private double lr;

    protected Optimizer(List<Parameter> params, double lr) {
        if (params.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameters to optimize");
        checkNonNegative("lr", lr);
        this.params = List.copyOf(params);
        // dense fp32 leaves with requiresGrad: updates write straight into their arrays
        for (Parameter p : this.params) p.trainable();
        this.lr = lr;
        for (int i = 0; i < params.size(); i++) state.add(new LinkedHashMap<>());
    }

    /** One update of every parameter that has a gradient (parameters without one are skipped, as in PyTorch). */
    public final void step() {
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            Tensor g = p.grad();
            if (g == null) continue;
            if (!Arrays.equals(g.shape(), p.shape())) {
                throw ShapeException.of(getClass().getSimpleName() + " step, parameter " + i, "a gradient of shape " + Arrays.toString(p.shape()), g.shape());
            }
            update(i, values(p, getClass().getSimpleName() + " parameter " + i), g.data());
        }
    }

    /** Updates {@code value} (the parameter's own array) in place from {@code grad}. */
    protected abstract void update(int index, float[] value, float[] grad);

    /** Drops every parameter's gradient. */
    public final void zeroGrad() {
        for (Parameter p : params) p.value().zeroGrad();
    }

    public final double lr() { return lr; }

    /** Sets the learning rate used by the next {@link #step()} (schedules call this). */
    public final void setLr(double lr) {
        checkNonNegative("lr", lr);
        this.lr = lr;
    }

    public final List<Parameter> parameters() { return params; }

    /** The named buffer of parameter {@code index}, created as zeros of {@code length} on first use. */
    protected final float[] buffer(int index, String name, int length) {
        return state.get(index).computeIfAbsent(name, k -> new float[length]);
    }

    /** The named buffer or null when it does not exist yet. */
    protected final float[] bufferOrNull(int index, String name) { return state.get(index).get(name); }

    protected final void putBuffer(int index, String name, float[] data) { state.get(index).put(name, data); }

    /**
     * The optimizer state as name → tensor: {@code state.<i>.<buffer>} with the parameter's shape
     * ({@code step} is a scalar). The tensors are copies.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            for (var e : state.get(i).entrySet()) {
                float[] d = e.getValue().clone();
                out.put("state." + i + "." + e.getKey(), d.length == 1 && isScalarBuffer(e.getKey()) ? Tensor.of(d) : Tensor.of(d, params.get(i).shape()));
            }
        }
        return out;
    }

    /** Restores what {@link #stateDict()} produced for the same parameter list; replaces all current state. */
    public final void loadStateDict(Map<String, Tensor> dict) {
        List<Map<String, float[]>> fresh = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) fresh.add(new TreeMap<>());
        for (var e : dict.entrySet()) {
            String key = e.getKey();
            String[] parts = key.split("\\.", 3);
            int index;
            try {
                index = parts.length == 3 && parts[0].equals("state") ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException ex) {
                index = -1;
            }
            if (index < 0 || index >= params.size()) {
                throw new TensorException(getClass().getSimpleName() + ".loadStateDict: unexpected entry '" + key
                        + "' (expected state.<0.." + (params.size() - 1) + ">.<buffer>)");
            }
            String name = parts[2];
            int[] want = isScalarBuffer(name) ? new int[0] : params.get(index).shape();
            if (!Arrays.equals(e.getValue().shape(), want)) {
                throw new ShapeException(getClass().getSimpleName() + ".loadStateDict: '" + key + "' has shape "
                        + Arrays.toString(e.getValue().shape()) + ", parameter " + index + " needs " + Arrays.toString(want));
            }
            fresh.get(index).put(name, e.getValue().toFloatArray());
        }
        for (int i = 0; i < params.size(); i++) {
            state.get(i).clear();
            state.get(i).putAll(fresh.get(i));
        }
    }

    /** Buffers that hold one number per parameter rather than one per element. */
    protected boolean isScalarBuffer(String name) { return name.equals("step"); }

    /** The parameter's own fp32 array, which updates write into. */
    static float[] values(Parameter p, String who) {
        Tensor v = p.value();
        if (v.storage() instanceof FloatStorage fs && v.offset() == 0 && v.isContiguous() && fs.array().length == v.numel()) {
            return fs.array();
        }
        throw new TensorException(who + " is not a dense fp32 tensor (dtype " + v.dtype() + ", shape "
                + Arrays.toString(v.shape()) + "); values replaced via Parameter.set must be dense fp32; call Parameter.trainable() again");
    }

    static void checkNonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("invalid " + name + ": " + v + " (must be finite and ≥ 0)");
    }
}
