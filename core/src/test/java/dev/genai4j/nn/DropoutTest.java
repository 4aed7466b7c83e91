package dev.genai4j.nn;

import dev.genai4j.tensor.GradCheck;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.genai4j.nn.NnTesting.randn;
import static org.junit.jupiter.api.Assertions.*;

class DropoutTest {
    @Test
    void trainingZeroesAboutPAndScalesSurvivors() {
        Tensor x = randn(1, 100, 100);
        Dropout d = new Dropout(0.25f, new Rng(9));
        float[] in = x.toFloatArray(), out = d.forward(x).toFloatArray();
        int zeros = 0;
        for (int i = 0; i < in.length; i++) {
            if (out[i] == 0f) zeros++;
            else assertEquals(in[i] / 0.75f, out[i], 1e-6f * Math.abs(out[i]) + 1e-7f);
        }
        assertEquals(0.25, zeros / 10000.0, 0.02);
        // the same seed gives the same mask
        assertArrayEquals(out, new Dropout(0.25f, new Rng(9)).forward(x).toFloatArray());
    }

    @Test
    void evalModeAndZeroPAreIdentity() {
        Tensor x = randn(2, 3, 4);
        Dropout d = new Dropout(0.5f, new Rng(1));
        d.eval();
        assertSame(x, d.forward(x));
        assertSame(x, new Dropout(0f, null).forward(x));
        for (float v : new Dropout(1f, new Rng(1)).forward(x).toFloatArray()) assertEquals(0.0, v, 0.0);   // p = 1 drops all (x·0, as ATen)
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5f, new Rng(1)));
    }

    @Test
    void gradientIsTheScaledMask() {
        Tensor x = randn(3, 50).requiresGrad(true);
        Tensor y = new Dropout(0.5f, new Rng(2)).forward(x);
        y.sum().backward();
        float[] g = x.grad().toFloatArray(), o = y.toFloatArray();
        for (int i = 0; i < g.length; i++) assertEquals(o[i] == 0f ? 0f : 2f, g[i]);
    }

    @Test
    void finiteDifferenceGradientWithAFixedMask() {
        // a fresh Rng with the same seed per call draws the same mask every evaluation
        GradCheck.check("dropout", in -> new Dropout(0.3f, new Rng(11)).forward(in.get(0)), GradCheck.input(12, 3, 5));
    }
}
