package dev.genai4j.tensor.kernels;

/**
 * Each kernel's Vector API path and scalar twin side by side, whatever
 * {@code genai4j.kernels.scalar} says, so that a benchmark can time both in one JVM
 * ({@code bench/KernelBench}). Model code calls the kernels' own classes instead.
 *
 * <pre>{@code
 * KernelPaths.softmaxRow(true, row, 0, n);    // vector
 * KernelPaths.softmaxRow(false, row, 0, n);   // scalar twin
 * }</pre>
 */
public final class KernelPaths {
    private KernelPaths() {}

    public static void add(boolean vector, float[] a, float[] b, float[] out, int n) {
        if (vector) VectorMath.addVector(a, 0, b, 0, out, 0, n); else VectorMathScalar.add(a, 0, b, 0, out, 0, n);
    }

    public static void mul(boolean vector, float[] a, float[] b, float[] out, int n) {
        if (vector) VectorMath.mulVector(a, 0, b, 0, out, 0, n); else VectorMathScalar.mul(a, 0, b, 0, out, 0, n);
    }

    public static void fma(boolean vector, float[] a, float[] b, float[] c, float[] out, int n) {
        if (vector) VectorMath.fmaVector(a, 0, b, 0, c, 0, out, 0, n); else VectorMathScalar.fma(a, 0, b, 0, c, 0, out, 0, n);
    }

    public static void scale(boolean vector, float[] x, float s, float[] out, int n) {
        if (vector) VectorMath.scaleVector(x, 0, s, out, 0, n); else VectorMathScalar.scale(x, 0, s, out, 0, n);
    }

    public static void axpy(boolean vector, float alpha, float[] x, float[] y, int n) {
        if (vector) VectorMath.axpyVector(alpha, x, 0, y, 0, n); else VectorMathScalar.axpy(alpha, x, 0, y, 0, n);
    }

    public static float dot(boolean vector, float[] a, float[] b, int n) {
        return vector ? VectorMath.dotVector(a, 0, b, 0, n) : VectorMathScalar.dot(a, 0, b, 0, n);
    }

    public static float sum(boolean vector, float[] x, int n) {
        return vector ? VectorMath.sumVector(x, 0, n) : VectorMathScalar.sum(x, 0, n);
    }

    public static void silu(boolean vector, float[] x, float[] out, int n) {
        if (vector) VectorMath.siluVector(x, 0, out, 0, n); else VectorMathScalar.silu(x, 0, out, 0, n);
    }

    public static void geluErf(boolean vector, float[] x, float[] out, int n) {
        if (vector) VectorMath.geluErfVector(x, 0, out, 0, n); else VectorMathScalar.geluErf(x, 0, out, 0, n);
    }

    public static void geluTanh(boolean vector, float[] x, float[] out, int n) {
        if (vector) VectorMath.geluTanhVector(x, 0, out, 0, n); else VectorMathScalar.geluTanh(x, 0, out, 0, n);
    }

    public static void softmaxRow(boolean vector, float[] d, int off, int n) {
        if (vector) Softmax.softmaxRowVector(d, off, n); else Softmax.softmaxRowScalar(d, off, n);
    }

    public static void logSoftmaxRow(boolean vector, float[] d, int off, int n) {
        if (vector) Softmax.logSoftmaxRowVector(d, off, n); else Softmax.logSoftmaxRowScalar(d, off, n);
    }

    public static void layerNorm(boolean vector, float[] x, int rows, int n, float[] gamma, float[] beta, float eps,
                                 float[] out, float[] mean, float[] rstd) {
        Norms.layerNorm(x, 0, rows, n, gamma, beta, eps, out, 0, mean, rstd, vector);
    }

    public static void layerNormBackward(boolean vector, float[] dy, float[] x, int rows, int n, float[] gamma,
                                         float[] mean, float[] rstd, float[] dx, float[] dgamma, float[] dbeta) {
        Norms.layerNormBackward(dy, 0, x, 0, rows, n, gamma, mean, rstd, dx, 0, dgamma, dbeta, vector);
    }

    public static void rmsNorm(boolean vector, float[] x, int rows, int n, float[] weight, float eps, float[] out, float[] rstd) {
        Norms.rmsNorm(x, 0, rows, n, weight, false, eps, out, 0, rstd, vector);
    }

    public static void rmsNormBackward(boolean vector, float[] dy, float[] x, int rows, int n, float[] weight,
                                       float[] rstd, float[] dx, float[] dweight) {
        Norms.rmsNormBackward(dy, 0, x, 0, rows, n, weight, false, rstd, dx, 0, dweight, vector);
    }

    public static void attention(boolean vector, int batch, int hq, int hkv, int tq, int tk, int d,
                                 AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand out,
                                 AttentionOptions opt, float[] lse) {
        Attention.forward(batch, hq, hkv, tq, tk, d, q, k, v, out, opt, lse, vector);
    }

    public static void attentionBackward(boolean vector, int batch, int hq, int hkv, int tq, int tk, int d,
                                         AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand out,
                                         AttentionOperand dOut, float[] lse, AttentionOptions opt,
                                         AttentionOperand dq, AttentionOperand dk, AttentionOperand dv) {
        Attention.backward(batch, hq, hkv, tq, tk, d, q, k, v, out, dOut, lse, opt, dq, dk, dv, vector);
    }
}
