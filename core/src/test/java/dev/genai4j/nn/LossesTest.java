package dev.genai4j.nn;

import dev.genai4j.tensor.GradCheck;
import dev.genai4j.tensor.IndexOutOfRangeException;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.genai4j.nn.NnTesting.*;
import static org.junit.jupiter.api.Assertions.*;

class LossesTest {
    /** Per-row PyTorch cross-entropy with label smoothing ε, by loops in double. */
    private static double ceRow(float[] z, int row, int c, int y, double eps) {
        double max = Double.NEGATIVE_INFINITY, s = 0;
        for (int j = 0; j < c; j++) max = Math.max(max, z[row * c + j]);
        for (int j = 0; j < c; j++) s += Math.exp(z[row * c + j] - max);
        double lse = max + Math.log(s), all = 0;
        for (int j = 0; j < c; j++) all += lse - z[row * c + j];
        return (1 - eps) * (lse - z[row * c + y]) + eps / c * all;
    }

    @Test
    void crossEntropyKnownValue() {
        // F.cross_entropy([[1, 2, 3]], [0]) = log(e + e² + e³) − 1
        Tensor logits = Tensor.of(new float[]{1, 2, 3}, 1, 3);
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertEquals(lse - 1, Losses.crossEntropy(logits, ids(new int[]{0}, 1)).item(), 1e-6);
        assertEquals(2.4076059644443806, lse - 1, 1e-12);
        // label_smoothing=0.1: 0.9·(lse − 1) + 0.1/3·(3·lse − 6)
        double smoothed = 0.9 * (lse - 1) + 0.1 / 3 * (3 * lse - 6);
        assertEquals(smoothed, Losses.crossEntropy(logits, ids(new int[]{0}, 1), -100, 0.1f, Reduction.MEAN).item(), 1e-6);
    }

    @Test
    void crossEntropyReductionsIgnoreIndexAndSmoothing() {
        Tensor logits = randn(1, 5, 4).mul(2f);
        float[] z = logits.toFloatArray();
        int[] y = {3, -100, 0, 2, -100};
        Tensor targets = ids(y, 5);
        for (float eps : new float[]{0f, 0.2f}) {
            double[] per = new double[5];
            double sum = 0;
            for (int i = 0; i < 5; i++) {
                per[i] = y[i] == -100 ? 0 : ceRow(z, i, 4, y[i], eps);
                sum += per[i];
            }
            assertClose(per, Losses.crossEntropy(logits, targets, -100, eps, Reduction.NONE), 1e-6, "none eps=" + eps);
            assertEquals(sum, Losses.crossEntropy(logits, targets, -100, eps, Reduction.SUM).item(), 1e-5);
            assertEquals(sum / 3, Losses.crossEntropy(logits, targets, -100, eps, Reduction.MEAN).item(), 1e-5, "mean over the 3 non-ignored");
        }
        // a custom ignore_index; −100 is then an ordinary (out-of-range) target
        Tensor t2 = ids(new int[]{3, 1, 0, 2, 1}, 5);
        double expect = (ceRow(z, 0, 4, 3, 0) + ceRow(z, 2, 4, 0, 0) + ceRow(z, 3, 4, 2, 0)) / 3;
        assertEquals(expect, Losses.crossEntropy(logits, t2, 1, 0f, Reduction.MEAN).item(), 1e-5);
        assertThrows(IndexOutOfRangeException.class, () -> Losses.crossEntropy(logits, targets, 1, 0f, Reduction.MEAN));
        // nothing counted: 0/0 = NaN, as PyTorch
        assertTrue(Float.isNaN(Losses.crossEntropy(logits, ids(new int[]{-100, -100, -100, -100, -100}, 5)).item()));
    }

    @Test
    void crossEntropyOverSequencesEqualsFlattened() {
        Tensor logits = randn(2, 2, 3, 5);
        Tensor targets = ids(new int[]{4, 0, -100, 1, 1, 3}, 2, 3);
        assertEquals(Losses.crossEntropy(logits.reshape(6, 5), targets.reshape(6)).item(), Losses.crossEntropy(logits, targets).item(), 1e-7);
        assertShape(Losses.crossEntropy(logits, targets, -100, 0f, Reduction.NONE), 2, 3);
        ShapeException e = assertThrows(ShapeException.class, () -> Losses.crossEntropy(logits, ids(new int[]{0, 1}, 2)));
        assertTrue(e.getMessage().contains("crossEntropy"), e.getMessage());
        assertThrows(IndexOutOfRangeException.class, () -> Losses.crossEntropy(logits, ids(new int[]{5, 0, 0, 0, 0, 0}, 2, 3)));
    }

