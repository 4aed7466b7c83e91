package dev.genai4j.tensor;

import dev.genai4j.tensor.kernels.VectorMath;

/**
 * The dense loops behind the elementwise ops, split over threads for large tensors. Tensors
 * under {@link #GRAIN} elements stay on the calling thread (a task hand-off costs more than the
 * loop). Hot ops run the {@link VectorMath} kernels: add, mul, scalar mul give the same bits as
 * the scalar loops (one IEEE operation per element); SiLU and tanh-GELU differ from the scalar
 * double-precision formulas by float rounding (a few ulp); exact GELU uses the kernel's
 * Abramowitz–Stegun erf (|error| ≤ 1.5e-7 in erf, so ≤ 1e-6 absolute in GELU for |x| ≤ ~7),
 * which PyTorch parity at fp32 tolerates. Backward keeps the exact {@link Unary#d} derivatives except
 * for SiLU and exact GELU, whose float vector kernels are within a few ulp (GELU: the same erf).
 */
final class ElementwiseLoops {
    private ElementwiseLoops() {}

    /** Minimum elements per task: below 2·GRAIN a loop runs single-threaded. */
    static final int GRAIN = 1 << 15;

    /** Rows per task for row-wise loops over rows of {@code n} elements. */
    static int rowGrain(int n) {
        return Math.max(1, GRAIN / Math.max(1, n));
    }

    @FunctionalInterface
    interface Span {
        void run(int from, int len);
    }

    /**
     * Elements per call of a loop body. The JIT compiles a kernel fully (C2, Vector API
     * intrinsified) only after some hundreds of calls; until then each call runs it in C1, where
     * every vector op allocates and the kernel is ~100× slower, and an OSR switch rarely comes
     * within one call. One call per tensor op meant a UNet's SiLU backward stayed in C1 for the
     * first ~20 training steps; calls of 8192 elements reach the threshold within one step.
     */
    static final int BLOCK = 8192;

    /** Runs {@code body} over [0, n) in chunks of at least {@link #GRAIN} elements, each in calls of at most {@link #BLOCK}. */
    static void split(int n, Span body) {
        if (n < 2 * GRAIN) {
            blocks(0, n, body);
            return;
        }
        Parallel.forRange(n, GRAIN, (from, to) -> blocks(from, to - from, body));
    }

    private static void blocks(int from, int len, Span body) {
        if (len <= 0) {
            body.run(from, len);
            return;
        }
        for (int i = 0; i < len; i += BLOCK) body.run(from + i, Math.min(BLOCK, len - i));
    }

    /** o = x op y over n elements, all dense from offset 0. */
    static void binary(Elementwise.Bin op, float[] x, float[] y, float[] o, int n) {
        split(n, (from, len) -> {
            switch (op) {
                case ADD -> VectorMath.add(x, from, y, from, o, from, len);
                case MUL -> VectorMath.mul(x, from, y, from, o, from, len);
                case SUB -> { for (int i = from; i < from + len; i++) o[i] = x[i] - y[i]; }
                case DIV -> { for (int i = from; i < from + len; i++) o[i] = x[i] / y[i]; }
                case MAX -> { for (int i = from; i < from + len; i++) o[i] = Math.max(x[i], y[i]); }
                case MIN -> { for (int i = from; i < from + len; i++) o[i] = Math.min(x[i], y[i]); }
            }
        });
    }

    /** o = x · c. */
    static void mulScalar(float[] x, float c, float[] o) {
        split(x.length, (from, len) -> VectorMath.scale(x, from, c, o, from, len));
    }

    /** o = x + c. */
    static void addScalar(float[] x, float c, float[] o) {
        split(x.length, (from, len) -> { for (int i = from; i < from + len; i++) o[i] = x[i] + c; });
    }

    /** o = fn(x), the hot activations on their vector kernels. */
    static void unary(Unary fn, float[] x, float[] o) {
        split(x.length, (from, len) -> {
            switch (fn) {
                case SILU -> VectorMath.silu(x, from, o, from, len);
                case GELU_ERF -> VectorMath.geluErf(x, from, o, from, len);
                case GELU_TANH -> VectorMath.geluTanh(x, from, o, from, len);
                case QUICK_GELU -> VectorMath.quickGelu(x, from, o, from, len);
                default -> { for (int i = from; i < from + len; i++) o[i] = fn.f(x[i]); }
            }
        });
    }

    /** r = g · fn'(x) (the backward of {@link #unary}). */
    static void unaryBackward(Unary fn, float[] g, float[] x, float[] y, float[] r) {
        // SiLU and exact GELU (every ResBlock and feed-forward of a UNet) run vector kernels: in the shared
        // loop fn.d is a megamorphic call per element, and even inlined, the scalar double exp made SiLU's
        // backward 14 % of a diffusion UNet training step. Same derivatives in float (a few ulp off Unary.d).
        switch (fn) {
            case SILU -> split(x.length, (from, len) -> VectorMath.siluBackward(g, from, x, from, r, from, len));
            case GELU_ERF -> split(x.length, (from, len) -> VectorMath.geluErfBackward(g, from, x, from, r, from, len));
            case QUICK_GELU -> split(x.length, (from, len) -> {
                for (int i = from; i < from + len; i++) r[i] = g[i] * Unary.QUICK_GELU.d(x[i], y[i]);
            });
            default -> split(x.length, (from, len) -> { for (int i = from; i < from + len; i++) r[i] = g[i] * fn.d(x[i], y[i]); });
        }
    }
}
