package dev.genai4j.tensor.kernels;

/**
 * Naive attention in doubles for the tests: materialize the scores, apply every mask the way
 * the definitions read (not the way the kernel iterates), softmax, multiply by V; and the
 * gradients from the materialized probabilities.
 */
final class AttentionReference {
    final int batch, hq, hkv, tq, tk, d;
    final AttentionOperand q, k, v;
    final AttentionOptions opt;
    final double[][][][] p;            // [B, Hq, Tq, Tk] probabilities (0 where masked)
    final double[] out;                // [B, Hq, Tq, D] dense
    final double[] lse;                // [B, Hq, Tq]

    AttentionReference(int batch, int hq, int hkv, int tq, int tk, int d,
                       AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOptions opt) {
        this.batch = batch; this.hq = hq; this.hkv = hkv; this.tq = tq; this.tk = tk; this.d = d;
        this.q = q; this.k = k; this.v = v; this.opt = opt;
        p = new double[batch][hq][tq][tk];
        out = new double[batch * hq * tq * d];
        lse = new double[batch * hq * tq];
        double scale = Float.isNaN(opt.scale()) ? 1 / Math.sqrt(d) : opt.scale();
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < hq; h++) {
                int kvh = h / (hq / hkv);
                for (int i = 0; i < tq; i++) {
                    double[] s = new double[tk];
                    double m = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < tk; j++) {
                        s[j] = visible(b, i, j) ? scale * dot(q, b, h, i, k, b, kvh, j) + bias(b, h, i, j) : Double.NEGATIVE_INFINITY;
                        m = Math.max(m, s[j]);
                    }
                    int row = (b * hq + h) * tq + i;
                    if (m == Double.NEGATIVE_INFINITY) { lse[row] = m; continue; }
                    double sum = 0;
                    for (int j = 0; j < tk; j++) sum += Math.exp(s[j] - m);
                    lse[row] = m + Math.log(sum);
                    for (int j = 0; j < tk; j++) {
                        double pj = Math.exp(s[j] - m) / sum;
                        p[b][h][i][j] = pj;
                        if (pj == 0) continue;   // masked keys may hold anything, even NaN
                        for (int t = 0; t < d; t++) out[row * d + t] += pj * v.data()[v.at(b, kvh, j) + t];
                    }
                }
            }
    }

    boolean visible(int b, int i, int j) {
        long pos = (long) opt.queryOffset() + i;
        if (opt.causal() && j > pos) return false;
        if (j < pos - opt.windowLeft() || j > pos + opt.windowRight()) return false;
        if (opt.keyMask() != null && !opt.keyMask()[b * tk + j]) return false;
        if (opt.keyMaskValues() != null && opt.keyMaskValues()[b * tk + j] == 0f) return false;
        return true;
    }

    double bias(int b, int h, int i, int j) {
        AttentionBias bias = opt.bias();
        return bias == null ? 0 : bias.data()[bias.offset() + b * bias.batchStride() + h * bias.headStride() + i * bias.queryStride() + j];
    }

    private double dot(AttentionOperand x, int b, int h, int i, AttentionOperand y, int b2, int h2, int j) {
        int xo = x.at(b, h, i), yo = y.at(b2, h2, j);
        double s = 0;
        for (int t = 0; t < d; t++) s += (double) x.data()[xo + t] * y.data()[yo + t];
        return s;
    }

    /** Gradients for dOut (dense [B, Hq, Tq, D]); returns {dq dense [B,Hq,Tq,D], dk, dv dense [B,Hkv,Tk,D]}. */
    double[][] gradients(float[] dOut) {
        double scale = Float.isNaN(opt.scale()) ? 1 / Math.sqrt(d) : opt.scale();
        double[] dq = new double[batch * hq * tq * d], dk = new double[batch * hkv * tk * d], dv = new double[dk.length];
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < hq; h++) {
                int kvh = h / (hq / hkv);
                for (int i = 0; i < tq; i++) {
                    int row = (b * hq + h) * tq + i;
                    double[] dp = new double[tk];
                    double rowDot = 0;
                    for (int j = 0; j < tk; j++) {
                        for (int t = 0; t < d; t++) dp[j] += dOut[row * d + t] * v.data()[v.at(b, kvh, j) + t];
                        rowDot += p[b][h][i][j] * dp[j];
                    }
                    for (int j = 0; j < tk; j++) {
                        double pij = p[b][h][i][j];
                        if (pij == 0) continue;
                        double ds = pij * (dp[j] - rowDot) * scale;
                        int kRow = (b * hkv + kvh) * tk + j;
                        for (int t = 0; t < d; t++) {
                            dv[kRow * d + t] += pij * dOut[row * d + t];
                            dq[row * d + t] += ds * k.data()[k.at(b, kvh, j) + t];
                            dk[kRow * d + t] += ds * q.data()[q.at(b, h, i) + t];
                        }
                    }
                }
            }
        return new double[][]{dq, dk, dv};
    }
}
