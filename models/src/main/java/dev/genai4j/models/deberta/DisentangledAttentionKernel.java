package dev.genai4j.models.deberta;

import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.kernels.Gemm;
import dev.genai4j.tensor.kernels.Softmax;

import java.util.Arrays;

/**
 * Inference kernel of DeBERTa's disentangled attention (arXiv 2006.03654 eq. 4; HF
 * {@code DisentangledSelfAttention} in eval mode) for one layer, one (batch row, head) per task:
 * <pre>
 *   score(i, j) = (q_i·k_j + q_i·Kr[c2p(i, j)] + k_j·Qr[p2c(i, j)]) / √(d · scaleFactor)
 * </pre>
 * The two relative terms are first computed as dense products against the projected relative
 * embeddings, c2p = Q·Krᵀ and p2c = K·Qrᵀ, each [T, R] (R ≤ 2·span rows actually read), and then
 * gathered by index while the scores are formed, so nothing of size [B, H, T, T, span] or even
 * [B, H, T, T] beyond one head's [T, T] scores ever exists. The mask follows HF's
 * {@code XSoftmax}: pair (i, j) is visible when both tokens are, a query row that sees nothing
 * (a padded token) gets all-zero probabilities, hence a zero context.
 *
 * <p>Each task runs its GEMMs single-threaded (calls from a {@link Parallel} worker run inline);
 * parallelism comes from the B·H tasks.
 */
final class DisentangledAttentionKernel {
    private DisentangledAttentionKernel() {}

    /**
     * @param q,k,v   [B, T, nH·d] projections, heads contiguous in the last axis
     * @param posQ    [R, nH·d] projected relative embeddings for the p2c term (rows {@code cols.first()} …), or null without p2c
     * @param posK    [R, nH·d] projected relative embeddings for the c2p term, or null without c2p
     * @param cols    the table columns each (i, j) reads; null when neither term is on
     * @param scale   1 / √(d · scaleFactor)
     * @param mask    [B, T] HF attention_mask (non-zero = token), or null for all tokens
     * @param out     [B, T, nH·d] context, written
     */
    static void forward(int batch, int t, int heads, int d, float[] q, float[] k, float[] v, float[] posQ, float[] posK,
                        RelativePositions.Columns cols, float scale, float[] mask, float[] out) {
        int hd = heads * d;
        int r = cols == null ? 0 : cols.width();
        FloatStorage qs = new FloatStorage(q), ks = new FloatStorage(k), vs = new FloatStorage(v);
        FloatStorage pqs = posQ == null ? null : new FloatStorage(posQ), pks = posK == null ? null : new FloatStorage(posK);
        Parallel.forRange(batch * heads, 1, (from, to) -> {
            float[] scores = new float[t * t];                       // [T, T] one head's scores, then probabilities
            float[] c2p = posK == null ? null : new float[t * r];    // [T, R] q_i · Kr_r
            float[] p2c = posQ == null ? null : new float[t * r];    // [T, R] k_j · Qr_r
            FloatStorage probs = new FloatStorage(scores);
            for (int task = from; task < to; task++) {
                int b = task / heads, h = task % heads;
                int rowOff = b * t * hd + h * d;                   // element (b, 0, h, 0)
                // q·kᵀ: A = Q_bh [T, d] (row stride nH·d), B = K_bhᵀ read through strides
                Gemm.sgemm(t, t, d, qs, rowOff, hd, 1, ks, rowOff, 1, hd, scores, 0, t, false);
                if (c2p != null) Gemm.sgemm(t, r, d, qs, rowOff, hd, 1, pks, h * d, 1, hd, c2p, 0, r, false);
                if (p2c != null) Gemm.sgemm(t, r, d, ks, rowOff, hd, 1, pqs, h * d, 1, hd, p2c, 0, r, false);
                for (int i = 0; i < t; i++) {
                    int base = i * t;
                    if (mask != null && mask[b * t + i] == 0f) {
                        Arrays.fill(scores, base, base + t, 0f);   // XSoftmax: a masked query row attends to nothing
                        continue;
                    }
                    combineRow(scores, base, t, i, c2p, p2c, r, cols, scale, mask, b * t);
                    Softmax.softmaxRow(scores, base, t);
                }
                // context = P · V_bh, written straight into its heads' columns of out
                Gemm.sgemm(t, d, t, probs, 0, t, 1, vs, rowOff, hd, 1, out, rowOff, hd, false);
            }
        });
    }

    /** Row i of the scores: content + gathered c2p + gathered p2c, scaled; masked keys −∞. */
    private static void combineRow(float[] s, int base, int t, int i, float[] c2p, float[] p2c, int r,
                                   RelativePositions.Columns cols, float scale, float[] mask, int maskOff) {
        if (c2p != null) {
            int[] col = cols.c2p();
            int cRow = i * r;
            for (int j = 0; j < t; j++) s[base + j] += c2p[cRow + col[base + j]];
        }
        if (p2c != null) {
            int[] col = cols.p2c();
            // p2c(i, j) = k_j · Qr[col]: one element of key row j's table per j
            for (int j = 0; j < t; j++) s[base + j] += p2c[j * r + col[base + j]];
        }
        for (int j = 0; j < t; j++) {
            s[base + j] = mask != null && mask[maskOff + j] == 0f ? Float.NEGATIVE_INFINITY : s[base + j] * scale;
        }
    }
}
