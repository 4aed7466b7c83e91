package dev.genai4j.tensor.kernels;

import static dev.genai4j.tensor.kernels.VectorSupport.F;

import dev.genai4j.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Fused attention backward (FlashAttention-2, arXiv 2307.08691, Alg. 2): the probabilities are
 * recomputed block by block from q, k and the forward's log-sum-exp, P = exp(S − lse), never
 * stored whole; with δ_i = dO_i · O_i,
 * dV_j += Σ_i P_ij·dO_i,  dS_ij = P_ij·(dO_i·V_j − δ_i)·scale,  dQ_i += Σ_j dS_ij·K_j,  dK_j += Σ_i dS_ij·Q_i.
 *
 * <p>A task is (batch, kv head): it owns that head's dK/dV and its query heads' dQ, so no two
 * tasks write the same element and the result does not depend on scheduling. Inside, the same
 * blocking as {@link AttentionForward}: rows = group heads × a query block, keys in blocks of
 * {@link AttentionForward#KEY_BLOCK} within the rows' windows (O(T · window) for local attention),
 * K and V transposed per block so scores and dO·V are broadcast-FMAs across keys.
 */
final class AttentionBackward {
    private AttentionBackward() {}

    private static final int KB = AttentionForward.KEY_BLOCK;

    static void run(int batch, int hq, int hkv, int tq, int tk, int d,
                    AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand out,
                    AttentionOperand dOut, float[] lse, AttentionOptions opt,
                    AttentionOperand dq, AttentionOperand dk, AttentionOperand dv, boolean vector) {
        int group = hq / hkv, qb = Math.max(1, AttentionForward.ROWS_PER_TASK / group);
        float scale = opt.scaleFor(d);
        Parallel.forRange(batch * hkv, 1, (from, to) -> {
            Scratch s = new Scratch(group * qb, d);
            for (int task = from; task < to; task++) {
                int b = task / hkv, kvh = task % hkv;
                for (int j = 0; j < tk; j++) {
                    java.util.Arrays.fill(dk.data(), dk.at(b, kvh, j), dk.at(b, kvh, j) + d, 0f);
                    java.util.Arrays.fill(dv.data(), dv.at(b, kvh, j), dv.at(b, kvh, j) + d, 0f);
                }
                for (int i0 = 0; i0 < tq; i0 += qb)
                    block(b, kvh, group, i0, Math.min(tq, i0 + qb), tq, tk, hq, d, q, k, v, out, dOut, lse, opt, scale,
                            dq, dk, dv, s, vector);
            }
        });
    }

    /** Per-thread buffers: O(rows · (D + KEY_BLOCK) + D · KEY_BLOCK) floats, whatever T is. */
    private static final class Scratch {
        final float[] kT, vT, p, ds, dqAcc, delta, rowLse;
        final int[] qOff, gOff, keyOff, valueOff;

        Scratch(int rows, int d) {
            kT = new float[d * KB];
            vT = new float[d * KB];
            p = new float[rows * KB];
            ds = new float[rows * KB];
            dqAcc = new float[rows * d];
            delta = new float[rows];
            rowLse = new float[rows];
            qOff = new int[rows];
            gOff = new int[rows];
            keyOff = new int[KB];
            valueOff = new int[KB];
        }
    }

    private static void block(int b, int kvh, int group, int i0, int i1, int tq, int tk, int hq, int d,
                              AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand out,
                              AttentionOperand dOut, float[] lse, AttentionOptions opt, float scale,
                              AttentionOperand dq, AttentionOperand dk, AttentionOperand dv, Scratch s, boolean vector) {
        int n = i1 - i0, rows = group * n;
        float[] qd = q.data(), kd = k.data(), vd = v.data(), gd = dOut.data();
        for (int r = 0; r < rows; r++) {
            int h = kvh * group + r / n, i = i0 + r % n;
            s.qOff[r] = q.at(b, h, i);
            s.gOff[r] = dOut.at(b, h, i);
            s.rowLse[r] = lse[(b * hq + h) * tq + i];
            int oo = out.at(b, h, i);
            s.delta[r] = vector ? VectorMath.dotVector(gd, s.gOff[r], out.data(), oo, d) : VectorMathScalar.dot(gd, s.gOff[r], out.data(), oo, d);
        }
        java.util.Arrays.fill(s.dqAcc, 0, rows * d, 0f);
        boolean transpose = rows >= AttentionForward.MIN_ROWS_TO_TRANSPOSE;
        AttentionBias bias = opt.bias();
        int lo = opt.firstKey(i0), hi = opt.lastKey(i1 - 1, tk);
        for (int j0 = lo; j0 <= hi; j0 += KB) {
            int nk = Math.min(KB, hi - j0 + 1);
            for (int t = 0; t < nk; t++) {
                s.keyOff[t] = k.at(b, kvh, j0 + t);
                s.valueOff[t] = v.at(b, kvh, j0 + t);
                if (transpose) {
                    int ko = s.keyOff[t], vo = s.valueOff[t];
                    for (int c = 0; c < d; c++) {
                        s.kT[c * KB + t] = kd[ko + c];
                        s.vT[c * KB + t] = vd[vo + c];
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                int h = kvh * group + r / n, i = i0 + r % n, po = r * KB;
                int rowLo = Math.max(opt.firstKey(i), j0) - j0, rowHi = Math.min(opt.lastKey(i, tk), j0 + nk - 1) - j0;
                if (rowLo > rowHi || s.rowLse[r] == Float.NEGATIVE_INFINITY) {   // nothing visible: no gradient
                    java.util.Arrays.fill(s.p, po, po + nk, 0f);
                    java.util.Arrays.fill(s.ds, po, po + nk, 0f);
                    continue;
                }
                // P row = exp(scale·q·k + bias − lse), 0 outside the row's window and on padded keys
                float[] sc = s.p, dp = s.ds;
                scores(vector, transpose, qd, s.qOff[r], kd, s.keyOff, s.kT, d, scale, sc, po, rowLo, rowHi, nk);
                for (int t = 0; t < rowLo; t++) sc[po + t] = Float.NEGATIVE_INFINITY;
                for (int t = rowHi + 1; t < nk; t++) sc[po + t] = Float.NEGATIVE_INFINITY;
                if (opt.hasKeyMask())
                    for (int t = rowLo; t <= rowHi; t++) if (!opt.keyVisible(b, tk, j0 + t)) sc[po + t] = Float.NEGATIVE_INFINITY;
                if (bias != null) {
                    int bo = bias.at(b, h, i) + j0 + rowLo;
                    if (vector) VectorMath.addVector(sc, po + rowLo, bias.data(), bo, sc, po + rowLo, rowHi - rowLo + 1);
                    else VectorMathScalar.add(sc, po + rowLo, bias.data(), bo, sc, po + rowLo, rowHi - rowLo + 1);
                }
                if (vector) Softmax.expSubtractInPlace(sc, po, nk, s.rowLse[r]);
                else for (int t = 0; t < nk; t++) sc[po + t] = (float) Math.exp(sc[po + t] - s.rowLse[r]);
                // dS row = P·(dO·V − δ)·scale, computed in place over the dO·V scores
                scores(vector, transpose, gd, s.gOff[r], vd, s.valueOff, s.vT, d, 1f, dp, po, rowLo, rowHi, nk);
                if (vector) dsVector(sc, dp, po, nk, s.delta[r], scale); else dsScalar(sc, dp, po, nk, s.delta[r], scale);
                // dQ_r += Σ_t dS_rt · K_t
                accumulate(vector, s.ds, po, 1, nk, kd, s.keyOff, s.dqAcc, r * d, d);
            }
            // dV_t += Σ_r P_rt · dO_r and dK_t += Σ_r dS_rt · Q_r: one register accumulator per D-chunk across rows
            for (int t = 0; t < nk; t++) {
                accumulate(vector, s.p, t, KB, rows, gd, s.gOff, dv.data(), dv.at(b, kvh, j0 + t), d);
                accumulate(vector, s.ds, t, KB, rows, qd, s.qOff, dk.data(), dk.at(b, kvh, j0 + t), d);
            }
        }
        for (int r = 0; r < rows; r++) {
            int h = kvh * group + r / n, i = i0 + r % n;
            System.arraycopy(s.dqAcc, r * d, dq.data(), dq.at(b, h, i), d);
        }
    }

    /**
     * out[po + t] = scale · x·y_t for t in [lo, hi] (and possibly beyond, up to nk rounded up):
     * from the transposed block yT when {@code transpose}, else by dot products with rows yOff[t].
     */
    private static void scores(boolean vector, boolean transpose, float[] x, int xo, float[] y, int[] yOff, float[] yT,
                               int d, float scale, float[] out, int po, int lo, int hi, int nk) {
        if (transpose) {
            // writes whole groups of 4 vectors: they stay inside the row's KEY_BLOCK-long slot
            if (vector) scoresVectorAt(x, xo, yT, d, scale, out, po, nk);
            else scoresScalarAt(x, xo, yT, d, scale, out, po, nk);
            return;
        }
        for (int t = lo; t <= hi; t++)
            out[po + t] = scale * (vector ? VectorMath.dotVector(x, xo, y, yOff[t], d) : VectorMathScalar.dot(x, xo, y, yOff[t], d));
    }

    private static void scoresVectorAt(float[] x, int xo, float[] yT, int d, float scale, float[] out, int po, int nk) {
        int l = F.length();
        for (int c0 = 0; c0 < nk; c0 += 4 * l) {
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int c = 0, base = c0; c < d; c++, base += KB) {
                FloatVector xv = FloatVector.broadcast(F, x[xo + c] * scale);
                s0 = FloatVector.fromArray(F, yT, base).fma(xv, s0);
                s1 = FloatVector.fromArray(F, yT, base + l).fma(xv, s1);
                s2 = FloatVector.fromArray(F, yT, base + 2 * l).fma(xv, s2);
                s3 = FloatVector.fromArray(F, yT, base + 3 * l).fma(xv, s3);
            }
            s0.intoArray(out, po + c0);
            s1.intoArray(out, po + c0 + l);
            s2.intoArray(out, po + c0 + 2 * l);
            s3.intoArray(out, po + c0 + 3 * l);
        }
    }

    private static void scoresScalarAt(float[] x, int xo, float[] yT, int d, float scale, float[] out, int po, int nk) {
        java.util.Arrays.fill(out, po, po + nk, 0f);
        for (int c = 0; c < d; c++) {
            float xs = x[xo + c] * scale;
            for (int t = 0, base = c * KB; t < nk; t++) out[po + t] = Math.fma(yT[base + t], xs, out[po + t]);
        }
    }

    /** ds = p·(dp − δ)·scale, exactly 0 where p is 0 (so a NaN in a masked key's V cannot leak in). */
    private static void dsVector(float[] p, float[] ds, int po, int nk, float delta, float scale) {
        int t = 0;
        for (int bound = F.loopBound(nk); t < bound; t += F.length()) {
            FloatVector pv = FloatVector.fromArray(F, p, po + t);
            FloatVector r = FloatVector.fromArray(F, ds, po + t).sub(delta).mul(pv).mul(scale);
            r.blend(0f, pv.compare(VectorOperators.EQ, 0f)).intoArray(ds, po + t);
        }
        for (; t < nk; t++) ds[po + t] = p[po + t] == 0f ? 0f : p[po + t] * (ds[po + t] - delta) * scale;
    }

    private static void dsScalar(float[] p, float[] ds, int po, int nk, float delta, float scale) {
        for (int t = 0; t < nk; t++) ds[po + t] = p[po + t] == 0f ? 0f : p[po + t] * (ds[po + t] - delta) * scale;
    }

    /** dst[dstOff … +d) += Σ_{m < count} coef[cOff + m·cStride] · src[srcOff[m] …]; zero coefficients are skipped. */
    private static void accumulate(boolean vector, float[] coef, int cOff, int cStride, int count, float[] src, int[] srcOff,
                                   float[] dst, int dstOff, int d) {
        int c = 0;
        if (vector) {
            int l = F.length();
            for (; c + 4 * l <= d; c += 4 * l) {      // one broadcast of the coefficient feeds 4 FMAs
                FloatVector a0 = FloatVector.fromArray(F, dst, dstOff + c), a1 = FloatVector.fromArray(F, dst, dstOff + c + l),
                        a2 = FloatVector.fromArray(F, dst, dstOff + c + 2 * l), a3 = FloatVector.fromArray(F, dst, dstOff + c + 3 * l);
                for (int m = 0, ci = cOff; m < count; m++, ci += cStride) {
                    float w = coef[ci];
                    if (w == 0f) continue;
                    FloatVector wb = FloatVector.broadcast(F, w);
                    int so = srcOff[m] + c;
                    a0 = FloatVector.fromArray(F, src, so).fma(wb, a0);
                    a1 = FloatVector.fromArray(F, src, so + l).fma(wb, a1);
                    a2 = FloatVector.fromArray(F, src, so + 2 * l).fma(wb, a2);
                    a3 = FloatVector.fromArray(F, src, so + 3 * l).fma(wb, a3);
                }
                a0.intoArray(dst, dstOff + c);
                a1.intoArray(dst, dstOff + c + l);
                a2.intoArray(dst, dstOff + c + 2 * l);
                a3.intoArray(dst, dstOff + c + 3 * l);
            }
            for (int bound = F.loopBound(d); c < bound; c += F.length()) {
                FloatVector a = FloatVector.fromArray(F, dst, dstOff + c);
                for (int m = 0, ci = cOff; m < count; m++, ci += cStride) {
                    float w = coef[ci];
                    if (w != 0f) a = FloatVector.fromArray(F, src, srcOff[m] + c).fma(FloatVector.broadcast(F, w), a);
                }
                a.intoArray(dst, dstOff + c);
            }
        }
        for (; c < d; c++) {
            float a = dst[dstOff + c];
            for (int m = 0, ci = cOff; m < count; m++, ci += cStride) {
                float w = coef[ci];
                if (w != 0f) a = Math.fma(w, src[srcOff[m] + c], a);
            }
            dst[dstOff + c] = a;
        }
    }
}
