package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.Parallel;

/**
 * Fused attention backward (FlashAttention, arXiv 2205.14135, Alg. 2 / App. B.2): the
 * probabilities are recomputed from q, k and the forward's log-sum-exp, p = exp(s − lse), never
 * stored; with δ_i = dO_i · O_i,
 * dV_j += p_ij·dO_i,  dS_ij = p_ij·(dO_i·V_j − δ_i),  dQ_i += scale·dS_ij·K_j,  dK_j += scale·dS_ij·Q_i.
 * Parallel over (batch, kv head): a task owns one kv head's dK/dV and its query heads' dQ, so no
 * two tasks write the same element and the result does not depend on scheduling.
 */
final class AttentionBackward {
    private AttentionBackward() {}

    static void run(int batch, int hq, int hkv, int tq, int tk, int d,
                    AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand out,
                    AttentionOperand dOut, float[] lse, AttentionOptions opt,
                    AttentionOperand dq, AttentionOperand dk, AttentionOperand dv, boolean vector) {
        int group = hq / hkv;
        float scale = opt.scaleFor(d);
        boolean masked = opt.hasKeyMask();
        AttentionBias bias = opt.bias();
        float[] qd = q.data(), kd = k.data(), vd = v.data(), od = out.data(), gd = dOut.data();
        float[] dqd = dq.data(), dkd = dk.data(), dvd = dv.data();
        Parallel.forRange(batch * hkv, 1, (from, to) -> {
            for (int task = from; task < to; task++) {
                int b = task / hkv, kvh = task % hkv;
                for (int j = 0; j < tk; j++) {
                    java.util.Arrays.fill(dkd, dk.at(b, kvh, j), dk.at(b, kvh, j) + d, 0f);
                    java.util.Arrays.fill(dvd, dv.at(b, kvh, j), dv.at(b, kvh, j) + d, 0f);
                }
                for (int h = kvh * group; h < (kvh + 1) * group; h++) {
                    for (int i = 0; i < tq; i++) {
                        int qo = q.at(b, h, i), go = dOut.at(b, h, i), dqo = dq.at(b, h, i);
                        java.util.Arrays.fill(dqd, dqo, dqo + d, 0f);
                        float rowLse = lse[(b * hq + h) * tq + i];
                        if (rowLse == Float.NEGATIVE_INFINITY) continue;   // the row saw no key: output 0, no gradient
                        float delta = dot(gd, go, od, out.at(b, h, i), d, vector);
                        int biasRow = bias == null ? 0 : bias.at(b, h, i);
                        int hi = opt.lastKey(i, tk);
                        for (int j = opt.firstKey(i); j <= hi; j++) {
                            if (masked && !opt.keyVisible(b, tk, j)) continue;
                            int ko = k.at(b, kvh, j), vo = v.at(b, kvh, j);
                            float s = scale * dot(qd, qo, kd, ko, d, vector);
                            if (bias != null) s += bias.data()[biasRow + j];
                            float p = (float) Math.exp(s - rowLse);
                            if (p == 0f) continue;
                            axpy(p, gd, go, dvd, dv.at(b, kvh, j), d, vector);
                            float ds = p * (dot(gd, go, vd, vo, d, vector) - delta) * scale;
                            axpy(ds, kd, ko, dqd, dqo, d, vector);
                            axpy(ds, qd, qo, dkd, dk.at(b, kvh, j), d, vector);
                        }
                    }
                }
            }
        });
    }

    private static float dot(float[] a, int ao, float[] b, int bo, int n, boolean vector) {
        return vector ? VectorMath.dotVector(a, ao, b, bo, n) : VectorMathScalar.dot(a, ao, b, bo, n);
    }

    private static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n, boolean vector) {
        if (vector) VectorMath.axpyVector(alpha, x, xo, y, yo, n); else VectorMathScalar.axpy(alpha, x, xo, y, yo, n);
    }
}
