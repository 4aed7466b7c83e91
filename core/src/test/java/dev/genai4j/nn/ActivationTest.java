package dev.genai4j.nn;

import dev.genai4j.tensor.GradCheck;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.genai4j.nn.NnTesting.assertClose;
import static org.junit.jupiter.api.Assertions.*;

class ActivationTest {
    @Test
    void hfNamesMapToFunctions() {
        assertEquals(Activation.GELU, Activation.fromHf("gelu"));
        assertEquals(Activation.GELU_TANH, Activation.fromHf("gelu_new"));
        assertEquals(Activation.GELU_TANH, Activation.fromHf("gelu_pytorch_tanh"));
        assertEquals(Activation.QUICK_GELU, Activation.fromHf("quick_gelu"));
        assertEquals(Activation.SILU, Activation.fromHf("silu"));
        assertEquals(Activation.SILU, Activation.fromHf("swish"));
        assertEquals(Activation.RELU, Activation.fromHf("relu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.fromHf("mish"));
        assertTrue(e.getMessage().contains("mish") && e.getMessage().contains("gelu_pytorch_tanh") && e.getMessage().contains("swish"), e.getMessage());
    }

    @Test
    void valuesMatchTheFormulas() {
        float[] xs = {-2.5f, -0.7f, 0f, 0.3f, 1.9f};
        Tensor x = Tensor.of(xs, 5);
        double[] gelu = new double[5], tanh = new double[5], quick = new double[5], silu = new double[5], relu = new double[5];
        // erf(x/√2) for these (float-rounded) x, from Python's math.erf
        double[] erf = {-0.9875806693484477, -0.51607268810914, 0, 0.23582285347089935, 0.9425668772391904};
        for (int i = 0; i < 5; i++) {
            double v = xs[i];
            gelu[i] = 0.5 * v * (1 + erf[i]);
            tanh[i] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            quick[i] = v / (1 + Math.exp(-1.702 * v));
            silu[i] = v / (1 + Math.exp(-v));
            relu[i] = Math.max(v, 0);
        }
        assertClose(gelu, Activation.GELU.apply(x), 1e-6, "gelu");
        assertClose(tanh, Activation.GELU_TANH.apply(x), 1e-6, "gelu tanh");
        assertClose(quick, Activation.QUICK_GELU.apply(x), 1e-6, "quick gelu");
        assertClose(silu, Activation.SILU.apply(x), 1e-6, "silu");
        assertClose(relu, Activation.RELU.apply(x), 0, "relu");
    }

    @Test
    void gradients() {
        for (Activation a : Activation.values()) {
            // values away from relu's kink at 0
            Tensor x = Tensor.of(new float[]{-2.1f, -0.6f, 0.4f, 1.3f, 2.7f, -1.1f}, 2, 3).requiresGrad(true);
            GradCheck.check(a.name(), in -> a.apply(in.get(0)), 1e-3f, 1e-2, x);
        }
    }
}
