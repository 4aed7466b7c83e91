package dev.genai4j.nn;

import dev.genai4j.tensor.GradCheck;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.genai4j.nn.NnTesting.*;
import static org.junit.jupiter.api.Assertions.*;

class NormsTest {
    private static double[] layerNormRef(float[] x, int d, float[] w, float[] b, double eps) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / d; r++) {
            double mean = 0, var = 0;
            for (int j = 0; j < d; j++) mean += x[r * d + j];
            mean /= d;
            for (int j = 0; j < d; j++) var += (x[r * d + j] - mean) * (x[r * d + j] - mean);
            var /= d;                                                   // biased
            for (int j = 0; j < d; j++) y[r * d + j] = (x[r * d + j] - mean) / Math.sqrt(var + eps) * w[j] + (b == null ? 0 : b[j]);
        }
        return y;
    }

    private static double[] rmsNormRef(float[] x, int d, float[] w, boolean offset, double eps) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / d; r++) {
            double ms = 0;
            for (int j = 0; j < d; j++) ms += (double) x[r * d + j] * x[r * d + j];
            ms /= d;
            for (int j = 0; j < d; j++) y[r * d + j] = x[r * d + j] / Math.sqrt(ms + eps) * (offset ? 1 + w[j] : w[j]);
        }
        return y;
    }

    @Test
    void layerNormMatchesBiasedVarianceFormula() {
        Tensor x = randn(1, 2, 3, 5).mul(3f).add(1f), w = randn(2, 5), b = randn(3, 5);
        Tensor y = LayerNorm.load(weights("weight", w, "bias", b), 5, 1e-5f, true).forward(x);
        assertShape(y, 2, 3, 5);
        assertClose(layerNormRef(x.toFloatArray(), 5, w.toFloatArray(), b.toFloatArray(), 1e-5), y, 1e-5, "layernorm");
        Tensor y2 = LayerNorm.load(weights("weight", w), 5, 1e-5f, false).forward(x);
        assertClose(layerNormRef(x.toFloatArray(), 5, w.toFloatArray(), null, 1e-5), y2, 1e-5, "layernorm no bias");
        // a hand case: [1, 2, 3] has mean 2, biased variance 2/3
        double s = Math.sqrt(2.0 / 3 + 1e-5);
        assertClose(new double[]{-1 / s, 0, 1 / s}, new LayerNorm(3, 1e-5f, true).forward(Tensor.of(new float[]{1, 2, 3}, 3)), 1e-6, "hand");
    }

    @Test
    void rmsNormPlainAndOffset() {
        Tensor x = randn(4, 3, 6), w = randn(5, 6);
        assertClose(rmsNormRef(x.toFloatArray(), 6, w.toFloatArray(), false, 1e-6), RMSNorm.load(weights("weight", w), 6, 1e-6f, false).forward(x), 1e-5, "rms");
        assertClose(rmsNormRef(x.toFloatArray(), 6, w.toFloatArray(), true, 1e-6), RMSNorm.load(weights("weight", w), 6, 1e-6f, true).forward(x), 1e-5, "rms (1+w)");
        // fresh layers are the pure normalization: [3, 4] → [3, 4] / sqrt(12.5)
        double r = Math.sqrt(12.5 + 1e-6);
        for (boolean offset : new boolean[]{false, true}) {
            assertClose(new double[]{3 / r, 4 / r}, new RMSNorm(2, 1e-6f, offset).forward(Tensor.of(new float[]{3, 4}, 2)), 1e-6, "fresh rms");
        }
    }

    @Test
    void stateDictNamesAndShapeErrors() {
        assertEquals(List.of("weight", "bias"), List.copyOf(new LayerNorm(4, 1e-5f, true).stateDict().keySet()));
        assertEquals(List.of("weight"), List.copyOf(new LayerNorm(4, 1e-5f, false).stateDict().keySet()));
        assertEquals(List.of("weight"), List.copyOf(new RMSNorm(4, 1e-5f, false).stateDict().keySet()));
        ShapeException e = assertThrows(ShapeException.class, () -> new LayerNorm(4, 1e-5f, true).forward(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("LayerNorm(4)"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> new RMSNorm(4, 1e-5f, false).forward(Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("RMSNorm(4)"), e.getMessage());
    }

    @Test
    void gradients() {
        GradCheck.check("layernorm", in -> LayerNorm.load(weights("weight", in.get(1), "bias", in.get(2)), 4, 1e-5f, true).forward(in.get(0)),
                GradCheck.input(1, 3, 4), GradCheck.input(2, 4), GradCheck.input(3, 4));
        GradCheck.check("rmsnorm", in -> RMSNorm.load(weights("weight", in.get(1)), 4, 1e-6f, false).forward(in.get(0)),
                GradCheck.input(4, 3, 4), GradCheck.input(5, 4));
        GradCheck.check("rmsnorm offset", in -> RMSNorm.load(weights("weight", in.get(1)), 4, 1e-6f, true).forward(in.get(0)),
                GradCheck.input(6, 2, 4), GradCheck.input(7, 4));
    }
}
