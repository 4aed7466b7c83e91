package dev.genai4j.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Finite-difference gradient check: compares autograd's gradient of {@code sum(f(inputs) · w)}
 * (w a fixed random weighting, so every output element matters differently) with central
 * differences in double-checked fp32. Inputs should be small (a few dozen elements) and away
 * from kinks (relu at 0, max ties).
 */
public final class GradCheck {
    private GradCheck() {}

    public static void check(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        check(name, f, 1e-2f, 2e-2, inputs);
    }

    public static void check(String name, Function<List<Tensor>, Tensor> f, float eps, double tol, Tensor... inputs) {
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = Tensor.of(inputs[i].toFloatArray(), inputs[i].shape()).requiresGrad(inputs[i].requiresGrad());
        }
        Tensor out = f.apply(List.of(leaves));
        Tensor weight = Tensor.randn(new Rng(1234), out.shape());
        Tensor loss = out.mul(weight).sum();
        loss.backward();
        for (int i = 0; i < leaves.length; i++) {
            if (!leaves[i].requiresGrad()) continue;
            Tensor g = leaves[i].grad();
            if (g == null) fail(name + ": input " + i + " got no gradient");
            float[] analytic = g.toFloatArray();
            float[] base = leaves[i].toFloatArray();
            for (int j = 0; j < base.length; j++) {
                double plus = evalWith(f, leaves, i, j, base, base[j] + eps, weight);
                double minus = evalWith(f, leaves, i, j, base, base[j] - eps, weight);
                double numeric = (plus - minus) / (2 * eps);
                double diff = Math.abs(numeric - analytic[j]);
                if (diff > tol * Math.max(1.0, Math.abs(numeric))) {
                    fail(name + ": d/d input" + i + Arrays.toString(leaves[i].shape()) + "[" + j + "] analytic "
                            + analytic[j] + " vs numeric " + numeric);
                }
            }
        }
    }

    private static double evalWith(Function<List<Tensor>, Tensor> f, Tensor[] leaves, int which, int elem,
                                   float[] base, float value, Tensor weight) {
        try (var g = NoGrad.enter()) {
            Tensor[] ins = new Tensor[leaves.length];
            for (int i = 0; i < leaves.length; i++) {
                if (i == which) {
                    float[] d = base.clone();
                    d[elem] = value;
                    ins[i] = Tensor.of(d, leaves[i].shape());
                } else {
                    ins[i] = leaves[i].detach();
                }
            }
            Tensor out = f.apply(List.of(ins));
            float[] o = out.toFloatArray(), w = weight.toFloatArray();
            double s = 0;
            for (int k = 0; k < o.length; k++) s += (double) o[k] * w[k];
            return s;
        }
    }

    /** A random input that wants a gradient. */
    public static Tensor input(long seed, int... shape) {
        return Tensor.randn(new Rng(seed), shape).requiresGrad(true);
    }
}
