package dev.genai4j.models.bert;

import java.util.Map;

/**
 * An independent BERT forward in double precision with plain loops (no genai4j ops), written
 * from HF {@code modeling_bert.py}: the reference for the synthetic check case. erf is
 * Abramowitz–Stegun 7.1.26 (|error| ≤ 1.5e-7), far inside the case's 1e-4 tolerance.
 */
final class BertReference {
    private BertReference() {}

    /** Weights by HF name as row-major doubles; returns last_hidden_state [B][T][H]. */
    static double[][][] forward(Map<String, double[]> w, int layers, int hidden, int heads, int inter, double eps,
                                int[][] ids, int[][] mask, int[][] types) {
        int b = ids.length, t = ids[0].length, hd = hidden / heads;
        double[][][] out = new double[b][][];
        for (int n = 0; n < b; n++) {
            double[][] x = new double[t][hidden];
            for (int i = 0; i < t; i++) {
                for (int h = 0; h < hidden; h++) {
                    x[i][h] = w.get("embeddings.word_embeddings.weight")[ids[n][i] * hidden + h]
                            + w.get("embeddings.position_embeddings.weight")[i * hidden + h]
                            + w.get("embeddings.token_type_embeddings.weight")[types[n][i] * hidden + h];
                }
                x[i] = layerNorm(x[i], w.get("embeddings.LayerNorm.weight"), w.get("embeddings.LayerNorm.bias"), eps);
            }
            for (int l = 0; l < layers; l++) {
                String p = "encoder.layer." + l + ".";
                double[][] q = linear(x, w, p + "attention.self.query", hidden, hidden);
                double[][] k = linear(x, w, p + "attention.self.key", hidden, hidden);
                double[][] v = linear(x, w, p + "attention.self.value", hidden, hidden);
                double[][] ctx = new double[t][hidden];
                for (int hh = 0; hh < heads; hh++) {
                    for (int i = 0; i < t; i++) {
                        double[] s = new double[t];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < t; j++) {
                            if (mask[n][j] == 0) { s[j] = Double.NEGATIVE_INFINITY; continue; }
                            double d = 0;
                            for (int c = 0; c < hd; c++) d += q[i][hh * hd + c] * k[j][hh * hd + c];
                            s[j] = d / Math.sqrt(hd);
                            max = Math.max(max, s[j]);
                        }
                        double sum = 0;
                        for (int j = 0; j < t; j++) { s[j] = Math.exp(s[j] - max); sum += s[j]; }
                        for (int j = 0; j < t; j++) {
                            double pj = s[j] / sum;
                            for (int c = 0; c < hd; c++) ctx[i][hh * hd + c] += pj * v[j][hh * hd + c];
                        }
                    }
                }
                double[][] o = linear(ctx, w, p + "attention.output.dense", hidden, hidden);
                for (int i = 0; i < t; i++) {
                    for (int h = 0; h < hidden; h++) o[i][h] += x[i][h];
                    x[i] = layerNorm(o[i], w.get(p + "attention.output.LayerNorm.weight"), w.get(p + "attention.output.LayerNorm.bias"), eps);
                }
                double[][] f = linear(x, w, p + "intermediate.dense", hidden, inter);
                for (double[] row : f) for (int h = 0; h < inter; h++) row[h] = 0.5 * row[h] * (1 + erf(row[h] / Math.sqrt(2)));
                double[][] y = linear(f, w, p + "output.dense", inter, hidden);
                for (int i = 0; i < t; i++) {
                    for (int h = 0; h < hidden; h++) y[i][h] += x[i][h];
                    x[i] = layerNorm(y[i], w.get(p + "output.LayerNorm.weight"), w.get(p + "output.LayerNorm.bias"), eps);
                }
            }
            out[n] = x;
        }
        return out;
    }

    /** Mean over mask, then L2 normalization: [B][H]. */
    static double[][] meanPoolNormalized(double[][][] hidden, int[][] mask) {
        int b = hidden.length, t = hidden[0].length, h = hidden[0][0].length;
        double[][] out = new double[b][h];
        for (int n = 0; n < b; n++) {
            double cnt = 0;
            for (int i = 0; i < t; i++) {
                if (mask[n][i] == 0) continue;
                cnt++;
                for (int c = 0; c < h; c++) out[n][c] += hidden[n][i][c];
            }
            double norm = 0;
            for (int c = 0; c < h; c++) { out[n][c] /= Math.max(cnt, 1e-9); norm += out[n][c] * out[n][c]; }
            norm = Math.max(Math.sqrt(norm), 1e-12);
            for (int c = 0; c < h; c++) out[n][c] /= norm;
        }
        return out;
    }

    private static double[][] linear(double[][] x, Map<String, double[]> w, String name, int in, int out) {
        double[] wt = w.get(name + ".weight"), bias = w.get(name + ".bias");   // [out, in], [out]
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = bias[o];
                for (int c = 0; c < in; c++) s += x[i][c] * wt[o * in + c];
                y[i][o] = s;
            }
        }
        return y;
    }

    private static double[] layerNorm(double[] x, double[] g, double[] b, double eps) {
        double mean = 0, var = 0;
        for (double v : x) mean += v;
        mean /= x.length;
        for (double v : x) var += (v - mean) * (v - mean);
        var /= x.length;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (x[i] - mean) / Math.sqrt(var + eps) * g[i] + b[i];
        return y;
    }

    static double erf(double x) {
        double s = Math.signum(x), a = Math.abs(x);
        double t = 1 / (1 + 0.3275911 * a);
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
        return s * y;
    }
}
