package dev.genai4j.tensor.kernels;

import static dev.genai4j.tensor.kernels.VectorSupport.F;

import dev.genai4j.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Fused attention forward with online softmax (FlashAttention, arXiv 2205.14135, Alg. 1 with
 * one query row at a time): one pass over the visible keys in blocks of {@link #KEY_BLOCK},
 * keeping the running max m, the running sum l and the unnormalized output; nothing of size
 * Tq × Tk is ever stored. Only the keys inside a query's window are visited, so local
 * attention costs O(T · window). {@code vector} picks the Vector API path or the scalar twin.
 */
final class AttentionForward {
    private AttentionForward() {}

    static final int KEY_BLOCK = 64;
    static final int QUERY_BLOCK = 16;

    static void run(int batch, int hq, int hkv, int tq, int tk, int d,
                    AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand out,
                    AttentionOptions opt, float[] lse, boolean vector) {
        int group = hq / hkv, qBlocks = (tq + QUERY_BLOCK - 1) / QUERY_BLOCK;
        float scale = opt.scaleFor(d);
        Parallel.forRange(batch * hq * qBlocks, 1, (from, to) -> {
            float[] scores = new float[KEY_BLOCK], acc = new float[d];
            for (int task = from; task < to; task++) {
                int qb = task % qBlocks, bh = task / qBlocks, h = bh % hq, b = bh / hq, kvh = h / group;
                int iEnd = Math.min(tq, (qb + 1) * QUERY_BLOCK);
                for (int i = qb * QUERY_BLOCK; i < iEnd; i++) {
                    float rowLse = row(b, h, kvh, i, tk, d, q, k, v, out, opt, scale, scores, acc, vector);
                    if (lse != null) lse[(b * hq + h) * tq + i] = rowLse;
                }
            }
        });
    }

    /** One query row: writes its output, returns its log-sum-exp (−∞ when it sees no key). */
    private static float row(int b, int h, int kvh, int i, int tk, int d,
                             AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand out,
                             AttentionOptions opt, float scale, float[] scores, float[] acc, boolean vector) {
        float[] qd = q.data(), kd = k.data(), vd = v.data();
        int qo = q.at(b, h, i), lo = opt.firstKey(i), hi = opt.lastKey(i, tk);
        boolean masked = opt.hasKeyMask();
        AttentionBias bias = opt.bias();
        int biasRow = bias == null ? 0 : bias.at(b, h, i);
        float m = Float.NEGATIVE_INFINITY, l = 0f;
        java.util.Arrays.fill(acc, 0f);
        for (int j0 = lo; j0 <= hi; j0 += KEY_BLOCK) {
            int n = Math.min(KEY_BLOCK, hi - j0 + 1);
            float blockMax = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < n; t++) {
                int j = j0 + t;
                float s;
                if (masked && !opt.keyVisible(b, tk, j)) {
                    s = Float.NEGATIVE_INFINITY;
                } else {
                    int ko = k.at(b, kvh, j);
                    s = scale * (vector ? VectorMath.dotVector(qd, qo, kd, ko, d) : VectorMathScalar.dot(qd, qo, kd, ko, d));
                    if (bias != null) s += bias.data()[biasRow + j];
                }
                scores[t] = s;
                blockMax = Math.max(blockMax, s);
            }
            if (blockMax == Float.NEGATIVE_INFINITY) continue;   // nothing visible in this block
            float mNew = Math.max(m, blockMax);
            if (mNew != m) {
                // Rescale what was accumulated under the old max (exp(−∞) = 0 on the first block).
                float c = (float) Math.exp(m - mNew);
                l *= c;
                if (vector) VectorMath.scaleVector(acc, 0, c, acc, 0, d); else for (int t = 0; t < d; t++) acc[t] *= c;
                m = mNew;
            }
            l += vector ? expShiftVector(scores, n, m) : expShiftScalar(scores, n, m);
            for (int t = 0; t < n; t++) {
                float p = scores[t];
                if (p == 0f) continue;
                int vo = v.at(b, kvh, j0 + t);
                if (vector) VectorMath.axpyVector(p, vd, vo, acc, 0, d); else VectorMathScalar.axpy(p, vd, vo, acc, 0, d);
            }
        }
        float[] od = out.data();
        int oo = out.at(b, h, i);
        if (l == 0f) {
            java.util.Arrays.fill(od, oo, oo + d, 0f);
            return Float.NEGATIVE_INFINITY;
        }
        float inv = 1f / l;
        for (int t = 0; t < d; t++) od[oo + t] = acc[t] * inv;
        return (float) (m + Math.log(l));
    }

    /** scores[t] = exp(scores[t] − m) for t < n; returns their sum. */
    static float expShiftVector(float[] scores, int n, float m) {
        FloatVector vm = FloatVector.broadcast(F, m), vs = FloatVector.zero(F);
        int t = 0;
        for (int bound = F.loopBound(n); t < bound; t += F.length()) {
            FloatVector e = FloatVector.fromArray(F, scores, t).sub(vm).lanewise(VectorOperators.EXP);
            e.intoArray(scores, t);
            vs = vs.add(e);
        }
        float s = vs.reduceLanes(VectorOperators.ADD);
        for (; t < n; t++) {
            float e = (float) Math.exp(scores[t] - m);
            scores[t] = e;
            s += e;
        }
        return s;
    }

    static float expShiftScalar(float[] scores, int n, float m) {
        float s = 0f;
        for (int t = 0; t < n; t++) {
            float e = (float) Math.exp(scores[t] - m);
            scores[t] = e;
            s += e;
        }
        return s;
    }
}
