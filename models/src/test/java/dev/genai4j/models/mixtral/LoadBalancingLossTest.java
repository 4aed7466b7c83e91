package dev.genai4j.models.mixtral;

import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** HF load_balancing_loss_func, written out literally ([k, E] token shares × mean probabilities × E). */
class LoadBalancingLossTest {

    /** The HF formula over rows {@code keep} of the stacked logits. */
    private static double reference(float[][] rows, int e, int k) {
        int n = rows.length;
        double[][] tokensPerExpert = new double[k][e];
        double[] probPerExpert = new double[e];
        for (float[] r : rows) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (float v : r) max = Math.max(max, v);
            double[] p = new double[e];
            for (int i = 0; i < e; i++) sum += p[i] = Math.exp(r[i] - max);
            for (int i = 0; i < e; i++) { p[i] /= sum; probPerExpert[i] += p[i] / n; }
            boolean[] used = new boolean[e];
            for (int j = 0; j < k; j++) {
                int best = -1;
                for (int i = 0; i < e; i++) if (!used[i] && (best < 0 || p[i] > p[best])) best = i;
                used[best] = true;
                tokensPerExpert[j][best] += 1.0 / n;
            }
        }
        double loss = 0;
        for (int j = 0; j < k; j++) for (int i = 0; i < e; i++) loss += tokensPerExpert[j][i] * probPerExpert[i];
        return loss * e;
    }

    @Test
    void matchesTheHfFormulaWithAndWithoutMask() {
        Rng rng = new Rng(1);
        int b = 2, t = 5, e = 6, k = 2, layers = 3;
        List<Tensor> logits = List.of(Tensor.randn(rng, b * t, e), Tensor.randn(rng, b * t, e), Tensor.randn(rng, b * t, e));
        float[][] all = new float[layers * b * t][];
        for (int l = 0; l < layers; l++) {
            for (int r = 0; r < b * t; r++) all[l * b * t + r] = logits.get(l).narrow(0, r, 1).toFloatArray();
        }
        assertEquals(reference(all, e, k), LoadBalancingLoss.compute(logits, e, k, null).item(), 1e-5);

        float[] mask = {0, 0, 1, 1, 1, 1, 1, 1, 1, 1};   // row 0 left-padded by 2
        float[][] real = new float[layers * 8][];
        int q = 0;
        for (int l = 0; l < layers; l++) for (int r = 0; r < b * t; r++) if (mask[r] != 0) real[q++] = all[l * b * t + r];
        // padding rows may hold anything (HF's are implementation-defined): NaN must not leak in
        List<Tensor> withNan = List.of(poison(logits.get(0)), poison(logits.get(1)), poison(logits.get(2)));
        assertEquals(reference(real, e, k), LoadBalancingLoss.compute(withNan, e, k, Tensor.of(mask, b, t)).item(), 1e-5);
    }

    @Test
    void uniformRouterGivesK() {
        // every probability 1/E, each token counted in k slots: loss = E · k · (1/E) = k ... with ties broken low
        Tensor zeros = Tensor.zeros(4, 8);
        assertEquals(2.0, LoadBalancingLoss.compute(List.of(zeros), 8, 2, null).item(), 1e-6);
        assertEquals(0.0, LoadBalancingLoss.compute(List.of(), 8, 2, null).item());
        assertThrows(IllegalArgumentException.class, () -> LoadBalancingLoss.compute(List.of(zeros), 8, 9, null));
    }

    private static Tensor poison(Tensor t) {
        float[] d = t.toFloatArray();
        for (int j = 0; j < t.size(1); j++) { d[j] = Float.NaN; d[t.size(1) + j] = Float.NaN; }   // rows 0, 1 (padding)
        return Tensor.of(d, t.shape());
    }
}
