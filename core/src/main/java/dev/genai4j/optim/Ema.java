package dev.genai4j.optim;

import dev.genai4j.nn.Module;
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

/**
 * An exponential moving average of parameter values ("EMA weights"), as diffusers'
 * {@code training_utils.EMAModel}: after each optimizer step, {@link #step()} moves every
 * shadow value by {@code s ← s − (1 − decay)·(s − p)} (parameters that do not require grad are
 * copied). The decay per update follows {@link Schedule}; the diffusers schedules count
 * {@code k = max(0, updates − updateAfterStep − 1)} and use decay 0 (a plain copy) while k = 0,
 * then clamp to [minDecay, decay].
 *
 * <pre>{@code
 * Ema ema = new Ema(model.parameters(), Ema.Config.diffusers(0.9999));
 * ... opt.step(); ema.step();
 * ema.store(model); ema.copyTo(model); evaluate(model); ema.restore(model);
 * }</pre>
 */
public final class Ema {
    /** How the decay evolves with the number of updates. */
    public enum Schedule {
        /** Always {@code decay}, from the first update (no warmup, no update-after delay). */
        CONSTANT,
        /** diffusers' default ({@code use_ema_warmup=False}): (1 + k) / (10 + k). */
        DIFFUSERS,
        /** diffusers' {@code use_ema_warmup=True}: 1 − (1 + k/invGamma)^(−power). */
        DIFFUSERS_WARMUP
    }

    /** Decay settings; names as diffusers' EMAModel arguments. */
    public record Config(double decay, double minDecay, int updateAfterStep, Schedule schedule, double invGamma, double power) {
        public Config {
            if (!(decay >= 0 && decay <= 1) || !(minDecay >= 0 && minDecay <= decay)) {
                throw new IllegalArgumentException("Ema: need 0 ≤ minDecay ≤ decay ≤ 1, got " + minDecay + ", " + decay);
            }
            if (updateAfterStep < 0 || !(invGamma > 0) || !(power > 0)) {
                throw new IllegalArgumentException("Ema: updateAfterStep ≥ 0, invGamma > 0 and power > 0 required, got " + this);
            }
        }

        /** A fixed decay at every update. */
        public static Config constant(double decay) { return new Config(decay, 0, 0, Schedule.CONSTANT, 1, 2.0 / 3); }

        /** diffusers' EMAModel defaults with the given maximum decay. */
        public static Config diffusers(double decay) { return new Config(decay, 0, 0, Schedule.DIFFUSERS, 1, 2.0 / 3); }

        /** diffusers with {@code use_ema_warmup=True}. */
        public static Config diffusersWarmup(double decay, double invGamma, double power) {
            return new Config(decay, 0, 0, Schedule.DIFFUSERS_WARMUP, invGamma, power);
        }
    }

    private final List<Parameter> params;
    private final Config config;
    private final List<float[]> shadow = new ArrayList<>();
    private List<float[]> stored;
    private long updates;

    /** Starts the average at the parameters' current values. */
    public Ema(List<Parameter> params, Config config) {
        this.params = List.copyOf(params);
        this.config = config;
        for (Parameter p : this.params) shadow.add(p.value().toFloatArray());
    }

    /** The decay that update number {@code update} (1-based, as diffusers' optimization_step) uses. */
    public double decayAt(long update) {
        if (config.schedule() == Schedule.CONSTANT) return config.decay();
        long k = Math.max(0, update - config.updateAfterStep() - 1);
        if (k <= 0) return 0.0;
        double d = config.schedule() == Schedule.DIFFUSERS_WARMUP
                ? 1 - Math.pow(1 + k / config.invGamma(), -config.power())
                : (1.0 + k) / (10.0 + k);
        return Math.max(Math.min(d, config.decay()), config.minDecay());
    }

