package dev.genai4j.nn;

import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or model: named parameters and named child modules, with PyTorch-style state-dict
 * names ({@code layers.0.attn.Wqkv.weight}) so that published checkpoints load without renaming.
 * Subclasses register what they own in their constructor with {@link #param} and {@link #child}.
 */
public abstract class Module {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a parameter under {@code name} (a leaf name such as {@code weight}). */
    protected final Parameter param(String name, Tensor value) {
        if (params.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("duplicate name " + name + " in " + getClass().getSimpleName());
        }
        Parameter p = new Parameter(value);
        params.put(name, p);
        return p;
    }

    /** Registers a child module under {@code name} (dots allowed: {@code layers.3}). */
    protected final <M extends Module> M child(String name, M module) {
        if (module == null) return null;
        if (params.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("duplicate name " + name + " in " + getClass().getSimpleName());
        }
        children.put(name, module);
        return module;
    }

    /** Every parameter with its full dotted name, in registration order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        for (var e : params.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", out);
    }

    public final List<Parameter> parameters() { return new ArrayList<>(namedParameters().values()); }

    public final Map<String, Module> children() { return Collections.unmodifiableMap(children); }

    /** Name → current value of every parameter (what a checkpoint stores). */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((k, p) -> out.put(k, p.value()));
        return out;
    }

    /**
     * Copies values in by name. {@code strict}: every parameter must be present and nothing
     * else may be; shapes must match exactly.
     */
    public final void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Parameter> mine = namedParameters();
        List<String> missing = new ArrayList<>();
        for (var e : mine.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t == null) { missing.add(e.getKey()); continue; }
            if (!Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new dev.genai4j.tensor.ShapeException("loadStateDict: " + e.getKey() + " has shape "
                        + Arrays.toString(t.shape()) + ", the module expects " + Arrays.toString(e.getValue().shape()));
            }
            e.getValue().set(t);
        }
        if (strict) {
            List<String> unexpected = new ArrayList<>();
            for (String k : state.keySet()) if (!mine.containsKey(k)) unexpected.add(k);
            if (!missing.isEmpty() || !unexpected.isEmpty()) {
                throw new IllegalArgumentException("loadStateDict: missing " + missing + ", unexpected " + unexpected);
            }
        }
    }

    /** Training mode (dropout active) or evaluation mode; applies to all children. */
    public final Module train(boolean on) {
        training = on;
        for (Module m : children.values()) m.train(on);
        return this;
    }

    public final Module eval() { return train(false); }

    public final boolean isTraining() { return training; }

    /** Makes every parameter a trainable fp32 leaf (see {@link Parameter#trainable()}). */
    public final Module trainable() {
        for (Parameter p : parameters()) p.trainable();
        return this;
    }

    public final void zeroGrad() {
        for (Parameter p : parameters()) p.value().zeroGrad();
    }

    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.value().numel();
        return n;
    }
}
