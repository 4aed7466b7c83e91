package dev.genai4j.tensor.kernels;

import static dev.genai4j.tensor.kernels.KernelTestData.AWKWARD_SIZES;
import static dev.genai4j.tensor.kernels.KernelTestData.assertClose;
import static dev.genai4j.tensor.kernels.KernelTestData.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genai4j.tensor.Erf;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.junit.jupiter.api.Test;

class VectorMathTest {
    private static final int A_OFF = 3, B_OFF = 5, C_OFF = 1, OUT_OFF = 2;
    private static final float GUARD = 12345f;

    private interface Binary { void run(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n); }

    private interface Unary { void run(float[] x, int xo, float[] out, int oo, int n); }

    /** Output with guard values around [OUT_OFF, OUT_OFF + n): a kernel writing outside its range is caught. */
    private static float[] guarded(int n) {
        float[] out = new float[n + OUT_OFF + 3];
        java.util.Arrays.fill(out, GUARD);
        return out;
    }

    private static void assertGuards(float[] out, int n) {
        for (int i = 0; i < OUT_OFF; i++) assertEquals(GUARD, out[i], "wrote before the output range");
        for (int i = OUT_OFF + n; i < out.length; i++) assertEquals(GUARD, out[i], "wrote past the output range, n=" + n);
    }

    private static void checkBinary(String name, Binary vector, Binary scalar, java.util.function.DoubleBinaryOperator ref) {
        Random r = new Random(1);
        for (int n : AWKWARD_SIZES) {
            float[] a = gaussian(r, n + A_OFF, 2f), b = gaussian(r, n + B_OFF, 2f);
            float[] v = guarded(n), s = guarded(n);
            vector.run(a, A_OFF, b, B_OFF, v, OUT_OFF, n);
            scalar.run(a, A_OFF, b, B_OFF, s, OUT_OFF, n);
            assertArrayEquals(s, v, name + ": vector and scalar differ at n=" + n);
            assertGuards(v, n);
            for (int i = 0; i < n; i++)
                assertEquals((float) ref.applyAsDouble(a[A_OFF + i], b[B_OFF + i]), v[OUT_OFF + i], name + " n=" + n + " i=" + i);
        }
    }