    /** Folds the parameters' current values into the average. */
    public void step() {
        updates++;
        float oneMinus = (float) (1 - decayAt(updates));
        for (int i = 0; i < params.size(); i++) {
            Tensor v = params.get(i).value();
            float[] s = shadow.get(i), p = v.data();
            if (v.requiresGrad()) {
                for (int j = 0; j < s.length; j++) s[j] -= oneMinus * (s[j] - p[j]);
            } else {
                System.arraycopy(p, 0, s, 0, s.length);
            }
        }
    }

    /** Number of {@link #step()} calls so far. */
    public long updates() { return updates; }

    /** A copy of the averaged value of parameter {@code index}. */
    public Tensor shadow(int index) { return Tensor.of(shadow.get(index).clone(), params.get(index).shape()); }

    /** Writes the averaged values into {@code module}'s parameters (same order and shapes as tracked). */
    public void copyTo(Module module) { copyTo(module.parameters()); }

    public void copyTo(List<Parameter> targets) {
        checkSameLayout(targets, "copyTo");
        for (int i = 0; i < targets.size(); i++) assign(targets.get(i), shadow.get(i));
    }

    /** Remembers {@code module}'s current values, e.g. before {@link #copyTo} for an evaluation. */
    public void store(Module module) { store(module.parameters()); }

    public void store(List<Parameter> targets) {
        checkSameLayout(targets, "store");
        stored = new ArrayList<>();
        for (Parameter p : targets) stored.add(p.value().toFloatArray());
    }

    /** Puts back what {@link #store} remembered. */
    public void restore(Module module) { restore(module.parameters()); }

    public void restore(List<Parameter> targets) {
        if (stored == null) throw new IllegalStateException("Ema.restore: nothing stored; call store(...) first");
        checkSameLayout(targets, "restore");
        for (int i = 0; i < targets.size(); i++) assign(targets.get(i), stored.get(i));
        stored = null;
    }

    /** {@code shadow.<i>} per parameter and the update count {@code optimization_step}. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < shadow.size(); i++) out.put("shadow." + i, shadow(i));
        out.put("optimization_step", Tensor.scalar(updates));
        return out;
    }

    public void loadStateDict(Map<String, Tensor> dict) {
        if (dict.size() != shadow.size() + 1 || !dict.containsKey("optimization_step")) {
            throw new TensorException("Ema.loadStateDict: expected shadow.0.." + (shadow.size() - 1) + " and optimization_step, got " + dict.keySet());
        }
        List<float[]> fresh = new ArrayList<>();
        for (int i = 0; i < shadow.size(); i++) {
            Tensor t = dict.get("shadow." + i);
            if (t == null) throw new TensorException("Ema.loadStateDict: missing shadow." + i);
            if (!Arrays.equals(t.shape(), params.get(i).shape())) {
                throw new ShapeException("Ema.loadStateDict: shadow." + i + " has shape " + Arrays.toString(t.shape())
                        + ", parameter " + i + " has " + Arrays.toString(params.get(i).shape()));
            }
            fresh.add(t.toFloatArray());
        }
        for (int i = 0; i < fresh.size(); i++) shadow.set(i, fresh.get(i));
        updates = (long) dict.get("optimization_step").item();
    }

    private void checkSameLayout(List<Parameter> targets, String op) {
        if (targets.size() != params.size()) {
            throw new TensorException("Ema." + op + ": " + targets.size() + " parameters given, the average tracks " + params.size());
        }
        for (int i = 0; i < targets.size(); i++) {
            if (!Arrays.equals(targets.get(i).shape(), params.get(i).shape())) {
                throw new ShapeException("Ema." + op + ": parameter " + i + " has shape " + Arrays.toString(targets.get(i).shape())
                        + ", the average has " + Arrays.toString(params.get(i).shape()));
            }
        }
    }

    /** Writes values in place when the parameter is dense fp32 (optimizers keep pointing at it), else replaces it. */
    private static void assign(Parameter p, float[] values) {
        Tensor v = p.value();
        if (v.storage() instanceof FloatStorage fs && v.offset() == 0 && v.isContiguous() && fs.array().length == values.length) {
            System.arraycopy(values, 0, fs.array(), 0, values.length);
        } else {
            p.set(Tensor.of(values.clone(), p.shape()));
        }
    }
}
