package dev.genai4j.nn;

import dev.genai4j.io.Weights;
import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.HalfFloats;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Small helpers shared by the nn tests. */
final class NnTesting {
    private NnTesting() {}

    static Tensor randn(long seed, int... shape) { return Tensor.randn(new Rng(seed), shape); }

    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol * Math.max(1.0, Math.abs(expected[i])))) {
                fail(what + ": element " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    static void assertClose(double[] expected, Tensor actual, double tol, String what) {
        float[] e = new float[expected.length];
        for (int i = 0; i < e.length; i++) e[i] = (float) expected[i];
        assertClose(e, actual.toFloatArray(), tol, what);
    }

    static void assertShape(Tensor t, int... shape) { assertArrayEquals(shape, t.shape(), "shape " + Arrays.toString(t.shape())); }

    /** Alternating name / tensor pairs → Weights. */
    static Weights weights(Object... nameTensor) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < nameTensor.length; i += 2) m.put((String) nameTensor[i], (Tensor) nameTensor[i + 1]);
        return Weights.ofMap(m);
    }

    /** A read-only bf16 tensor in off-heap memory, as a memory-mapped checkpoint tensor would be. */
    static Tensor bf16(Tensor src) {
        float[] v = src.toFloatArray();
        MemorySegment seg = Arena.ofAuto().allocate(2L * v.length);
        for (int i = 0; i < v.length; i++) seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, HalfFloats.floatToBf16(v[i]));
        return Tensor.wrap(new SegmentStorage(seg.asReadOnly(), DType.BF16, false), src.shape());
    }

    /** Values after a round trip through bf16. */
    static float[] roundBf16(Tensor src) {
        float[] v = src.toFloatArray();
        for (int i = 0; i < v.length; i++) v[i] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v[i]));
        return v;
    }

    static Tensor ids(int[] ids, int... shape) {
        float[] f = new float[ids.length];
        for (int i = 0; i < f.length; i++) f[i] = ids[i];
        return Tensor.of(f, shape);
    }
}
