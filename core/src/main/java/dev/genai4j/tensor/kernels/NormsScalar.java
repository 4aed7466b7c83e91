package dev.genai4j.tensor.kernels;

/** Scalar twins of {@link NormsVector}'s row kernels; row sums accumulate in double. */
final class NormsScalar {
    private NormsScalar() {}

    static void layerNormRow(float[] x, int xo, int n, float[] gamma, float[] beta, float eps,
                             float[] out, int oo, float[] mean, float[] rstd, int r) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[xo + i];
        float mu = (float) (s / n);
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double c = x[xo + i] - mu;
            ss += c * c;
        }
        float rs = 1f / (float) Math.sqrt((float) (ss / n) + eps);
        if (mean != null) mean[r] = mu;
        if (rstd != null) rstd[r] = rs;
        float shift = -mu * rs;                       // PyTorch's order: (x·rstd + (−μ·rstd))·γ + β
        for (int i = 0; i < n; i++) {
            float y = x[xo + i] * rs + shift;
            if (gamma != null) y *= gamma[i];
            if (beta != null) y += beta[i];
            out[oo + i] = y;
        }
    }

    static void layerNormBackwardRow(float[] dy, int dyo, float[] x, int xo, int n, float[] gamma, float mu, float rs,
                                     float[] dx, int dxo, float[] dgamma, float[] dbeta) {
        double sumG = 0, sumGx = 0;
        for (int i = 0; i < n; i++) {
            double g = gamma != null ? (double) dy[dyo + i] * gamma[i] : dy[dyo + i];
            sumG += g;
            sumGx += g * (x[xo + i] - mu) * rs;
        }
        double a = sumG / n, b = sumGx / n;
        for (int i = 0; i < n; i++) {
            float d = dy[dyo + i], xh = (x[xo + i] - mu) * rs;
            double g = gamma != null ? (double) d * gamma[i] : d;
            dx[dxo + i] = (float) ((g - a - xh * b) * rs);
            if (dgamma != null) dgamma[i] += d * xh;
            if (dbeta != null) dbeta[i] += d;
        }
    }

    static void rmsNormRow(float[] x, int xo, int n, float[] weight, boolean onePlus, float eps,
                           float[] out, int oo, float[] rstd, int r) {
        double ss = 0;
        for (int i = 0; i < n; i++) ss += (double) x[xo + i] * x[xo + i];
        float rs = (float) (1.0 / Math.sqrt(ss / n + eps));
        if (rstd != null) rstd[r] = rs;
        for (int i = 0; i < n; i++) {
            float y = x[xo + i] * rs;
            if (weight != null) y *= onePlus ? 1f + weight[i] : weight[i];
            out[oo + i] = y;
        }
    }

    static void rmsNormBackwardRow(float[] dy, int dyo, float[] x, int xo, int n, float[] weight, boolean onePlus,
                                   float rs, float[] dx, int dxo, float[] dweight) {
        double sumGx = 0;
        for (int i = 0; i < n; i++) {
            double g = dy[dyo + i];
            if (weight != null) g *= onePlus ? 1f + weight[i] : weight[i];
            sumGx += g * x[xo + i] * rs;
        }
        double b = sumGx / n;
        for (int i = 0; i < n; i++) {
            float d = dy[dyo + i], xh = x[xo + i] * rs;
            double g = d;
            if (weight != null) g *= onePlus ? 1f + weight[i] : weight[i];
            dx[dxo + i] = (float) ((g - xh * b) * rs);
            if (dweight != null) dweight[i] += d * xh;
        }
    }
}
