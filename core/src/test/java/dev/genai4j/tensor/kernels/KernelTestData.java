package dev.genai4j.tensor.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/** Random inputs and tolerant comparisons shared by the kernel tests. */
final class KernelTestData {
    private KernelTestData() {}

    /** Sizes that straddle the vector width (16 floats with AVX-512, 8 with AVX2) and leave tails. */
    static final int[] AWKWARD_SIZES = {1, 7, 8, 15, 16, 17, 33, 100, 1000, 1023};

    static float[] gaussian(Random r, int n, float sd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * sd);
        return x;
    }

    /** Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise, naming the first bad index. */
    static void assertClose(String what, double[] expected, float[] actual, int actualOff, double atol, double rtol) {
        for (int i = 0; i < expected.length; i++) {
            double a = actual[actualOff + i], e = expected[i];
            if (Double.isNaN(e) ? !Double.isNaN(a) : a != e && !(Math.abs(a - e) <= atol + rtol * Math.abs(e)))
                fail(what + ": index " + i + " expected " + e + " got " + a + " (atol " + atol + ", rtol " + rtol + ")");
        }
    }

    static void assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        double[] e = new double[expected.length];
        for (int i = 0; i < e.length; i++) e[i] = expected[i];
        assertClose(what, e, actual, 0, atol, rtol);
    }
}