    @Test
    void bceWithLogitsIsStableAndWeighted() {
        float[] x = {-3f, -0.5f, 0f, 0.7f, 2.5f, 1.2f}, y = {0f, 1f, 1f, 0f, 1f, 0.3f};
        float[] pw = {2f, 0.5f, 3f};                                 // over the last axis of [2, 3]
        double[] plain = new double[6], weighted = new double[6];
        for (int i = 0; i < 6; i++) {
            double s = 1 / (1 + Math.exp(-x[i]));
            plain[i] = -(y[i] * Math.log(s) + (1 - y[i]) * Math.log(1 - s));
            weighted[i] = -(pw[i % 3] * y[i] * Math.log(s) + (1 - y[i]) * Math.log(1 - s));
        }
        Tensor xt = Tensor.of(x, 2, 3), yt = Tensor.of(y, 2, 3);
        assertClose(plain, Losses.bceWithLogits(xt, yt, null, Reduction.NONE), 1e-6, "bce");
        assertClose(weighted, Losses.bceWithLogits(xt, yt, Tensor.of(pw, 3), Reduction.NONE), 1e-6, "bce pos_weight");
        double mean = 0;
        for (double v : plain) mean += v / 6;
        assertEquals(mean, Losses.bceWithLogits(xt, yt).item(), 1e-6);
        // saturated logits stay finite: the naive log(σ) form would give ∞ / NaN
        float[] big = Losses.bceWithLogits(Tensor.of(new float[]{100f, -100f, 100f}, 3), Tensor.of(new float[]{0f, 1f, 1f}, 3), null, Reduction.NONE).toFloatArray();
        assertArrayEquals(new float[]{100f, 100f, 0f}, big, 1e-6f);
    }

    @Test
    void sigmoidFocalLossMatchesTorchvision() {
        float[] x = {-1.5f, 0.2f, 2f, -0.3f}, y = {0f, 1f, 1f, 0f};
        Tensor xt = Tensor.of(x, 4), yt = Tensor.of(y, 4);
        double[] expect = new double[4], noAlpha = new double[4];
        for (int i = 0; i < 4; i++) {
            double p = 1 / (1 + Math.exp(-x[i]));
            double ce = -(y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p));
            double pt = p * y[i] + (1 - p) * (1 - y[i]);
            noAlpha[i] = ce * (1 - pt) * (1 - pt);
            expect[i] = (0.25 * y[i] + 0.75 * (1 - y[i])) * noAlpha[i];
        }
        assertClose(expect, Losses.sigmoidFocalLoss(xt, yt, 0.25f, 2f, Reduction.NONE), 1e-6, "focal");
        assertClose(noAlpha, Losses.sigmoidFocalLoss(xt, yt, -1f, 2f, Reduction.NONE), 1e-6, "focal, alpha off");
        double sum = 0;
        for (double v : expect) sum += v;
        assertEquals(sum, Losses.sigmoidFocalLoss(xt, yt, 0.25f, 2f, Reduction.SUM).item(), 1e-6);
        assertArrayEquals(Losses.bceWithLogits(xt, yt, null, Reduction.NONE).toFloatArray(),
                Losses.sigmoidFocalLoss(xt, yt, -1f, 0f, Reduction.NONE).toFloatArray(), "γ = 0, no α is BCE");
    }

    @Test
    void mse() {
        Tensor a = Tensor.of(new float[]{1, 2, 3, 4}, 2, 2), b = Tensor.of(new float[]{0, 2, 5, 3}, 2, 2);
        assertEquals(1.5f, Losses.mse(a, b).item(), 1e-7);                // (1 + 0 + 4 + 1) / 4
        assertEquals(6f, Losses.mse(a, b, Reduction.SUM).item(), 1e-7);
        assertArrayEquals(new float[]{1, 0, 4, 1}, Losses.mse(a, b, Reduction.NONE).toFloatArray());
        ShapeException e = assertThrows(ShapeException.class, () -> Losses.mse(a, Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("mse"), e.getMessage());
    }

    @Test
    void gradients() {
        Tensor targets = ids(new int[]{2, -100, 0, 1}, 4);
        GradCheck.check("cross entropy", in -> Losses.crossEntropy(in.get(0), targets, -100, 0.1f, Reduction.MEAN), GradCheck.input(1, 4, 3));
        GradCheck.check("cross entropy none", in -> Losses.crossEntropy(in.get(0), targets, -100, 0f, Reduction.NONE), GradCheck.input(2, 4, 3));
        Tensor y = Tensor.of(new float[]{0, 1, 1, 0, 0.5f, 1}, 2, 3);
        GradCheck.check("bce", in -> Losses.bceWithLogits(in.get(0), y, in.get(1), Reduction.MEAN),
                GradCheck.input(3, 2, 3), Tensor.of(new float[]{1.5f, 0.5f, 2f}, 3).requiresGrad(true));
        GradCheck.check("focal", in -> Losses.sigmoidFocalLoss(in.get(0), y, 0.25f, 2f, Reduction.MEAN), GradCheck.input(4, 2, 3));
        GradCheck.check("mse", in -> Losses.mse(in.get(0), in.get(1)), GradCheck.input(5, 2, 3), GradCheck.input(6, 2, 3));
    }
}
