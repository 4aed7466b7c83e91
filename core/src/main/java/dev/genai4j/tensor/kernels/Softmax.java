package dev.genai4j.tensor.kernels;

/** Row-wise softmax and log-softmax in place over a dense [rows, n] array. */
public final class Softmax {
    private Softmax() {}

    public static void softmaxRows(float[] d, int rows, int n) {
        for (int r = 0; r < rows; r++) softmaxRow(d, r * n, n);
    }

    public static void logSoftmaxRows(float[] d, int rows, int n) {
        for (int r = 0; r < rows; r++) logSoftmaxRow(d, r * n, n);
    }

    /** Max-subtracted softmax; a row of all −∞ gives all zeros rather than NaN. */
    public static void softmaxRow(float[] d, int off, int n) {
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

    public static void logSoftmaxRow(float[] d, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) m = Math.max(m, d[off + j]);
        double s = 0;
        for (int j = 0; j < n; j++) s += Math.exp(d[off + j] - m);
        float lse = (float) (m + Math.log(s));
        for (int j = 0; j < n; j++) d[off + j] -= lse;
    }
}
