package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The threaded / vector elementwise loops against plain per-element scalar math, on sizes below,
 * at and above the threading threshold (tails included).
 */
class ElementwiseLoopsTest {
    private static final int[] SIZES = {1, 7, 33, 1000, ElementwiseLoops.BLOCK + 5, 3 * ElementwiseLoops.BLOCK + 17,
            2 * ElementwiseLoops.GRAIN + 13, 5 * ElementwiseLoops.GRAIN + 1};

    @Test
    void binaryAndScalarOpsAreBitIdentical() {
        for (int n : SIZES) {
            Tensor a = Tensor.randn(new Rng(n), n), b = Tensor.randn(new Rng(n + 1), n).add(3f);
            float[] x = a.toFloatArray(), y = b.toFloatArray();
            float[] add = a.add(b).toFloatArray(), sub = a.sub(b).toFloatArray(), mul = a.mul(b).toFloatArray(),
                    div = a.div(b).toFloatArray(), ms = a.mul(0.37f).toFloatArray(), as = a.add(1.25f).toFloatArray();
            for (int i = 0; i < n; i++) {
                assertEquals(x[i] + y[i], add[i], 0f, "add n=" + n + " i=" + i);
                assertEquals(x[i] - y[i], sub[i], 0f, "sub n=" + n + " i=" + i);
                assertEquals(x[i] * y[i], mul[i], 0f, "mul n=" + n + " i=" + i);
                assertEquals(x[i] / y[i], div[i], 0f, "div n=" + n + " i=" + i);
                assertEquals(x[i] * 0.37f, ms[i], 0f, "mul scalar n=" + n + " i=" + i);
                assertEquals(x[i] + 1.25f, as[i], 0f, "add scalar n=" + n + " i=" + i);
            }
        }
    }

    @Test
    void periodicBroadcastOverThreadsMatches() {
        int rows = 300, cols = 333;                                  // ~100k elements: several tasks, ragged blocks
        Tensor a = Tensor.randn(new Rng(5), rows, cols), bias = Tensor.randn(new Rng(6), cols);
        float[] x = a.toFloatArray(), b = bias.toFloatArray(), s = a.add(bias).toFloatArray(), r = bias.sub(a).toFloatArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] + b[i % cols], s[i], 0f, "x + bias at " + i);
            assertEquals(b[i % cols] - x[i], r[i], 0f, "bias − x at " + i);
        }
    }

    @Test
    void activationsWithinTheirDocumentedTolerance() {
        for (int n : SIZES) {
            Tensor a = Tensor.randn(new Rng(10 + n), n).mul(4f);
            float[] x = a.toFloatArray();
            check(Unary.SILU, x, a.silu().toFloatArray(), 1e-6, n);
            check(Unary.GELU_ERF, x, a.gelu().toFloatArray(), 1e-6, n);
            check(Unary.GELU_TANH, x, a.geluTanh().toFloatArray(), 1e-6, n);
            check(Unary.QUICK_GELU, x, a.quickGelu().toFloatArray(), 1e-6, n);
            check(Unary.TANH, x, a.tanh().toFloatArray(), 0, n);
        }
    }

    private static void check(Unary fn, float[] x, float[] got, double tol, int n) {
        for (int i = 0; i < x.length; i++) {
            float e = fn.apply(x[i]);
            assertEquals(e, got[i], tol * Math.max(1, Math.abs(e)), fn + " n=" + n + " x=" + x[i]);
        }
    }

    @Test
    void softmaxBackwardOverThreadsMatchesRowByRow() {
        int rows = 97, n = 1500;                                      // > 2·GRAIN elements: threaded backward
        Tensor x = Tensor.randn(new Rng(20), rows, n).requiresGrad(true);
        Tensor g = Tensor.randn(new Rng(21), rows, n);
        x.softmax(-1).mul(g).sum().backward();
        Tensor x2 = Tensor.randn(new Rng(20), rows, n).requiresGrad(true);
        x2.logSoftmax(-1).mul(g).sum().backward();
        float[] gx = x.grad().toFloatArray(), glx = x2.grad().toFloatArray();
        for (int r : new int[]{0, 48, 96}) {                          // one row alone takes the single-threaded path
            Tensor xr = x.detach().narrow(0, r, 1).contiguous().requiresGrad(true);
            xr.softmax(-1).mul(g.narrow(0, r, 1)).sum().backward();
            Tensor xl = x.detach().narrow(0, r, 1).contiguous().requiresGrad(true);
            xl.logSoftmax(-1).mul(g.narrow(0, r, 1)).sum().backward();
            float[] e = xr.grad().toFloatArray(), el = xl.grad().toFloatArray();
            for (int j = 0; j < n; j++) {
                assertEquals(e[j], gx[r * n + j], 0f, "softmax grad row " + r + " col " + j);
                assertEquals(el[j], glx[r * n + j], 0f, "log_softmax grad row " + r + " col " + j);
            }
        }
    }
}
