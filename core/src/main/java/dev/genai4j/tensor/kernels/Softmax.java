package dev.genai4j.tensor.kernels;

import static dev.genai4j.tensor.kernels.VectorSupport.F;

import dev.genai4j.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Row-wise softmax and log-softmax in place over a dense [rows, n] array. Rows run in parallel;
 * each row takes the Vector API path (max, exp, sum, scale) or, under
 * {@code -Dgenai4j.kernels.scalar=true}, its scalar twin.
 *
 * <pre>{@code
 * float[] d = {0, 1, 2,   5, 5, Float.NEGATIVE_INFINITY};
 * Softmax.softmaxRows(d, 2, 3);   // {0.090, 0.245, 0.665,   0.5, 0.5, 0}
 * }</pre>
 */
public final class Softmax {
    private Softmax() {}

    /** Elements per parallel task: below this a row batch is not worth a thread hand-off. */
    private static final int GRAIN_ELEMENTS = 1 << 14;

    public static void softmaxRows(float[] d, int rows, int n) {
        Parallel.forRange(rows, Math.max(1, GRAIN_ELEMENTS / Math.max(1, n)), (from, to) -> {
            for (int r = from; r < to; r++) softmaxRow(d, r * n, n);
        });
    }

    public static void logSoftmaxRows(float[] d, int rows, int n) {
        Parallel.forRange(rows, Math.max(1, GRAIN_ELEMENTS / Math.max(1, n)), (from, to) -> {
            for (int r = from; r < to; r++) logSoftmaxRow(d, r * n, n);
        });
    }

    /** Max-subtracted softmax; a row of all −∞ gives all zeros rather than NaN. */
    public static void softmaxRow(float[] d, int off, int n) {
        if (VectorSupport.ENABLED) softmaxRowVector(d, off, n); else softmaxRowScalar(d, off, n);
    }

    /** log-softmax; a row of all −∞ gives NaN, as in PyTorch. */
    public static void logSoftmaxRow(float[] d, int off, int n) {
        if (VectorSupport.ENABLED) logSoftmaxRowVector(d, off, n); else logSoftmaxRowScalar(d, off, n);
    }

    static void softmaxRowVector(float[] d, int off, int n) {
        float m = maxVector(d, off, n);
        if (m == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(d, off, off + n, 0f);
            return;
        }
        float s = expSubtractInPlace(d, off, n, m);
        VectorMath.scaleVector(d, off, 1f / s, d, off, n);
    }

    static void logSoftmaxRowVector(float[] d, int off, int n) {
        float m = maxVector(d, off, n);
        float s = sumExpSubtract(d, off, n, m);
        float lse = (float) (m + Math.log(s));
        FloatVector vl = FloatVector.broadcast(F, lse);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length())
            FloatVector.fromArray(F, d, off + i).sub(vl).intoArray(d, off + i);
        for (; i < n; i++) d[off + i] -= lse;
    }

    static float maxVector(float[] d, int off, int n) {
        FloatVector vm = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) vm = vm.max(FloatVector.fromArray(F, d, off + i));
        float m = vm.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, d[off + i]);
        return m;
    }

    /** d[i] = exp(d[i] − m) in place; returns Σ of the new values. */
    static float expSubtractInPlace(float[] d, int off, int n, float m) {
        FloatVector vm = FloatVector.broadcast(F, m), vs = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector e = FloatVector.fromArray(F, d, off + i).sub(vm).lanewise(VectorOperators.EXP);
            e.intoArray(d, off + i);
            vs = vs.add(e);
        }
        float s = vs.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(d[off + i] - m);
            d[off + i] = e;
            s += e;
        }
        return s;
    }

    /** Σ exp(d[i] − m), leaving d unchanged. */
    static float sumExpSubtract(float[] d, int off, int n, float m) {
        FloatVector vm = FloatVector.broadcast(F, m), vs = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length())
            vs = vs.add(FloatVector.fromArray(F, d, off + i).sub(vm).lanewise(VectorOperators.EXP));
        float s = vs.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += (float) Math.exp(d[off + i] - m);
        return s;
    }

    static void softmaxRowScalar(float[] d, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) m = Math.max(m, d[off + j]);
        if (m == Float.NEGATIVE_INFINITY) {
            for (int j = 0; j < n; j++) d[off + j] = 0f;
            return;
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
            float e = (float) Math.exp(d[off + j] - m);
            d[off + j] = e;
            s += e;
        }
        float inv = (float) (1.0 / s);
        for (int j = 0; j < n; j++) d[off + j] *= inv;
    }

    static void logSoftmaxRowScalar(float[] d, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) m = Math.max(m, d[off + j]);
        double s = 0;
        for (int j = 0; j < n; j++) s += Math.exp(d[off + j] - m);
        float lse = (float) (m + Math.log(s));
        for (int j = 0; j < n; j++) d[off + j] -= lse;
    }
}
