package dev.genai4j.tensor.kernels;

import static dev.genai4j.tensor.kernels.KernelTestData.AWKWARD_SIZES;
import static dev.genai4j.tensor.kernels.KernelTestData.assertClose;
import static dev.genai4j.tensor.kernels.KernelTestData.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftmaxTest {
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    private static double[] referenceSoftmax(float[] d, int off, int n, boolean log) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) m = Math.max(m, d[off + j]);
        double s = 0;
        for (int j = 0; j < n; j++) s += Math.exp(d[off + j] - m);
        double[] out = new double[n];
        for (int j = 0; j < n; j++) out[j] = log ? d[off + j] - m - Math.log(s) : Math.exp(d[off + j] - m) / s;
        return out;
    }

    @Test
    void vectorAndScalarRowsMatchDoubleReference() {
        Random r = new Random(5);
        int off = 3;
        for (int n : AWKWARD_SIZES) {
            float[] x = gaussian(r, n + off, 5f);
            if (n > 4) x[off + 2] = NEG_INF;                 // a masked entry
            for (boolean log : new boolean[]{false, true}) {
                double[] expected = referenceSoftmax(x, off, n, log);
                float[] v = x.clone(), s = x.clone();
                if (log) { Softmax.logSoftmaxRowVector(v, off, n); Softmax.logSoftmaxRowScalar(s, off, n); }
                else { Softmax.softmaxRowVector(v, off, n); Softmax.softmaxRowScalar(s, off, n); }
                assertClose((log ? "log" : "") + "softmax vector n=" + n, expected, v, off, log ? 2e-5 : 1e-7, 2e-6);
                assertClose((log ? "log" : "") + "softmax scalar n=" + n, expected, s, off, log ? 2e-5 : 1e-7, 2e-6);
                for (int i = 0; i < off; i++) assertTrue(v[i] == x[i], "touched an element before the row");
            }
        }
    }

    @Test
    void allMinusInfinityRowGivesZerosInBothPaths() {
        for (int n : new int[]{1, 7, 33}) {
            float[] v = new float[n], s = new float[n];
            java.util.Arrays.fill(v, NEG_INF);
            java.util.Arrays.fill(s, NEG_INF);
            Softmax.softmaxRowVector(v, 0, n);
            Softmax.softmaxRowScalar(s, 0, n);
            assertArrayEquals(new float[n], v);
            assertArrayEquals(new float[n], s);
        }
    }

    @Test
    void parallelRowsEqualRowByRow() {
        Random r = new Random(6);
        int rows = 67, n = 1000;
        float[] x = gaussian(r, rows * n, 3f), all = x.clone(), each = x.clone();
        Softmax.softmaxRows(all, rows, n);
        for (int i = 0; i < rows; i++) Softmax.softmaxRow(each, i * n, n);
        assertArrayEquals(each, all);
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) sum += all[i * n + j];
            assertTrue(Math.abs(sum - 1) < 1e-5, "row " + i + " sums to " + sum);
        }
        float[] logAll = x.clone(), logEach = x.clone();
        Softmax.logSoftmaxRows(logAll, rows, n);
        for (int i = 0; i < rows; i++) Softmax.logSoftmaxRow(logEach, i * n, n);
        assertArrayEquals(logEach, logAll);
    }
}
