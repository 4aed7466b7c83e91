package dev.genai4j.nn;

import dev.genai4j.tensor.GradCheck;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.genai4j.nn.NnTesting.*;
import static org.junit.jupiter.api.Assertions.*;

class GatedMlpTest {
    private static final int H = 4, I = 3;

    /** down(act(gate·x) ⊙ (up·x)) by loops, with act = silu. */
    private static double[] swigluRef(float[] x, int rows, float[] gate, float[] up, float[] down) {
        double[] y = new double[rows * H];
        for (int r = 0; r < rows; r++) {
            double[] h = new double[I];
            for (int i = 0; i < I; i++) {
                double g = 0, u = 0;
                for (int j = 0; j < H; j++) { g += (double) gate[i * H + j] * x[r * H + j]; u += (double) up[i * H + j] * x[r * H + j]; }
                h[i] = g / (1 + Math.exp(-g)) * u;
            }
            for (int o = 0; o < H; o++) {
                double s = 0;
                for (int i = 0; i < I; i++) s += down[o * I + i] * h[i];
                y[r * H + o] = s;
            }
        }
        return y;
    }

    @Test
    void splitLayoutMatchesLoops() {
        Tensor g = randn(1, I, H), u = randn(2, I, H), d = randn(3, H, I), x = randn(4, 2, 3, H);
        GatedMlp mlp = GatedMlp.loadSplit(weights("w1.weight", g, "w3.weight", u, "w2.weight", d), H, I, Activation.SILU, false, GatedMlp.SplitNames.MIXTRAL);
        Tensor y = mlp.forward(x);
        assertShape(y, 2, 3, H);
        assertClose(swigluRef(x.toFloatArray(), 6, g.toFloatArray(), u.toFloatArray(), d.toFloatArray()), y, 1e-5, "swiglu");
    }

    @Test
    void fusedLayoutIsActOfFirstHalfTimesSecondHalf() {
        Tensor g = randn(1, I, H), u = randn(2, I, H), d = randn(3, H, I), x = randn(4, 5, H);
        Tensor wi = Tensor.cat(List.of(g, u), 0);                          // [2I, H]: (input, gate) halves
        GatedMlp fused = GatedMlp.loadFused(weights("Wi.weight", wi, "Wo.weight", d), H, I, Activation.SILU, false, GatedMlp.FusedNames.MODERNBERT);
        assertTrue(fused.isFused());
        assertClose(swigluRef(x.toFloatArray(), 5, g.toFloatArray(), u.toFloatArray(), d.toFloatArray()), fused.forward(x), 1e-5, "fused");
        // GeGLU: the same block with exact gelu equals the split layout with gelu
        GatedMlp geFused = GatedMlp.loadFused(weights("Wi.weight", wi, "Wo.weight", d), H, I, Activation.GELU, false, GatedMlp.FusedNames.MODERNBERT);
        GatedMlp geSplit = GatedMlp.loadSplit(weights("gate_proj.weight", g, "up_proj.weight", u, "down_proj.weight", d), H, I, Activation.GELU, false, GatedMlp.SplitNames.LLAMA);
        assertClose(geSplit.forward(x).toFloatArray(), geFused.forward(x).toFloatArray(), 1e-6, "geglu fused vs split");
    }

    @Test
    void stateDictNamesFollowTheLayout() {
        Rng rng = new Rng(0);
        assertEquals(List.of("Wi.weight", "Wo.weight"),
                List.copyOf(GatedMlp.fused(H, I, Activation.GELU, false, GatedMlp.FusedNames.MODERNBERT, rng).stateDict().keySet()));
        assertEquals(List.of("gate_proj.weight", "gate_proj.bias", "up_proj.weight", "up_proj.bias", "down_proj.weight", "down_proj.bias"),
                List.copyOf(GatedMlp.split(H, I, Activation.SILU, true, GatedMlp.SplitNames.LLAMA, rng).stateDict().keySet()));
        GatedMlp mlp = GatedMlp.fused(H, I, Activation.GELU, false, GatedMlp.FusedNames.MODERNBERT, rng).withDropout(0.1f, rng);
        assertEquals(2, mlp.stateDict().size(), "dropout owns no parameters");
        assertArrayEquals(new int[]{2 * I, H}, mlp.stateDict().get("Wi.weight").shape());
        ShapeException e = assertThrows(ShapeException.class, () -> mlp.forward(Tensor.zeros(2, H + 1)));
        assertTrue(e.getMessage().contains("GatedMlp"), e.getMessage());
    }

    @Test
    void gradients() {
        GradCheck.check("geglu fused", in -> GatedMlp.loadFused(weights("Wi.weight", in.get(1), "Wo.weight", in.get(2)), H, I,
                        Activation.GELU, false, GatedMlp.FusedNames.MODERNBERT).forward(in.get(0)),
                GradCheck.input(1, 2, H), GradCheck.input(2, 2 * I, H), GradCheck.input(3, H, I));
        GradCheck.check("swiglu split", in -> GatedMlp.loadSplit(weights("w1.weight", in.get(1), "w3.weight", in.get(2), "w2.weight", in.get(3)), H, I,
                        Activation.SILU, false, GatedMlp.SplitNames.MIXTRAL).forward(in.get(0)),
                GradCheck.input(4, 2, H), GradCheck.input(5, I, H), GradCheck.input(6, I, H), GradCheck.input(7, H, I));
    }
}
