package dev.genai4j.models.clip.train;

/**
 * A linear probe (arXiv 2103.00020 §3.2): multinomial logistic regression on frozen features,
 * features standardized with the training set's mean and deviation, full-batch Adam on the
 * L2-regularized cross-entropy. Small enough (N × P × C) to run in plain arrays.
 *
 * <pre>{@code
 * LinearProbe p = LinearProbe.fit(trainX, trainY, 10, 1e-4, 300);
 * double acc = p.accuracy(testX, testY);
 * }</pre>
 */
public final class LinearProbe {
    private final int p, c;
    private final float[] mean, std;
    private final double[] w;   // [C, P]
    private final double[] b;   // [C]

    private LinearProbe(int p, int c, float[] mean, float[] std, double[] w, double[] b) {
        this.p = p;
        this.c = c;
        this.mean = mean;
        this.std = std;
        this.w = w;
        this.b = b;
    }

    /**
     * @param x       features [N][P]
     * @param y       labels in [0, classes)
     * @param l2      weight penalty λ·‖W‖²/2
     * @param epochs  full-batch Adam steps (lr 0.05)
     */
    public static LinearProbe fit(float[][] x, int[] y, int classes, double l2, int epochs) {
        int n = x.length, p = x[0].length;
        float[] mean = new float[p], std = new float[p];
        for (float[] r : x) for (int j = 0; j < p; j++) mean[j] += r[j] / n;
        for (float[] r : x) for (int j = 0; j < p; j++) std[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / n;
        for (int j = 0; j < p; j++) std[j] = (float) Math.sqrt(std[j] + 1e-8);
        double[][] z = new double[n][p];
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) z[i][j] = (x[i][j] - mean[j]) / std[j];
        double[] w = new double[classes * p], b = new double[classes];
        double[] mw = new double[w.length], vw = new double[w.length], mb = new double[classes], vb = new double[classes];
        double lr = 0.05, b1 = 0.9, b2 = 0.999;
        double[] logits = new double[classes];
        for (int t = 1; t <= epochs; t++) {
            double[] gw = new double[w.length], gb = new double[classes];
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    double s = b[k];
                    for (int j = 0; j < p; j++) s += w[k * p + j] * z[i][j];
                    logits[k] = s;
                    max = Math.max(max, s);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) sum += (logits[k] = Math.exp(logits[k] - max));
                for (int k = 0; k < classes; k++) {
                    double g = (logits[k] / sum - (y[i] == k ? 1 : 0)) / n;
                    gb[k] += g;
                    for (int j = 0; j < p; j++) gw[k * p + j] += g * z[i][j];
                }
            }
            for (int k = 0; k < w.length; k++) {
                double g = gw[k] + l2 * w[k];
                mw[k] = b1 * mw[k] + (1 - b1) * g;
                vw[k] = b2 * vw[k] + (1 - b2) * g * g;
                w[k] -= lr * (mw[k] / (1 - Math.pow(b1, t))) / (Math.sqrt(vw[k] / (1 - Math.pow(b2, t))) + 1e-8);
            }
            for (int k = 0; k < classes; k++) {
                mb[k] = b1 * mb[k] + (1 - b1) * gb[k];
                vb[k] = b2 * vb[k] + (1 - b2) * gb[k] * gb[k];
                b[k] -= lr * (mb[k] / (1 - Math.pow(b1, t))) / (Math.sqrt(vb[k] / (1 - Math.pow(b2, t))) + 1e-8);
            }
        }
        return new LinearProbe(p, classes, mean, std, w, b);
    }

    /** The most probable class of one feature row. */
    public int predict(float[] x) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
            double s = b[k];
            for (int j = 0; j < p; j++) s += w[k * p + j] * (x[j] - mean[j]) / std[j];
            if (s > bestScore) {
                bestScore = s;
                best = k;
            }
        }
        return best;
    }

    /** Fraction of rows predicted right. */
    public double accuracy(float[][] x, int[] y) {
        int right = 0;
        for (int i = 0; i < x.length; i++) if (predict(x[i]) == y[i]) right++;
        return (double) right / x.length;
    }
}
