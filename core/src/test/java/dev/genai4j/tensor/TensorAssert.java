package dev.genai4j.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions and input builders shared by the op tests. */
final class TensorAssert {
    private TensorAssert() {}

    static Tensor t(float[] values, int... shape) { return Tensor.of(values, shape); }

    static float[] f(float... v) { return v; }

    /** Asserts shape and values (relative/absolute tolerance 1e-5; NaN and infinities must match exactly). */
    static void assertTensor(Tensor actual, int[] shape, float... expected) {
        assertTensor(actual, 1e-5, shape, expected);
    }

    static void assertTensor(Tensor actual, double tol, int[] shape, float... expected) {
        assertArrayEquals(shape, actual.shape(), () -> "shape of " + actual);
        float[] a = actual.toFloatArray();
        if (a.length != expected.length) fail("expected " + expected.length + " values, got " + actual);
        for (int i = 0; i < a.length; i++) {
            if (!close(expected[i], a[i], tol)) {
                fail("element " + i + ": expected " + expected[i] + " got " + a[i] + "\n expected " + Arrays.toString(expected)
                        + "\n actual   " + Arrays.toString(a));
            }
        }
    }

    static boolean close(float e, float a, double tol) {
        if (Float.isNaN(e) || Float.isNaN(a)) return Float.isNaN(e) && Float.isNaN(a);
        if (Float.isInfinite(e) || Float.isInfinite(a)) return e == a;
        return Math.abs(e - a) <= tol * Math.max(1.0, Math.abs(e));
    }

    /** The test-side "equalsApprox": same shape, values within tol. */
    static boolean equalsApprox(Tensor a, Tensor b, double tol) {
        if (!Arrays.equals(a.shape(), b.shape())) return false;
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        for (int i = 0; i < x.length; i++) if (!close(x[i], y[i], tol)) return false;
        return true;
    }

    static void assertClose(Tensor expected, Tensor actual, double tol) {
        if (!equalsApprox(expected, actual, tol)) fail("expected " + expected + "\n got " + actual);
    }

    static void assertSharesStorage(Tensor base, Tensor view) {
        assertTrue(base.storage() == view.storage(), "expected a view sharing storage, got a copy: " + view);
    }

    /** Asserts the exception type and that its message mentions every given fragment. */
    static <E extends Throwable> E assertFails(Class<E> type, Runnable body, String... fragments) {
        E e = assertThrows(type, body::run);
        for (String f : fragments) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    /**
     * The same logical values in several layouts: contiguous; a transposed view of transposed
     * storage; a narrow (non-zero offset) out of NaN-padded storage; a bf16 segment when every
     * value is exact in bf16. An op must give the same result for each.
     */
    static List<Tensor> layouts(Tensor t) {
        List<Tensor> out = new ArrayList<>();
        int[] shape = t.shape();
        float[] v = t.toFloatArray();
        out.add(Tensor.of(v.clone(), shape));
        if (t.numel() == 0 || t.dim() == 0) return out;
        if (t.dim() >= 2) {
            Tensor tr = t.transpose(-1, -2);
            out.add(Tensor.of(tr.toFloatArray(), tr.shape()).transpose(-1, -2));
        }
        int rows = shape[0], row = v.length / rows;
        float[] padded = new float[v.length + 2 * row];
        Arrays.fill(padded, Float.NaN);
        System.arraycopy(v, 0, padded, row, v.length);
        int[] ps = shape.clone();
        ps[0] += 2;
        out.add(Tensor.of(padded, ps).narrow(0, 1, rows));
        boolean bf16Exact = true;
        for (float x : v) bf16Exact &= HalfFloats.roundToBf16(x) == x || Float.isNaN(x);
        if (bf16Exact) {
            var seg = java.lang.foreign.Arena.ofAuto().allocate(2L * v.length);
            for (int i = 0; i < v.length; i++) {
                seg.setAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, i, HalfFloats.floatToBf16(v[i]));
            }
            out.add(Tensor.wrap(new SegmentStorage(seg, DType.BF16, false), shape));
        }
        return out;
    }

    /** Runs {@code op} on every layout of every input; all must match the all-contiguous result exactly. */
    static void assertLayoutIndependent(String name, java.util.function.Function<List<Tensor>, Tensor> op, Tensor... inputs) {
        List<Tensor> base = new ArrayList<>();
        for (Tensor in : inputs) base.add(Tensor.of(in.toFloatArray(), in.shape()));
        Tensor expected = op.apply(base);
        for (int i = 0; i < inputs.length; i++) {
            for (Tensor variant : layouts(inputs[i])) {
                List<Tensor> ins = new ArrayList<>(base);
                ins.set(i, variant);
                Tensor got = op.apply(ins);
                if (!equalsApprox(expected, got, 0)) {
                    fail(name + ": input " + i + " as " + Arrays.toString(variant.strides()) + "+" + variant.offset() + " "
                            + variant.dtype() + " gives " + got + ", contiguous gives " + expected);
                }
            }
        }
    }

    /** Random values at least 0.2 away from zero (for abs, relu and other kinks at 0). */
    static Tensor awayFromZero(long seed, int... shape) {
        float[] v = Tensor.randn(new Rng(seed), shape).toFloatArray();
        for (int i = 0; i < v.length; i++) v[i] += v[i] >= 0 ? 0.2f : -0.2f;
        return Tensor.of(v, shape).requiresGrad(true);
    }

    /** Positive random values in [0.5, 2.5) (log, sqrt, rsqrt, reciprocal, fractional pow). */
    static Tensor positive(long seed, int... shape) {
        return Randoms.uniform(new Rng(seed), 0.5f, 2.5f, shape).requiresGrad(true);
    }

    /**
     * Distinct values spaced 0.1 apart in random order (offset by {@code shift}): no ties within
     * a finite-difference step, for max / min / sort / topk / clamp.
     */
    static Tensor distinct(long seed, float shift, int... shape) {
        int n = Shapes.numel(shape);
        float[] v = new float[n];
        Rng rng = new Rng(seed);
        for (int i = 0; i < n; i++) v[i] = (i - n / 2) * 0.1f + shift;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float x = v[i]; v[i] = v[j]; v[j] = x;
        }
        return Tensor.of(v, shape).requiresGrad(true);
    }
}
