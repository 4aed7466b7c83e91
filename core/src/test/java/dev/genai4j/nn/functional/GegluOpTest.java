package dev.genai4j.nn.functional;

import dev.genai4j.tensor.GradCheck;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class GegluOpTest {
    /** value · gelu(gate) by tensor ops, as diffusers' GEGLU and our Transformer2D wrote it. */
    private static Tensor composed(Tensor h) {
        int inner = h.size(-1) / 2;
        List<Tensor> vg = h.split(new int[]{inner, inner}, h.dim() - 1);
        return vg.get(0).mul(vg.get(1).gelu());
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], 1e-5 * (1 + Math.abs(expected[i])), what + " element " + i);
    }

    @Test
    void forwardAndBackwardMatchTheComposedOps() {
        for (int threads : new int[]{1, 2}) {
            Parallel.withThreads(threads, () -> {
                // 2 × 70 rows of 2 × 40: a row is not a multiple of the vector length; many rows split over threads
                Tensor h0 = Tensor.randn(new Rng(5), 2, 70, 80).mul(2f);
                Tensor g = Tensor.randn(new Rng(6), 2, 70, 40);
                Tensor a = h0.detach().requiresGrad(true), b = h0.detach().requiresGrad(true);
                Tensor ya = GegluOp.geglu(a), yb = composed(b);
                assertArrayEquals(new int[]{2, 70, 40}, ya.shape());
                assertClose("forward, " + threads + " threads", yb.toFloatArray(), ya.toFloatArray());
                ya.backward(g);
                yb.backward(g);
                assertClose("gradient, " + threads + " threads", b.grad().toFloatArray(), a.grad().toFloatArray());
            });
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        GradCheck.check("geglu", in -> GegluOp.geglu(in.get(0)), GradCheck.input(3, 3, 2, 6));
    }

    @Test
    void rejectsAnOddOrEmptyLastAxis() {
        ShapeException odd = assertThrows(ShapeException.class, () -> GegluOp.geglu(Tensor.zeros(2, 5)));
        assertTrue(odd.getMessage().contains("geglu"), odd.getMessage());
        assertThrows(ShapeException.class, () -> GegluOp.geglu(Tensor.zeros(2, 0)));
        assertThrows(ShapeException.class, () -> GegluOp.geglu(Tensor.scalar(1f)));
    }
}
