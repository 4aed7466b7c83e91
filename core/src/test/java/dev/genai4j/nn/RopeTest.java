package dev.genai4j.nn;

import dev.genai4j.tensor.GradCheck;
import dev.genai4j.tensor.IndexOutOfRangeException;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.genai4j.nn.NnTesting.*;
import static org.junit.jupiter.api.Assertions.*;

class RopeTest {
    /** HF rotate-half by loops in double: pairs (i, i + d/2) of the first d channels. */
    private static double[] rotateHalfRef(float[] x, int rows, int t, int headDim, int d, int[] pos, double theta) {
        double[] y = new double[x.length];
        int half = d / 2;
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < t; i++) {
                int base = (r * t + i) * headDim;
                for (int c = 0; c < headDim; c++) y[base + c] = x[base + c];
                for (int c = 0; c < half; c++) {
                    double a = pos[i] * Math.pow(theta, -2.0 * c / d);
                    double x1 = x[base + c], x2 = x[base + c + half];
                    y[base + c] = x1 * Math.cos(a) - x2 * Math.sin(a);
                    y[base + c + half] = x2 * Math.cos(a) + x1 * Math.sin(a);
                }
            }
        return y;
    }

    @Test
    void rotateHalfMatchesLoops() {
        Tensor x = randn(1, 2, 3, 4, 8);
        int[] pos = {3, 4, 5, 9};
        Tensor y = new Rope(8, 16, 10_000).apply(x, Positions.shared(pos));
        assertShape(y, 2, 3, 4, 8);
        assertClose(rotateHalfRef(x.toFloatArray(), 6, 4, 8, 8, pos, 10_000), y, 2e-6, "rope");
    }

    @Test
    void partialRotaryLeavesTheTailAlone() {
        Tensor x = randn(2, 1, 2, 3, 10);
        int[] pos = {0, 7, 2};
        Tensor y = new Rope(10, 4, 8, 500.0, Rope.Layout.ROTATE_HALF).apply(x, Positions.shared(pos));
        assertClose(rotateHalfRef(x.toFloatArray(), 2, 3, 10, 4, pos, 500), y, 2e-6, "partial rope");
    }

    @Test
    void interleavedEqualsRotateHalfUnderThePairPermutation() {
        // rotate-half channel c < D/2 pairs with c + D/2; interleaved channel 2c pairs with 2c + 1.
        // perm[c] = 2c, perm[c + D/2] = 2c + 1 maps one onto the other (how Meta weights become HF's).
        int d = 8, half = d / 2;
        int[] perm = new int[d];
        for (int c = 0; c < half; c++) { perm[c] = 2 * c; perm[c + half] = 2 * c + 1; }
        Tensor xInterleaved = randn(3, 2, 2, 5, d);
        Tensor xHalf = xInterleaved.indexSelect(3, perm);
        Positions pos = Positions.range(11, 5);
        Tensor a = new Rope(d, d, 32, 10_000, Rope.Layout.INTERLEAVED).apply(xInterleaved, pos).indexSelect(3, perm);
        Tensor b = new Rope(d, d, 32, 10_000, Rope.Layout.ROTATE_HALF).apply(xHalf, pos);
        assertClose(b.toFloatArray(), a.toFloatArray(), 1e-6, "interleaved vs rotate-half");
        // partial interleaved (GPT-J rotary_dim) rotates pairs of the first rotaryDim channels only
        Tensor x = randn(4, 1, 1, 1, 6);
        float[] y = new Rope(6, 4, 4, 10_000, Rope.Layout.INTERLEAVED).apply(x, Positions.shared(1)).toFloatArray();
        float[] v = x.toFloatArray();
        double a0 = 1.0, a1 = Math.pow(10_000, -0.5);
        assertEquals(v[0] * Math.cos(a0) - v[1] * Math.sin(a0), y[0], 1e-6);
        assertEquals(v[1] * Math.cos(a0) + v[0] * Math.sin(a0), y[1], 1e-6);
        assertEquals(v[2] * Math.cos(a1) - v[3] * Math.sin(a1), y[2], 1e-6);
        assertEquals(v[4], y[4]);
        assertEquals(v[5], y[5]);
    }

    @Test
    void perBatchOffsetsEqualSeparateRuns() {
        Rope rope = new Rope(4, 64, 10_000);
        Tensor x = randn(5, 2, 3, 4, 4);
        Tensor both = rope.apply(x, Positions.offsets(new int[]{0, 6}, 4));
        Tensor row1 = rope.apply(x.narrow(0, 1, 1), Positions.range(6, 4));
        assertClose(row1.toFloatArray(), both.narrow(0, 1, 1).toFloatArray(), 0, "row 1");
        Tensor row0 = rope.apply(x.narrow(0, 0, 1), Positions.perBatch(new int[][]{{0, 1, 2, 3}}));
        assertClose(row0.toFloatArray(), both.narrow(0, 0, 1).toFloatArray(), 0, "row 0");
    }

    @Test
    void scoresDependOnlyOnRelativePosition() {
        Rope rope = new Rope(6, 100, 10_000);
        Tensor q = randn(6, 1, 1, 1, 6), k = randn(7, 1, 1, 1, 6);
        float s1 = rope.apply(q, Positions.shared(10)).mul(rope.apply(k, Positions.shared(7))).sum().item();
        float s2 = rope.apply(q, Positions.shared(53)).mul(rope.apply(k, Positions.shared(50))).sum().item();
        assertEquals(s1, s2, 1e-5);
        // position 0 is the identity
        assertArrayEquals(q.toFloatArray(), rope.apply(q, Positions.shared(0)).toFloatArray());
    }

    @Test
    void errorsNameRopeAndTheLimit() {
        Rope rope = new Rope(4, 8, 10_000);
        IndexOutOfRangeException e = assertThrows(IndexOutOfRangeException.class, () -> rope.apply(Tensor.zeros(1, 1, 2, 4), Positions.range(7, 2)));
        assertTrue(e.getMessage().contains("8"), e.getMessage());
        ShapeException s = assertThrows(ShapeException.class, () -> rope.apply(Tensor.zeros(1, 2, 6), Positions.range(0, 2)));
        assertTrue(s.getMessage().contains("Rope"), s.getMessage());
        assertThrows(ShapeException.class, () -> rope.apply(Tensor.zeros(2, 1, 2, 4), Positions.offsets(new int[]{0, 1, 2}, 2)));
        assertThrows(IllegalArgumentException.class, () -> new Rope(4, 3, 8, 10_000, Rope.Layout.ROTATE_HALF));
        assertThrows(IndexOutOfRangeException.class, () -> Positions.shared(0, -1));
    }

    @Test
    void gradients() {
        for (Rope.Layout layout : Rope.Layout.values()) {
            Rope rope = new Rope(6, 4, 16, 100, layout);
            GradCheck.check("rope " + layout, in -> rope.apply(in.get(0), Positions.offsets(new int[]{1, 5}, 2)), GradCheck.input(8, 2, 2, 2, 6));
        }
    }
}
