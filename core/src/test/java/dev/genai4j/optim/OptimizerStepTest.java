package dev.genai4j.optim;

import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.TensorException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OptimizerStepTest {
    private static final double[] P0 = {1.0, -2.0, 0.5, 0.0};
    /** Gradients of three steps; element 2 shrinks after a large first step, which exercises amsgrad's max. */
    private static final double[][] GRADS = {{0.5, -1.0, 3.0, 0.1}, {0.25, 0.5, 0.01, -0.2}, {-0.4, 0.3, 0.02, 0.0}};

    private static Parameter param() {
        float[] d = new float[P0.length];
        for (int i = 0; i < d.length; i++) d[i] = (float) P0[i];
        return new Parameter(Tensor.of(d, 2, 2)).trainable();
    }

    private static void setGrad(Parameter p, double[] g) {
        float[] d = new float[g.length];
        for (int i = 0; i < d.length; i++) d[i] = (float) g[i];
        p.value().setGrad(Tensor.of(d, 2, 2));
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2e-6 * Math.max(1, Math.abs(expected[i])), what + " element " + i);
        }
    }

    /** torch.optim.AdamW's documented algorithm, in double. */
    private static double[][] adamwReference(double lr, double b1, double b2, double eps, double wd, boolean amsgrad) {
        double[] p = P0.clone(), m = new double[p.length], v = new double[p.length], vMax = new double[p.length];
        double[][] after = new double[GRADS.length][];
        for (int t = 1; t <= GRADS.length; t++) {
            double[] g = GRADS[t - 1];
            for (int i = 0; i < p.length; i++) {
                p[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                vMax[i] = Math.max(vMax[i], v[i]);
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = (amsgrad ? vMax[i] : v[i]) / (1 - Math.pow(b2, t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
            after[t - 1] = p.clone();
        }
        return after;
    }

    @Test
    void adamwFirstStepByHand() {
        Parameter p = param();
        AdamW opt = new AdamW(List.of(p), 0.1, 0.9, 0.999, 1e-8, 0.01, false);
        setGrad(p, GRADS[0]);
        opt.step();
        // bias-corrected first step moves each weight by lr·sign(g) after the decay p·(1 − lr·wd)
        assertArrayEquals(new float[]{0.899f, -1.898f, 0.3995f, -0.1f}, p.value().toFloatArray(), 1e-6f);
    }

    @Test
    void adamwMatchesTheAlgorithmForThreeSteps() {
        for (boolean amsgrad : new boolean[]{false, true}) {
            Parameter p = param();
            AdamW opt = new AdamW(List.of(p), 0.05, 0.8, 0.95, 1e-3, 0.1, amsgrad);
            double[][] want = adamwReference(0.05, 0.8, 0.95, 1e-3, 0.1, amsgrad);
            for (int t = 0; t < GRADS.length; t++) {
                setGrad(p, GRADS[t]);
                opt.step();
                assertClose(want[t], p.value().toFloatArray(), "amsgrad=" + amsgrad + " step " + (t + 1));
            }
            assertEquals(3f, opt.stateDict().get("state.0.step").item());
        }
        // amsgrad changes the result once v shrinks
        double[][] plain = adamwReference(0.05, 0.8, 0.95, 1e-3, 0.1, false), ams = adamwReference(0.05, 0.8, 0.95, 1e-3, 0.1, true);
        assertEquals(true, Math.abs(plain[2][2] - ams[2][2]) > 1e-3);
    }

    /** torch.optim.SGD's documented algorithm, in double. */
    private static double[][] sgdReference(double lr, double mu, double damp, double wd, boolean nesterov) {
        double[] p = P0.clone(), buf = null;
        double[][] after = new double[GRADS.length][];
        for (int t = 0; t < GRADS.length; t++) {
            double[] d = new double[p.length];
            for (int i = 0; i < p.length; i++) d[i] = GRADS[t][i] + wd * p[i];
            if (mu != 0) {
                if (buf == null) buf = d.clone();
                else for (int i = 0; i < p.length; i++) buf[i] = mu * buf[i] + (1 - damp) * d[i];
                for (int i = 0; i < p.length; i++) d[i] = nesterov ? d[i] + mu * buf[i] : buf[i];
            }
            for (int i = 0; i < p.length; i++) p[i] -= lr * d[i];
            after[t] = p.clone();
        }
        return after;
    }

    @Test
    void sgdMatchesTheAlgorithmForThreeSteps() {
        double[][] settings = {{0.1, 0, 0, 0, 0}, {0.1, 0.9, 0, 0.01, 0}, {0.2, 0.5, 0.3, 0, 0}, {0.1, 0.9, 0, 0.05, 1}};
        for (double[] s : settings) {
            Parameter p = param();
            Sgd opt = new Sgd(List.of(p), s[0], s[1], s[2], s[3], s[4] == 1);
            double[][] want = sgdReference(s[0], s[1], s[2], s[3], s[4] == 1);
            for (int t = 0; t < GRADS.length; t++) {
                setGrad(p, GRADS[t]);
                opt.step();
                assertClose(want[t], p.value().toFloatArray(), java.util.Arrays.toString(s) + " step " + (t + 1));
            }
        }
        // plain SGD by hand: 1 − 0.1·0.5 = 0.95
        Parameter p = param();
        setGrad(p, GRADS[0]);
        new Sgd(List.of(p), 0.1).step();
        assertEquals(0.95f, p.value().get(0, 0), 1e-7f);
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(param()), 0.1, 0, 0, 0, true));
    }

    @Test
    void stateDictResumesExactly() {
        for (boolean adam : new boolean[]{true, false}) {
            Parameter a = param(), b = param();
            Optimizer first = adam ? new AdamW(List.of(a), 0.05, 0.9, 0.99, 1e-8, 0.1, true) : new Sgd(List.of(a), 0.1, 0.9, 0.1, 0.01, false);
            for (int t = 0; t < 2; t++) { setGrad(a, GRADS[t]); first.step(); }
            Map<String, Tensor> saved = first.stateDict();
            b.set(Tensor.of(a.value().toFloatArray(), 2, 2));
            Optimizer resumed = adam ? new AdamW(List.of(b), 0.05, 0.9, 0.99, 1e-8, 0.1, true) : new Sgd(List.of(b), 0.1, 0.9, 0.1, 0.01, false);
            resumed.loadStateDict(saved);
            setGrad(a, GRADS[2]);
            first.step();
            setGrad(b, GRADS[2]);
            resumed.step();
            assertArrayEquals(a.value().toFloatArray(), b.value().toFloatArray(), 0f);
            assertEquals(saved.keySet(), resumed.stateDict().keySet());
        }
    }

    @Test
    void stepSkipsMissingGradientsAndZeroGradClears() {
        Parameter p = param(), q = param();
        AdamW opt = new AdamW(List.of(p, q), 0.1);
        setGrad(p, GRADS[0]);
        opt.step();
        assertArrayEquals(new float[]{1, -2, 0.5f, 0}, q.value().toFloatArray());
        assertEquals(3, opt.stateDict().size());   // step, exp_avg, exp_avg_sq of parameter 0 only
        opt.zeroGrad();
        assertEquals(null, p.grad());
    }

    @Test
    void rejectsNonTrainableValuesAndBadState() {
        // the constructor makes a strided view trainable (a dense copy with requiresGrad) ...
        Parameter view = new Parameter(Tensor.of(new float[]{1, 2, 3, 4, 5}, 5).narrow(0, 1, 4).reshape(2, 2));
        Sgd sgd = new Sgd(List.of(view), 0.1);
        assertEquals(true, view.value().requiresGrad());
        view.value().setGrad(Tensor.ones(2, 2));
        sgd.step();
        assertArrayEquals(new float[]{1.9f, 2.9f, 3.9f, 4.9f}, view.value().toFloatArray(), 1e-6f);
        // ... but a strided value swapped in later cannot be updated in place
        view.set(Tensor.of(new float[]{1, 2, 3, 4, 5}, 5).narrow(0, 1, 4).reshape(2, 2));
        view.value().setGrad(Tensor.ones(2, 2));
        assertThrows(TensorException.class, sgd::step);
        AdamW opt = new AdamW(List.of(param()), 0.1);
        assertThrows(TensorException.class, () -> opt.loadStateDict(Map.of("state.3.exp_avg", Tensor.zeros(2, 2))));
        assertThrows(dev.genai4j.tensor.ShapeException.class, () -> opt.loadStateDict(Map.of("state.0.exp_avg", Tensor.zeros(4))));
    }
}
