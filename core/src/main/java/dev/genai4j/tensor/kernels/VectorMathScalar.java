package dev.genai4j.tensor.kernels;

/**
 * Scalar twins of {@link VectorMath}: the same functions with plain loops, run under
 * {@code -Dgenai4j.kernels.scalar=true} and used by the tests as the reference the vector
 * paths must agree with. Reductions accumulate in double, so they are also the more exact.
 */
public final class VectorMathScalar {
    private VectorMathScalar() {}

    public static void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i] + b[bOff + i];
    }

    public static void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = a[aOff + i] * b[bOff + i];
    }

    public static void fma(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = Math.fma(a[aOff + i], b[bOff + i], c[cOff + i]);
    }

    public static void scale(float[] x, int xOff, float s, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = s * x[xOff + i];
    }

    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) a[aOff + i] * b[bOff + i];
        return (float) s;
    }

    public static float sum(float[] x, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[off + i];
        return (float) s;
    }

    public static float sumSquaredDeviation(float[] x, int off, int n, float mean) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = x[off + i] - mean;
            s += d * d;
        }
        return (float) s;
    }

    public static void shiftScale(float[] x, int xOff, float shift, float scale, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = (x[xOff + i] - shift) * scale;
    }

    public static void affine(float[] x, int xOff, float a, float b, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = Math.fma(x[xOff + i], a, b);
    }

    public static void linear2(float[] x, int xOff, float a, float[] y, int yOff, float b, float c, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = Math.fma(x[xOff + i], a, Math.fma(y[yOff + i], b, c));
    }

    public static void silu(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = silu(x[xOff + i]);
    }

    public static void quickGelu(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = quickGelu(x[xOff + i]);
    }

    public static void geluErf(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = geluErf(x[xOff + i]);
    }

    public static void geluTanh(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = geluTanh(x[xOff + i]);
    }

    public static void erf(float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = erf(x[xOff + i]);
    }

    public static void siluBackward(float[] g, int gOff, float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = g[gOff + i] * siluDerivative(x[xOff + i]);
    }

    public static void geluErfBackward(float[] g, int gOff, float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = g[gOff + i] * geluErfDerivative(x[xOff + i]);
    }

    /** The scalar twin of {@link VectorMath#normAffineSilu}: shiftScale, affine and silu per element. */
    public static void normAffineSilu(float[] x, int xOff, float mean, float rs, float gamma, float beta,
                                      float[] xhat, int xhatOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            float h = (x[xOff + i] - mean) * rs;
            if (xhat != null) xhat[xhatOff + i] = h;
            out[outOff + i] = silu(Math.fma(h, gamma, beta));
        }
    }

    /** The scalar twin of {@link VectorMath#affineSiluBackward}. */
    public static void affineSiluBackward(float[] g, int gOff, float[] xhat, int xhatOff, float gamma, float beta,
                                          float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = g[gOff + i] * siluDerivative(Math.fma(xhat[xhatOff + i], gamma, beta));
    }

    /** The scalar twin of {@link VectorMath#gegluBackward}, in the vector path's order. */
    public static void gegluBackward(float[] g, int gOff, float[] h, int valueOff, int gateOff,
                                     float[] out, int dValueOff, int dGateOff, int n) {
        for (int i = 0; i < n; i++) {
            float x = h[gateOff + i], ax = Math.abs(x * VectorMath.SQRT_HALF);
            float t = 1f / Math.fma(ax, VectorMath.ERF_P, 1f);
            float poly = Math.fma(Math.fma(Math.fma(Math.fma(t, VectorMath.ERF_A5, VectorMath.ERF_A4), t, VectorMath.ERF_A3),
                    t, VectorMath.ERF_A2), t, VectorMath.ERF_A1) * t;
            float e = (float) Math.exp(-(ax * ax));
            float y = 1f - poly * e;
            float erf = x < 0 ? -y : y;
            float gv = g[gOff + i];
            out[dValueOff + i] = gv * (x * 0.5f * (erf + 1f));
            float cdf = (erf + 1f) * 0.5f, pdf = e * VectorMath.INV_SQRT_2PI;
            out[dGateOff + i] = gv * h[valueOff + i] * Math.fma(x, pdf, cdf);
        }
    }

    /** s·(1 + x·(1 − s)), s = sigmoid(x), in the vector path's order. */
    static float siluDerivative(float x) {
        float s = 1f / (1f + (float) Math.exp(-x));
        return (1f + x * (1f - s)) * s;
    }

    /** Φ(x) + x·φ(x) with the A&amp;S erf, in the vector path's order. */
    static float geluErfDerivative(float x) {
        float cdf = 0.5f * (1f + erf(x * VectorMath.SQRT_HALF));
        float pdf = (float) Math.exp(-0.5f * x * x) * VectorMath.INV_SQRT_2PI;
        return Math.fma(x, pdf, cdf);
    }

    static float silu(float x) {
        return x / (1f + (float) Math.exp(-x));
    }

    static float quickGelu(float x) {
        return x / (1f + (float) Math.exp(-VectorMath.QUICK_GELU_SLOPE * x));
    }

    static float geluErf(float x) {
        return 0.5f * x * (1f + erf(x * VectorMath.SQRT_HALF));
    }

    static float geluTanh(float x) {
        float minus2u = -2f * VectorMath.SQRT_2_OVER_PI * x * (1f + VectorMath.GELU_TANH_CUBIC * x * x);
        return x / (1f + (float) Math.exp(minus2u));
    }

    /** A&S 7.1.26, the same formula as the vector path (see {@link VectorMath}). */
    static float erf(float x) {
        float ax = Math.abs(x);
        float t = 1f / (1f + VectorMath.ERF_P * ax);
        float poly = t * (VectorMath.ERF_A1 + t * (VectorMath.ERF_A2 + t * (VectorMath.ERF_A3
                + t * (VectorMath.ERF_A4 + t * VectorMath.ERF_A5))));
        float y = 1f - poly * (float) Math.exp(-ax * ax);
        return x < 0 ? -y : y;
    }

    /** Twin of {@link VectorMath#widenBf16}. */
    static void widenBf16(java.lang.foreign.MemorySegment seg, long byteOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = Float.intBitsToFloat(seg.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, byteOff + 2L * i) << 16);
        }
    }
}
