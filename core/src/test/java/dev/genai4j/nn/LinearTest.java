package dev.genai4j.nn;

import dev.genai4j.io.MissingWeightException;
import dev.genai4j.tensor.GradCheck;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.genai4j.nn.NnTesting.*;
import static org.junit.jupiter.api.Assertions.*;

class LinearTest {
    private static double[] reference(float[] x, int rows, float[] w, float[] b, int in, int out) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) s += (double) x[r * in + i] * w[o * in + i];
                y[r * out + o] = s;
            }
        return y;
    }

    @Test
    void forwardMatchesLoopsWithAndWithoutBias() {
        Tensor w = randn(1, 5, 3), b = randn(2, 5), x = randn(3, 2, 4, 3);
        Linear withBias = Linear.load(weights("weight", w, "bias", b), 3, 5, true);
        Tensor y = withBias.forward(x);
        assertShape(y, 2, 4, 5);
        assertClose(reference(x.toFloatArray(), 8, w.toFloatArray(), b.toFloatArray(), 3, 5), y, 1e-5, "linear+bias");
        Linear noBias = Linear.load(weights("weight", w), 3, 5, false);
        assertClose(reference(x.toFloatArray(), 8, w.toFloatArray(), null, 3, 5), noBias.forward(x), 1e-5, "linear");
        assertShape(noBias.forward(randn(4, 3)), 5);              // a single vector
        assertNull(noBias.bias());
    }

    /** The inference entry into a caller's array: the same values as forward, stale contents overwritten, short arrays refused. */
    @Test
    void forwardIntoMatchesLoopsOverwritesStaleValuesAndRefusesShortArrays() {
        Tensor w = randn(7, 6, 4), b = randn(8, 6), x = randn(9, 5, 4);
        Linear withBias = Linear.load(weights("weight", w, "bias", b), 4, 6, true);
        float[] y = new float[5 * 6 + 3];
        java.util.Arrays.fill(y, 1e9f);                                  // a reused buffer's old contents
        withBias.forwardInto(x.toFloatArray(), 5, y);
        assertClose(reference(x.toFloatArray(), 5, w.toFloatArray(), b.toFloatArray(), 4, 6),
                Tensor.of(java.util.Arrays.copyOf(y, 30), 5, 6), 1e-5, "forwardInto + bias");
        assertEquals(1e9f, y[30], "nothing past rows·out is written");
        Linear bf = Linear.load(weights("weight", bf16(w)), 4, 6, false);
        float[] yb = new float[30];
        bf.forwardInto(x.toFloatArray(), 5, yb);
        assertClose(reference(x.toFloatArray(), 5, roundBf16(w), null, 4, 6), Tensor.of(yb, 5, 6), 1e-5, "forwardInto, bf16 weight");
        assertClose(bf.forward(x).toFloatArray(), yb, 0, "forwardInto equals forward");
        ShapeException e = assertThrows(ShapeException.class, () -> withBias.forwardInto(x.toFloatArray(), 5, new float[29]));
        assertTrue(e.getMessage().contains("y of 30 floats, got 20 and 29"), e.getMessage());
        assertThrows(ShapeException.class, () -> withBias.forwardInto(new float[19], 5, new float[30]));
    }

    @Test
    void memoryMappedBf16WeightIsUsedInPlace() {
        Tensor w = randn(5, 6, 4), x = randn(6, 3, 4);
        Linear lin = Linear.load(weights("weight", bf16(w)), 4, 6, false);
        assertClose(reference(x.toFloatArray(), 3, roundBf16(w), null, 4, 6), lin.forward(x), 1e-5, "bf16 linear");
    }

    @Test
    void manyLeadingAxesStridedInputAndBf16WeightInOneProduct() {
        Tensor w = randn(30, 6, 4), x = randn(31, 2, 3, 2, 4);
        Linear lin = Linear.load(weights("weight", bf16(w)), 4, 6, false);
        Tensor y = lin.forward(x);
        assertShape(y, 2, 3, 2, 6);
        assertClose(reference(x.toFloatArray(), 12, roundBf16(w), null, 4, 6), y, 1e-5, "4-d input, bf16 weight");
        Tensor xt = randn(32, 3, 2, 4).transpose(0, 1);              // [2, 3, 4], not contiguous
        assertClose(reference(xt.contiguous().toFloatArray(), 6, roundBf16(w), null, 4, 6), lin.forward(xt), 1e-5, "strided input");
        Tensor xg = x.detach().requiresGrad(true);
        lin.forward(xg).sum().backward();                             // dx = Σ_o w[o, :] for every row
        float[] wr = roundBf16(w), colSum = new float[4];
        for (int o = 0; o < 6; o++) for (int i = 0; i < 4; i++) colSum[i] += wr[o * 4 + i];
        float[] dx = xg.grad().toFloatArray();
        for (int r = 0; r < 12; r++) assertClose(colSum, java.util.Arrays.copyOfRange(dx, r * 4, r * 4 + 4), 1e-5, "dx row " + r);
    }

    @Test
    void defaultInitIsUniformWithinOneOverSqrtFanIn() {
        Linear lin = new Linear(16, 32, true, new Rng(0));
        double bound = 1 / Math.sqrt(16);
        for (Tensor t : List.of(lin.weight().value(), lin.bias().value())) {
            float[] v = t.toFloatArray();
            double min = 1, max = -1;
            for (float f : v) { min = Math.min(min, f); max = Math.max(max, f); }
            assertTrue(min >= -bound && max <= bound, "inside ±1/√in");
            assertTrue(min < -0.8 * bound && max > 0.8 * bound, "spread over the range");
        }
        assertEquals(List.of("weight", "bias"), List.copyOf(lin.stateDict().keySet()));
        assertArrayEquals(new int[]{32, 16}, lin.weight().shape());
    }

    @Test
    void wrongInputOrWeightShapeFailsWithNames() {
        Linear lin = new Linear(3, 2, false, new Rng(0));
        ShapeException e = assertThrows(ShapeException.class, () -> lin.forward(Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().contains("Linear(in=3, out=2)") && e.getMessage().contains("[2, 4]"), e.getMessage());
        ShapeException load = assertThrows(ShapeException.class, () -> Linear.load(weights("proj.weight", Tensor.zeros(3, 2)).sub("proj"), 3, 2, false));
        assertTrue(load.getMessage().contains("proj.weight") && load.getMessage().contains("[2, 3]"), load.getMessage());
        assertThrows(MissingWeightException.class, () -> Linear.load(weights("weight", Tensor.zeros(2, 3)), 3, 2, true));
    }

    @Test
    void gradientsForInputWeightAndBias() {
        GradCheck.check("linear", in -> Linear.load(weights("weight", in.get(1), "bias", in.get(2)), 4, 3, true).forward(in.get(0)),
                GradCheck.input(1, 2, 2, 4), GradCheck.input(2, 3, 4), GradCheck.input(3, 3));
    }
}
