package dev.genai4j.tensor.quant;

import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Block quantization: round trip error bounds, the vector kernels against their scalar twins, products, errors. */
class QuantizedMatrixTest {
    @Test
    void q8RoundsToNearestWithTiesUpAsMathRound() {
        // amax 127 makes the scale exactly 1: each value is rounded as it stands
        float[] block = {127f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 0.49999997f, -0.49999997f, 126.5f, -126.5f,
                0.50000006f, -0.50000006f, 3.4999998f, -3.4999998f, 0f, -0f, 100.25f, -100.75f, 63.5f, -63.5f,
                1e-7f, -1e-7f, 7.5f, -7.5f, 8.5f, -8.5f, 9.49f, -9.51f, 64.5f, -64.5f, 126.49999f};
        byte[] q = new byte[32];
        assertEquals(1f, QuantizedMatrix.quantizeQ8(block.clone(), q, 0));
        for (int i = 0; i < 32; i++) assertEquals(Math.round(block[i]), q[i], "value " + block[i]);
    }

    @Test
    void dequantizedValuesAreWithinHalfAStepOfTheOriginal() {
        Tensor w = Tensor.randn(new Rng(1), 37, 100);          // K = 100: the last block is zero-padded
        float[] orig = w.toFloatArray();
        for (QuantType t : QuantType.values()) {
            QuantizedMatrix q = QuantizedMatrix.quantize(w, t);
            float[] back = q.dequantize().toFloatArray();
            assertArrayEquals(new int[]{37, 100}, q.dequantize().shape());
            for (int r = 0; r < 37; r++) {
                for (int b = 0; b * 32 < 100; b++) {
                    float amax = 0;
                    for (int i = b * 32; i < Math.min(100, b * 32 + 32); i++) amax = Math.max(amax, Math.abs(orig[r * 100 + i]));
                    // Q8: step amax/127, error ≤ step/2. Q4: step amax/8; the far end (+8 steps) clamps to +7: error ≤ one step.
                    float bound = t == QuantType.Q8_0 ? amax / 127f * 0.5f * 1.001f : amax / 8f * 1.001f;
                    for (int i = b * 32; i < Math.min(100, b * 32 + 32); i++) {
                        float err = Math.abs(back[r * 100 + i] - orig[r * 100 + i]);
                        assertTrue(err <= bound, t + " row " + r + " col " + i + ": error " + err + " > " + bound);
                    }
                }
            }
        }
        assertEquals(37L * 4 * 32 + 37 * 4 * 4, QuantizedMatrix.quantize(w, QuantType.Q8_0).bytes());
        assertEquals(37L * 4 * 16 + 37 * 4 * 4, QuantizedMatrix.quantize(w, QuantType.Q4_0).bytes());
    }

    @Test
    void vectorKernelsEqualTheirScalarTwinsOnAwkwardSizes() {
        Rng rng = new Rng(3);
        for (int rows : new int[]{1, 3, 4, 5, 7, 33}) {
            for (int blocks : new int[]{1, 2, 3, 33}) {
                byte[] w8 = randomBytes(rng, rows * blocks * 32, -127, 127), w4 = randomBytes(rng, rows * blocks * 16, -128, 127);
                short[] x = QuantKernels.widen(randomBytes(rng, blocks * 32 + 64, -127, 127));
                float[] ws = Tensor.rand(rng, rows * blocks).toFloatArray(), xs = Tensor.rand(rng, blocks + 2).toFloatArray();
                int xOff = 32, xsOff = 1;                       // offsets into larger arrays, as matmul uses them
                float[] y8 = new float[rows + 2], y4 = new float[rows + 2];
                QuantKernels.rowsQ8(w8, ws, blocks, 0, rows, x, xOff, xs, xsOff, y8, 2);
                QuantKernels.rowsQ4(w4, ws, blocks, 0, rows, x, xOff, xs, xsOff, y4, 2);
                for (int r = 0; r < rows; r++) {
                    float e8 = QuantKernelsScalar.dotQ8(w8, r * blocks * 32, ws, r * blocks, x, xOff, xs, xsOff, blocks);
                    float e4 = QuantKernelsScalar.dotQ4(w4, r * blocks * 16, ws, r * blocks, x, xOff, xs, xsOff, blocks);
                    assertEquals(e8, y8[r + 2], 1e-5f * Math.max(1, Math.abs(e8)) * blocks, "q8 rows=" + rows + " blocks=" + blocks + " r=" + r);
                    assertEquals(e4, y4[r + 2], 1e-5f * Math.max(1, Math.abs(e4)) * blocks, "q4 rows=" + rows + " blocks=" + blocks + " r=" + r);
                }
                assertEquals(0f, y8[0]);
                assertEquals(0f, y8[1]);                        // nothing written before yOff
            }
        }
    }