    @Test
    void bf16WideningIsExactForEveryBitPatternAtAnyOffsetAndLength() {
        java.lang.foreign.MemorySegment seg = java.lang.foreign.Arena.ofAuto().allocate(2L * 65536 + 8, 8);
        for (int b = 0; b < 65536; b++) seg.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 2L + 2L * b, (short) b);
        float[] v = new float[65536 + 3], sc = new float[65536 + 3];
        VectorMath.widenBf16Vector(seg, 2, v, 3, 65536);            // every bf16 value, NaNs and infinities included
        VectorMathScalar.widenBf16(seg, 2, sc, 3, 65536);
        for (int b = 0; b < 65536; b++) {
            int want = Float.floatToRawIntBits(dev.genai4j.tensor.HalfFloats.bf16ToFloat((short) b));
            org.junit.jupiter.api.Assertions.assertEquals(want, Float.floatToRawIntBits(v[3 + b]), "vector, bits " + b);
            org.junit.jupiter.api.Assertions.assertEquals(want, Float.floatToRawIntBits(sc[3 + b]), "scalar, bits " + b);
        }
        for (int n = 0; n <= 67; n++) {                              // vector body and scalar tail at odd byte offsets
            float[] a = new float[n + 1], c = new float[n + 1];
            a[n] = c[n] = 42f;
            VectorMath.widenBf16Vector(seg, 2 + 2L * 1001 + 2, a, 0, n);
            VectorMathScalar.widenBf16(seg, 2 + 2L * 1001 + 2, c, 0, n);
            for (int i = 0; i <= n; i++) org.junit.jupiter.api.Assertions.assertEquals(Float.floatToRawIntBits(c[i]), Float.floatToRawIntBits(a[i]), "n=" + n + " i=" + i);
        }
    }

    @Test
    void addAndMulMatchScalarAndDefinition() {
        checkBinary("add", VectorMath::addVector, VectorMathScalar::add, (x, y) -> (float) x + (float) y);
        checkBinary("mul", VectorMath::mulVector, VectorMathScalar::mul, (x, y) -> (float) x * (float) y);
    }

    @Test
    void fmaScaleAndAxpyMatchScalarExactly() {
        Random r = new Random(2);
        for (int n : AWKWARD_SIZES) {
            float[] a = gaussian(r, n + A_OFF, 1f), b = gaussian(r, n + B_OFF, 1f), c = gaussian(r, n + C_OFF, 1f);
            float[] v = guarded(n), s = guarded(n);
            VectorMath.fmaVector(a, A_OFF, b, B_OFF, c, C_OFF, v, OUT_OFF, n);
            VectorMathScalar.fma(a, A_OFF, b, B_OFF, c, C_OFF, s, OUT_OFF, n);
            assertArrayEquals(s, v, "fma n=" + n);
            assertGuards(v, n);
            for (int i = 0; i < n; i++) assertEquals(Math.fma(a[A_OFF + i], b[B_OFF + i], c[C_OFF + i]), v[OUT_OFF + i]);

            v = guarded(n);
            s = guarded(n);
            VectorMath.scaleVector(a, A_OFF, -0.75f, v, OUT_OFF, n);
            VectorMathScalar.scale(a, A_OFF, -0.75f, s, OUT_OFF, n);
            assertArrayEquals(s, v, "scale n=" + n);
            assertGuards(v, n);
            for (int i = 0; i < n; i++) assertEquals(-0.75f * a[A_OFF + i], v[OUT_OFF + i]);

            float[] yv = gaussian(new Random(n), n + B_OFF, 1f), ys = yv.clone(), y0 = yv.clone();
            VectorMath.axpyVector(1.5f, a, A_OFF, yv, B_OFF, n);
            VectorMathScalar.axpy(1.5f, a, A_OFF, ys, B_OFF, n);
            assertArrayEquals(ys, yv, "axpy n=" + n);
            for (int i = 0; i < B_OFF; i++) assertEquals(y0[i], yv[i], "axpy wrote before its range");
            for (int i = 0; i < n; i++) assertEquals(Math.fma(1.5f, a[A_OFF + i], y0[B_OFF + i]), yv[B_OFF + i]);
        }
    }

    @Test
    void dotAndSumMatchDoubleReference() {
        Random r = new Random(3);
        for (int n : new int[]{0, 1, 7, 15, 16, 17, 33, 63, 64, 65, 100, 1000, 1023, 100_003}) {
            float[] a = gaussian(r, n + A_OFF, 1f), b = gaussian(r, n + B_OFF, 1f);
            double dot = 0, dotAbs = 0, sum = 0, sumAbs = 0;
            for (int i = 0; i < n; i++) {
                dot += (double) a[A_OFF + i] * b[B_OFF + i];
                dotAbs += Math.abs((double) a[A_OFF + i] * b[B_OFF + i]);
                sum += a[A_OFF + i];
                sumAbs += Math.abs(a[A_OFF + i]);
            }
            // fp32 accumulation error is bounded by ~n·ε·Σ|terms|; blocked sums do far better.
            double dotTol = 1e-6 * dotAbs + 1e-30, sumTol = 1e-6 * sumAbs + 1e-30;
            assertEquals(dot, VectorMath.dotVector(a, A_OFF, b, B_OFF, n), dotTol, "dot vector n=" + n);
            assertEquals(dot, VectorMathScalar.dot(a, A_OFF, b, B_OFF, n), dotTol, "dot scalar n=" + n);
            assertEquals(sum, VectorMath.sumVector(a, A_OFF, n), sumTol, "sum vector n=" + n);
            assertEquals(sum, VectorMathScalar.sum(a, A_OFF, n), sumTol, "sum scalar n=" + n);
        }
    }

    private static void checkActivation(String name, Unary vector, Unary scalar,
                                        java.util.function.DoubleUnaryOperator ref, double atol, double rtol) {
        Random r = new Random(4);
        for (int n : AWKWARD_SIZES) {
            float[] x = gaussian(r, n + A_OFF, 4f);
            if (n > 3) { x[A_OFF] = -30f; x[A_OFF + 1] = 30f; x[A_OFF + 2] = 0f; x[A_OFF + 3] = -1e-3f; }
            float[] v = guarded(n), s = guarded(n);
            vector.run(x, A_OFF, v, OUT_OFF, n);
            scalar.run(x, A_OFF, s, OUT_OFF, n);
            assertGuards(v, n);
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) expected[i] = ref.applyAsDouble(x[A_OFF + i]);
            assertClose(name + " vector n=" + n, expected, v, OUT_OFF, atol, rtol);
            assertClose(name + " scalar n=" + n, expected, s, OUT_OFF, atol, rtol);
        }
    }

    @Test
    void activationsMatchDoubleDefinitions() {
        checkActivation("silu", VectorMath::siluVector, VectorMathScalar::silu, x -> x / (1 + Math.exp(-x)), 1e-6, 1e-6);
        checkActivation("quickGelu", VectorMath::quickGeluVector, VectorMathScalar::quickGelu,
                x -> x / (1 + Math.exp(-1.702 * x)), 1e-6, 1e-6);
        checkActivation("geluErf", VectorMath::geluErfVector, VectorMathScalar::geluErf,
                x -> 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2))), 1e-6, 2e-6);
        checkActivation("geluTanh", VectorMath::geluTanhVector, VectorMathScalar::geluTanh,
                x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))), 1e-6, 2e-6);
    }

    private interface Backward { void run(float[] g, int go, float[] x, int xo, float[] out, int oo, int n); }

    /** Vector and scalar backward kernels against g · f'(x) in double, tails and extremes included. */
    private static void checkBackward(String name, Backward vector, Backward scalar,
                                      java.util.function.DoubleUnaryOperator derivative, double atol, double rtol) {
        Random r = new Random(5);
        for (int n : AWKWARD_SIZES) {
            float[] x = gaussian(r, n + A_OFF, 4f), g = gaussian(r, n + B_OFF, 1f);
            if (n > 4) { x[A_OFF] = -30f; x[A_OFF + 1] = 30f; x[A_OFF + 2] = 0f; x[A_OFF + 3] = -1e-3f; x[A_OFF + 4] = -90f; }
            float[] v = guarded(n), s = guarded(n);
            vector.run(g, B_OFF, x, A_OFF, v, OUT_OFF, n);
            scalar.run(g, B_OFF, x, A_OFF, s, OUT_OFF, n);
            assertGuards(v, n);
            assertGuards(s, n);
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) expected[i] = g[B_OFF + i] * derivative.applyAsDouble(x[A_OFF + i]);
            assertClose(name + " vector n=" + n, expected, v, OUT_OFF, atol, rtol);
            assertClose(name + " scalar n=" + n, expected, s, OUT_OFF, atol, rtol);
            for (int i = 0; i < n; i++) assertEquals(s[OUT_OFF + i], v[OUT_OFF + i], 2e-6 * (1 + Math.abs(s[OUT_OFF + i])), name + " twins i=" + i);
        }
        // in place: out aliases g exactly
        float[] x = gaussian(r, 33, 3f), g = gaussian(r, 33, 1f), copy = g.clone(), expected = new float[33];
        scalar.run(copy, 0, x, 0, expected, 0, 33);
        vector.run(g, 0, x, 0, g, 0, 33);
        for (int i = 0; i < 33; i++) assertEquals(expected[i], g[i], 2e-6 * (1 + Math.abs(expected[i])), name + " in place i=" + i);
    }

    @Test
    void activationBackwardsMatchDoubleDerivatives() {
        checkBackward("siluBackward", VectorMath::siluBackwardVector, VectorMathScalar::siluBackward, x -> {
            double s = 1 / (1 + Math.exp(-x));
            return s * (1 + x * (1 - s));
        }, 1e-6, 1e-6);
        checkBackward("geluErfBackward", VectorMath::geluErfBackwardVector, VectorMathScalar::geluErfBackward,
                x -> 0.5 * (1 + Erf.erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI), 1e-6, 2e-6);
    }

    /** GroupNorm + SiLU's fused kernels against their double definitions and the unfused kernels, guards and tails included. */
    @Test
    void fusedNormSiluKernelsMatchTheirDefinitionsAndTheUnfusedKernels() {
        Random r = new Random(9);
        float mean = 0.3f, rs = 1.7f, gamma = -1.3f, beta = 0.4f;
        for (int n : AWKWARD_SIZES) {
            float[] x = gaussian(r, n + A_OFF, 2f), g = gaussian(r, n + B_OFF, 1f);
            float[] yv = guarded(n), ys = guarded(n), hv = guarded(n), hs = guarded(n), yNoXhat = guarded(n);
            VectorMath.normAffineSiluVector(x, A_OFF, mean, rs, gamma, beta, hv, OUT_OFF, yv, OUT_OFF, n);
            VectorMathScalar.normAffineSilu(x, A_OFF, mean, rs, gamma, beta, hs, OUT_OFF, ys, OUT_OFF, n);
            VectorMath.normAffineSiluVector(x, A_OFF, mean, rs, gamma, beta, null, 0, yNoXhat, OUT_OFF, n);
            for (float[] a : new float[][]{yv, ys, hv, hs, yNoXhat}) assertGuards(a, n);
            // the unfused vector kernels, one after the other
            float[] h3 = guarded(n), y3 = guarded(n);
            VectorMath.shiftScaleVector(x, A_OFF, mean, rs, h3, OUT_OFF, n);
            VectorMath.affineVector(h3, OUT_OFF, gamma, beta, y3, OUT_OFF, n);
            VectorMath.siluVector(y3, OUT_OFF, y3, OUT_OFF, n);
            double[] ey = new double[n], eh = new double[n];
            for (int i = 0; i < n; i++) {
                eh[i] = ((double) x[A_OFF + i] - mean) * rs;
                double z = eh[i] * gamma + beta;
                ey[i] = z / (1 + Math.exp(-z));
            }
            assertClose("x̂ vector n=" + n, eh, hv, OUT_OFF, 1e-6, 1e-6);
            assertClose("x̂ scalar n=" + n, eh, hs, OUT_OFF, 1e-6, 1e-6);
            assertClose("silu vector n=" + n, ey, yv, OUT_OFF, 1e-6, 1e-5);
            assertClose("silu scalar n=" + n, ey, ys, OUT_OFF, 1e-6, 1e-5);
            for (int i = 0; i < n; i++) {
                assertEquals(y3[OUT_OFF + i], yv[OUT_OFF + i], 1e-6 * (1 + Math.abs(y3[OUT_OFF + i])), "fused vs unfused i=" + i);
                assertEquals(yv[OUT_OFF + i], yNoXhat[OUT_OFF + i], 0f, "with and without x̂ i=" + i);
            }
            // the backward: dz = g · silu'(x̂·γ + β)
            float[] dv = guarded(n), ds = guarded(n);
            VectorMath.affineSiluBackwardVector(g, B_OFF, hv, OUT_OFF, gamma, beta, dv, OUT_OFF, n);
            VectorMathScalar.affineSiluBackward(g, B_OFF, hv, OUT_OFF, gamma, beta, ds, OUT_OFF, n);
            assertGuards(dv, n);
            assertGuards(ds, n);
            double[] ed = new double[n];
            for (int i = 0; i < n; i++) {
                double z = (double) hv[OUT_OFF + i] * gamma + beta, sg = 1 / (1 + Math.exp(-z));
                ed[i] = g[B_OFF + i] * sg * (1 + z * (1 - sg));
            }
            assertClose("silu backward vector n=" + n, ed, dv, OUT_OFF, 1e-6, 1e-5);
            assertClose("silu backward scalar n=" + n, ed, ds, OUT_OFF, 1e-6, 1e-5);
        }
    }

    /** GEGLU's backward: both halves of dh against double definitions, vector and scalar twins, guards around dh's row. */
    @Test
    void gegluBackwardMatchesItsDefinition() {
        Random r = new Random(8);
        for (int n : AWKWARD_SIZES) {
            // h = [value | gate] at an offset, as one row of [.., 2n]; dh the same layout, guarded around it
            float[] h = gaussian(r, A_OFF + 2 * n, 4f), g = gaussian(r, B_OFF + n, 1f);
            if (n > 4) { h[A_OFF + n] = -30f; h[A_OFF + n + 1] = 30f; h[A_OFF + n + 2] = 0f; h[A_OFF + n + 3] = -1e-3f; h[A_OFF + n + 4] = -90f; }
            float[] v = guarded(2 * n), s = guarded(2 * n);
            VectorMath.gegluBackwardVector(g, B_OFF, h, A_OFF, A_OFF + n, v, OUT_OFF, OUT_OFF + n, n);
            VectorMathScalar.gegluBackward(g, B_OFF, h, A_OFF, A_OFF + n, s, OUT_OFF, OUT_OFF + n, n);
            assertGuards(v, 2 * n);
            assertGuards(s, 2 * n);
            for (int i = 0; i < n; i++) {
                double x = h[A_OFF + n + i], value = h[A_OFF + i], gi = g[B_OFF + i];
                double cdf = 0.5 * (1 + Erf.erf(x / Math.sqrt(2))), pdf = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
                double dValue = gi * x * cdf, dGate = gi * value * (cdf + x * pdf);
                for (float[] out : new float[][]{v, s}) {
                    String what = (out == v ? "vector" : "scalar") + " n=" + n + " i=" + i;
                    // the A&S erf is within 1.5e-7 of erf, so Φ within 7.5e-8: scaled by |g·x| and |g·value|
                    assertEquals(dValue, out[OUT_OFF + i], 1e-6 + 2e-6 * Math.abs(dValue) + 1e-7 * Math.abs(gi * x), "d value " + what);
                    assertEquals(dGate, out[OUT_OFF + n + i], 1e-6 + 2e-6 * Math.abs(dGate) + 1e-7 * Math.abs(gi * value), "d gate " + what);
                }
                assertEquals(s[OUT_OFF + i], v[OUT_OFF + i], 2e-6 * (1 + Math.abs(s[OUT_OFF + i])), "twins, d value i=" + i);
                assertEquals(s[OUT_OFF + n + i], v[OUT_OFF + n + i], 2e-6 * (1 + Math.abs(s[OUT_OFF + n + i])), "twins, d gate i=" + i);
            }
        }
    }

    /** GroupNorm's kernels: vector and scalar twins against double definitions, outputs guarded, tails included. */
    @Test
    void normKernelsMatchTheirDefinitions() {
        Random r = new Random(6);
        for (int n : AWKWARD_SIZES) {
            float[] x = gaussian(r, n + A_OFF, 3f), y = gaussian(r, n + B_OFF, 2f);
            for (int i = 0; i < n + A_OFF; i++) x[i] += 5f;                     // an offset the mean has to remove
            float mean = 5.1f;
            double ssd = 0;
            for (int i = 0; i < n; i++) ssd += Math.pow(x[A_OFF + i] - mean, 2);
            assertEquals(ssd, VectorMath.sumSquaredDeviationVector(x, A_OFF, n, mean), 1e-5 * ssd + 1e-6, "ssd vector n=" + n);
            assertEquals(ssd, VectorMathScalar.sumSquaredDeviation(x, A_OFF, n, mean), 1e-6 * ssd + 1e-6, "ssd scalar n=" + n);

            double[] shifted = new double[n], affine = new double[n], lin = new double[n];
            for (int i = 0; i < n; i++) {
                shifted[i] = (x[A_OFF + i] - mean) * 0.7;
                affine[i] = x[A_OFF + i] * 1.5 - 0.25;
                lin[i] = x[A_OFF + i] * 1.5 + y[B_OFF + i] * -0.75 + 0.125;
            }
            float[] v = guarded(n), sc = guarded(n);
            VectorMath.shiftScaleVector(x, A_OFF, mean, 0.7f, v, OUT_OFF, n);
            VectorMathScalar.shiftScale(x, A_OFF, mean, 0.7f, sc, OUT_OFF, n);
            assertGuards(v, n);
            assertClose("shiftScale vector n=" + n, shifted, v, OUT_OFF, 1e-5, 1e-6);
            assertClose("shiftScale scalar n=" + n, shifted, sc, OUT_OFF, 1e-5, 1e-6);
            v = guarded(n); sc = guarded(n);
            VectorMath.affineVector(x, A_OFF, 1.5f, -0.25f, v, OUT_OFF, n);
            VectorMathScalar.affine(x, A_OFF, 1.5f, -0.25f, sc, OUT_OFF, n);
            assertGuards(v, n);
            assertClose("affine vector n=" + n, affine, v, OUT_OFF, 1e-5, 1e-6);
            assertArrayEquals(sc, v, 0f, "affine twins n=" + n);
            v = guarded(n); sc = guarded(n);
            VectorMath.linear2Vector(x, A_OFF, 1.5f, y, B_OFF, -0.75f, 0.125f, v, OUT_OFF, n);
            VectorMathScalar.linear2(x, A_OFF, 1.5f, y, B_OFF, -0.75f, 0.125f, sc, OUT_OFF, n);
            assertGuards(v, n);
            assertClose("linear2 vector n=" + n, lin, v, OUT_OFF, 1e-5, 1e-6);
            assertArrayEquals(sc, v, 0f, "linear2 twins n=" + n);
        }
    }

    @Test
    void erfIsWithinOneMillionthOfExactErf() {
        int n = 40_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = -10f + 20f * i / (n - 1);   // [−10, 10], step 5e-4
        float[] v = new float[n], s = new float[n];
        VectorMath.erfVector(x, 0, v, 0, n);
        VectorMathScalar.erf(x, 0, s, 0, n);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double e = Erf.erf(x[i]);
            worst = Math.max(worst, Math.max(Math.abs(v[i] - e), Math.abs(s[i] - e)));
        }
        assertTrue(worst <= 1e-6, "max |erf − Erf.erf| = " + worst);
        float[] special = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f, -1e-30f};
        float[] out = new float[special.length];
        VectorMath.erfVector(special, 0, out, 0, special.length);
        assertArrayEquals(new float[]{0f, 0f, 1f, -1f, 0f, 0f}, out, 1e-7f);
    }

    /** The softmax and attention kernels rely on lanewise(EXP) being as accurate as Math.exp. */
    @Test
    void lanewiseExpIsWithinTwoUlpOfMathExp() {
        var species = VectorSupport.F;
        int n = 1 << 16;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) x[i] = -103f + 191.7f * i / n;     // past both ends of the normal range
        for (int i = 0; i < n; i += species.length())
            FloatVector.fromArray(species, x, i).lanewise(VectorOperators.EXP).intoArray(y, i);
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[i]);
            float ulp = Math.max(Math.ulp(e), Float.MIN_VALUE);
            assertTrue(Math.abs(y[i] - e) <= 2 * ulp, "exp(" + x[i] + "): lanewise " + y[i] + " vs " + e);
        }
    }
}
