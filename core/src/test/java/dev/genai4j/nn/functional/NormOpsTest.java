package dev.genai4j.nn.functional;

import dev.genai4j.tensor.GradCheck;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** The fused norm ops against the composed tensor-op formulas they replace: values and gradients. */
class NormOpsTest {
    private static Tensor leaf(long seed, int... shape) { return Tensor.randn(new Rng(seed), shape).requiresGrad(true); }

    private static Tensor composedLayerNorm(Tensor x, Tensor w, Tensor b, float eps) {
        Tensor centered = x.sub(x.mean(-1, true));
        Tensor y = centered.mul(centered.square().mean(-1, true).add(eps).rsqrt()).mul(w);
        return b == null ? y : y.add(b);
    }

    private static Tensor composedRmsNorm(Tensor x, Tensor w, boolean onePlus, float eps) {
        Tensor normed = x.mul(x.square().mean(-1, true).add(eps).rsqrt());
        return normed.mul(onePlus ? w.add(1f) : w);
    }

    private static void assertNear(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++)
            assertEquals(e[i], a[i], tol * Math.max(1, Math.abs(e[i])), what + ": element " + i);
    }

    /** Runs f on fresh copies of the leaves, backpropagates a fixed weighting, returns [out, grads…]. */
    private static Tensor[] outAndGrads(Function<Tensor[], Tensor> f, Tensor... leaves) {
        Tensor[] copies = new Tensor[leaves.length];
        for (int i = 0; i < leaves.length; i++) copies[i] = Tensor.of(leaves[i].toFloatArray(), leaves[i].shape()).requiresGrad(true);
        Tensor out = f.apply(copies);
        out.mul(Tensor.randn(new Rng(99), out.shape())).sum().backward();
        Tensor[] r = new Tensor[leaves.length + 1];
        r[0] = out.detach();
        for (int i = 0; i < leaves.length; i++) r[i + 1] = copies[i].grad();
        return r;
    }

    @Test
    void layerNormMatchesComposedOpsValuesAndGradients() {
        for (int n : new int[]{1, 7, 33, 384}) {
            Tensor x = leaf(1, 3, 5, n).mul(2f).add(0.5f).detach(), w = leaf(2, n).detach(), b = leaf(3, n).detach();
            Tensor[] fused = outAndGrads(t -> LayerNormOp.layerNorm(t[0], t[1], t[2], 1e-5f), x, w, b);
            Tensor[] ref = outAndGrads(t -> composedLayerNorm(t[0], t[1], t[2], 1e-5f), x, w, b);
            for (int i = 0; i < fused.length; i++) assertNear(ref[i], fused[i], 2e-5, "layer_norm n=" + n + " part " + i);
        }
    }

    @Test
    void rmsNormMatchesComposedOpsValuesAndGradients() {
        for (boolean onePlus : new boolean[]{false, true})
            for (int n : new int[]{1, 7, 33, 1000}) {
                Tensor x = leaf(4, 2, 3, n).detach(), w = leaf(5, n).mul(0.5f).detach();
                Tensor[] fused = outAndGrads(t -> RmsNormOp.rmsNorm(t[0], t[1], onePlus, 1e-6f), x, w);
                Tensor[] ref = outAndGrads(t -> composedRmsNorm(t[0], t[1], onePlus, 1e-6f), x, w);
                for (int i = 0; i < fused.length; i++)
                    assertNear(ref[i], fused[i], 2e-5, "rms_norm n=" + n + " onePlus=" + onePlus + " part " + i);
            }
    }

    @Test
    void finiteDifferenceGradients() {
        GradCheck.check("layer_norm op", in -> LayerNormOp.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5f),
                GradCheck.input(11, 2, 3, 5), GradCheck.input(12, 5), GradCheck.input(13, 5));
        GradCheck.check("layer_norm op, no affine", in -> LayerNormOp.layerNorm(in.get(0), null, null, 1e-5f),
                GradCheck.input(14, 3, 6));
        GradCheck.check("rms_norm op", in -> RmsNormOp.rmsNorm(in.get(0), in.get(1), false, 1e-6f),
                GradCheck.input(15, 2, 3, 5), GradCheck.input(16, 5));
        GradCheck.check("rms_norm op (1 + w)", in -> RmsNormOp.rmsNorm(in.get(0), in.get(1), true, 1e-6f),
                GradCheck.input(17, 4, 5), GradCheck.input(18, 5));
    }

    @Test
    void onlyRequestedGradientsAndNoTapeWithoutGrad() {
        Tensor x = leaf(20, 3, 4), w = Tensor.randn(new Rng(21), 4), b = Tensor.randn(new Rng(22), 4);
        LayerNormOp.layerNorm(x, w, b, 1e-5f).sum().backward();
        assertNotNull(x.grad());
        assertNull(w.grad());
        assertFalse(LayerNormOp.layerNorm(x.detach(), w, b, 1e-5f).requiresGrad());
    }

    @Test
    void shapeErrorsNameTheOp() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> LayerNormOp.layerNorm(Tensor.zeros(2, 4), Tensor.ones(3), null, 1e-5f));
        assertTrue(e.getMessage().contains("layer_norm weight"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> RmsNormOp.rmsNorm(Tensor.zeros(2, 4), Tensor.ones(5), false, 1e-5f));
        assertTrue(e.getMessage().contains("rms_norm weight"), e.getMessage());
    }
}