    @Test
    void vectorDequantizationEqualsItsScalarTwin() {
        Rng rng = new Rng(11);
        for (int blocks : new int[]{1, 2, 7}) {
            byte[] q8 = randomBytes(rng, blocks * 32 + 5, -127, 127), q4 = randomBytes(rng, blocks * 16 + 5, -128, 127);
            for (int b = 0; b < blocks; b++) {
                float d = 0.01f * (b + 1);
                float[] v = new float[40], s = new float[40];
                QuantKernels.dequantizeQ8(q8, 3 + b * 32, d, v, 4);
                QuantKernelsScalar.dequantizeQ8(q8, 3 + b * 32, d, s, 4);
                assertArrayEquals(s, v, "q8 block " + b);        // one product per value: exact
                QuantKernels.dequantizeQ4(q4, 3 + b * 16, d, v, 4);
                QuantKernelsScalar.dequantizeQ4(q4, 3 + b * 16, d, s, 4);
                assertArrayEquals(s, v, "q4 block " + b);
            }
        }
    }

    @Test
    void productsMatchTheFloatProductAndAreTheSameOnOneAndTwoThreads() {
        // one row: the int8 kernels; six rows: dequantized chunks through the float GEMM
        productMatchesFloat(Tensor.randn(new Rng(6), 1, 256), new int[]{1, 300});
        productMatchesFloat(Tensor.randn(new Rng(7), 2, 3, 256), new int[]{2, 3, 300});
    }

    private static void productMatchesFloat(Tensor x, int[] outShape) {
        Tensor w = Tensor.randn(new Rng(5), 300, 256);                    // [N, K]
        Tensor exact;
        try (var g = NoGrad.enter()) {
            exact = x.matmul(w.transpose(0, 1));                          // [..., N]
        }
        float[] e = exact.toFloatArray();
        double norm = 0;
        for (float v : e) norm += v * v;
        norm = Math.sqrt(norm / e.length);
        for (QuantType t : QuantType.values()) {
            QuantizedMatrix q = QuantizedMatrix.quantize(w, t);
            Tensor y1 = q.matmul(x);
            float[][] got = new float[1][];
            Parallel.withThreads(1, () -> got[0] = q.matmul(x).toFloatArray());
            assertArrayEquals(outShape, y1.shape());
            // each output is one thread's sum, so threads change nothing beyond the reduction order
            // C2 may pick for the vector sum (the first call runs partly interpreted)
            assertArrayEquals(got[0], y1.toFloatArray(), 1e-4f, t + ": one and two threads agree");
            double err = 0;
            float[] y = y1.toFloatArray();
            for (int i = 0; i < y.length; i++) err = Math.max(err, Math.abs(y[i] - e[i]));
            // relative to the outputs' RMS: Q8 (weights and activations) ≈ 1e-2, Q4 weights ≈ 1e-1
            double bound = t == QuantType.Q8_0 ? 0.03 : 0.4;
            assertTrue(err / norm < bound, t + ": max error " + err + " vs output RMS " + norm);
        }
    }

    @Test
    void wrongShapesAndNamesAreClearErrors() {
        QuantizedMatrix q = QuantizedMatrix.quantize(Tensor.randn(new Rng(1), 8, 64), QuantType.Q8_0);
        var e = assertThrows(ShapeException.class, () -> q.matmul(Tensor.zeros(2, 63)));
        assertTrue(e.getMessage().contains("64"), e.getMessage());
        assertThrows(ShapeException.class, () -> QuantizedMatrix.quantize(Tensor.zeros(2, 3, 4), QuantType.Q4_0));
        assertEquals(QuantType.Q8_0, QuantType.parse("q8"));
        assertEquals(QuantType.Q4_0, QuantType.parse("Q4_0"));
        var bad = assertThrows(IllegalArgumentException.class, () -> QuantType.parse("q3"));
        assertTrue(bad.getMessage().contains("q3"), bad.getMessage());
        // an all-zero block has scale 0 and dequantizes to exact zeros
        assertArrayEquals(new float[64], QuantizedMatrix.quantize(Tensor.zeros(1, 64), QuantType.Q4_0).dequantize().toFloatArray());
    }

    private static byte[] randomBytes(Rng rng, int n, int lo, int hi) {
        float[] u = Tensor.rand(rng, n).toFloatArray();
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) Math.min(hi, lo + (int) (u[i] * (hi - lo + 1)));
        return b;
    }
}
