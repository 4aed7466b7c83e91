package dev.genai4j.tensor.kernels;

import static dev.genai4j.tensor.kernels.VectorSupport.F;

import dev.genai4j.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Fused attention forward with online softmax (FlashAttention, arXiv 2205.14135, Alg. 1): one
 * pass over the visible keys in blocks of {@link #KEY_BLOCK}, keeping per query row the running
 * max m, the running sum l and the unnormalized output; nothing of size Tq × Tk is stored.
 *
 * <p>A task is (batch, kv head, query block) and its rows are every query head of the kv head's
 * group × the block's queries, so each K/V block is loaded once for all of them (for GQA decode
 * that is the whole group). A K block is transposed once per task into [D, KEY_BLOCK] so that
 * the scores of a row are broadcast-FMAs across keys, with no horizontal reductions. Only key
 * blocks that meet some row's window are visited, so local attention costs O(T · window).
 * {@code vector} picks the Vector API path or the scalar twin; both follow the same blocking.
 */
final class AttentionForward {
    private AttentionForward() {}

    /** Keys per block; a multiple of 4 vectors for every float species up to 512 bits. */
    static final int KEY_BLOCK = 64;
    /** Query rows (heads × queries) a task aims for: enough to amortize the K transposition. */
    static final int ROWS_PER_TASK = 32;
    /**
     * Below this many rows (decode: one query per head of a group) transposing K costs more than
     * it saves, and scores are plain dot products over D instead.
     */
    static final int MIN_ROWS_TO_TRANSPOSE = 8;
    /**
     * Rows the vector path takes through a key block together: scores as a 4-row × 4-vector tile
     * (each kT load feeds four FMAs) and P·V as a 4-row tile (each V load feeds four), where one
     * row at a time was bound by loads (MiniLM 8×128: ~32 GFLOP/s for the attention core).
     */
    static final int QUAD = 4;

    static void run(int batch, int hq, int hkv, int tq, int tk, int d,
                    AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand out,
                    AttentionOptions opt, float[] lse, boolean vector) {
        int group = hq / hkv;
        int qb = Math.max(1, ROWS_PER_TASK / group), qBlocks = (tq + qb - 1) / qb;
        float scale = opt.scaleFor(d);
        Parallel.forRange(batch * hkv * qBlocks, 1, (from, to) -> {
            int rows = group * qb;
            Scratch s = new Scratch(rows, d);
            for (int task = from; task < to; task++) {
                int bk = task / qBlocks, kvh = bk % hkv, b = bk / hkv;
                // Zig-zag the query blocks (0, last, 1, last − 1, …): under a causal mask late blocks
                // cost more, and Parallel hands each thread a contiguous range of tasks.
                int idx = task % qBlocks, block = idx % 2 == 0 ? idx / 2 : qBlocks - 1 - idx / 2;
                int i0 = block * qb, i1 = Math.min(tq, i0 + qb);
                block(b, kvh, group, i0, i1, tk, d, q, k, v, out, opt, scale, lse, tq, hq, s, vector);
            }
        });
    }

    /** Per-thread buffers: O(rows · D + D · KEY_BLOCK) floats, whatever T is. */
    private static final class Scratch {
        final float[] kT, scores, scores2, quad, acc, m, l;

        Scratch(int rows, int d) {
            kT = new float[d * KEY_BLOCK];
            quad = new float[QUAD * KEY_BLOCK];
            scores = new float[KEY_BLOCK];
            scores2 = new float[KEY_BLOCK];
            acc = new float[rows * d];
            m = new float[rows];
            l = new float[rows];
        }
    }

    /** Queries i0 … i1−1 of every head in kv head {@code kvh}'s group. Row r = (head offset r / n, query i0 + r % n). */
    private static void block(int b, int kvh, int group, int i0, int i1, int tk, int d,
                              AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand out,
                              AttentionOptions opt, float scale, float[] lse, int tq, int hq, Scratch s, boolean vector) {
        int n = i1 - i0, rows = group * n;
        java.util.Arrays.fill(s.acc, 0, rows * d, 0f);
        java.util.Arrays.fill(s.m, 0, rows, Float.NEGATIVE_INFINITY);
        java.util.Arrays.fill(s.l, 0, rows, 0f);
        // Windows move right with the query, so the union of the rows' key ranges is [first(i0), last(i1 − 1)].
        int lo = opt.firstKey(i0), hi = opt.lastKey(i1 - 1, tk);
        float[] qd = q.data(), kd = k.data(), vd = v.data();
        AttentionBias bias = opt.bias();
        boolean transpose = rows >= MIN_ROWS_TO_TRANSPOSE;
        for (int j0 = lo; j0 <= hi; j0 += KEY_BLOCK) {
            int nk = Math.min(KEY_BLOCK, hi - j0 + 1);
            if (transpose) {
                for (int t = 0; t < nk; t++) {                   // K block → kT [D, KEY_BLOCK]
                    int ko = k.at(b, kvh, j0 + t);
                    for (int c = 0; c < d; c++) s.kT[c * KEY_BLOCK + t] = kd[ko + c];
                }
            }
            int first = 0;
            if (transpose && vector) {
                for (; first + QUAD <= rows; first += QUAD) {
                    quad(first, b, kvh, group, n, i0, j0, nk, tk, d, qd, q, vd, v, opt, bias, scale, s);
                }
            }
            int paired = -1;                                      // row whose scores are already in scores2
            for (int r = first; r < rows; r++) {
                int h = kvh * group + r / n, i = i0 + r % n;
                int rowLo = Math.max(opt.firstKey(i), j0) - j0, rowHi = Math.min(opt.lastKey(i, tk), j0 + nk - 1) - j0;
                if (rowLo > rowHi) continue;                      // this block is outside the row's window
                int qo = q.at(b, h, i);
                float[] sc = s.scores;
                if (r == paired) {
                    sc = s.scores2;
                } else if (transpose && vector && r + 1 < rows) {
                    // Two rows per pass: each kT load feeds two FMAs.
                    int r2 = r + 1, qo2 = q.at(b, kvh * group + r2 / n, i0 + r2 % n);
                    scoresVector2(qd, qo, qo2, s.kT, d, scale, sc, s.scores2, nk);
                    paired = r2;
                } else if (!transpose) {
                    for (int t = rowLo; t <= rowHi; t++) {
                        int ko = k.at(b, kvh, j0 + t);
                        sc[t] = scale * (vector ? VectorMath.dotVector(qd, qo, kd, ko, d) : VectorMathScalar.dot(qd, qo, kd, ko, d));
                    }
                } else if (vector) scoresVector(qd, qo, s.kT, d, scale, sc, nk);
                else scoresScalar(qd, qo, s.kT, d, scale, sc, nk);
                for (int t = 0; t < rowLo; t++) sc[t] = Float.NEGATIVE_INFINITY;
                for (int t = rowHi + 1; t < nk; t++) sc[t] = Float.NEGATIVE_INFINITY;
                if (opt.hasKeyMask())
                    for (int t = rowLo; t <= rowHi; t++) if (!opt.keyVisible(b, tk, j0 + t)) sc[t] = Float.NEGATIVE_INFINITY;
                if (bias != null) {
                    int bo = bias.at(b, h, i) + j0;
                    if (vector) VectorMath.addVector(sc, rowLo, bias.data(), bo + rowLo, sc, rowLo, rowHi - rowLo + 1);
                    else VectorMathScalar.add(sc, rowLo, bias.data(), bo + rowLo, sc, rowLo, rowHi - rowLo + 1);
                }
                float blockMax = vector ? Softmax.maxVector(sc, 0, nk) : maxScalar(sc, nk);
                if (blockMax == Float.NEGATIVE_INFINITY) continue;   // everything here is masked for this row
                int ao = r * d;
                if (blockMax > s.m[r]) {
                    // Rescale what was accumulated under the old max; on the row's first visible block
                    // there is nothing yet (acc and l are zero), so skip the pass over acc.
                    if (s.m[r] != Float.NEGATIVE_INFINITY) {
                        float c = (float) Math.exp(s.m[r] - blockMax);
                        s.l[r] *= c;
                        if (vector) VectorMath.scaleVector(s.acc, ao, c, s.acc, ao, d);
                        else VectorMathScalar.scale(s.acc, ao, c, s.acc, ao, d);
                    }
                    s.m[r] = blockMax;
                }
                if (vector) {
                    s.l[r] += expShiftVector(sc, nk, s.m[r]);
                    accumulateVector(sc, rowLo, rowHi, vd, v, b, kvh, j0, s.acc, ao, d);
                } else {
                    s.l[r] += expShiftScalar(sc, nk, s.m[r]);
                    accumulateScalar(sc, rowLo, rowHi, vd, v, b, kvh, j0, s.acc, ao, d);
                }
            }
        }
        float[] od = out.data();
        for (int r = 0; r < rows; r++) {
            int h = kvh * group + r / n, i = i0 + r % n, oo = out.at(b, h, i);
            float l = s.l[r];
            if (lse != null) lse[(b * hq + h) * tq + i] = l == 0f ? Float.NEGATIVE_INFINITY : (float) (s.m[r] + Math.log(l));
            if (l == 0f) java.util.Arrays.fill(od, oo, oo + d, 0f);          // the row saw no key
            else if (vector) VectorMath.scaleVector(s.acc, r * d, 1f / l, od, oo, d);
            else VectorMathScalar.scale(s.acc, r * d, 1f / l, od, oo, d);
        }
    }

    /**
     * Rows r … r+3 through key block j0: their scores from kT at once, then per row the mask, the
     * online-softmax update and the probabilities (0 where masked), then one 4-row P·V pass over the
     * union of the rows' visible keys. A row with no visible key here keeps p = 0 and its state.
     */
    private static void quad(int r, int b, int kvh, int group, int n, int i0, int j0, int nk, int tk, int d,
                             float[] qd, AttentionOperand q, float[] vd, AttentionOperand v, AttentionOptions opt,
                             AttentionBias bias, float scale, Scratch s) {
        float[] p = s.quad;                                       // [QUAD, KEY_BLOCK]
        int h0 = kvh * group;
        scoresVector4(qd, q.at(b, h0 + r / n, i0 + r % n), q.at(b, h0 + (r + 1) / n, i0 + (r + 1) % n),
                q.at(b, h0 + (r + 2) / n, i0 + (r + 2) % n), q.at(b, h0 + (r + 3) / n, i0 + (r + 3) % n), s.kT, d, scale, p, nk);
        int lo = Integer.MAX_VALUE, hi = -1;
        for (int u = 0; u < QUAD; u++) {
            int row = r + u, h = h0 + row / n, i = i0 + row % n, po = u * KEY_BLOCK;
            int rowLo = Math.max(opt.firstKey(i), j0) - j0, rowHi = Math.min(opt.lastKey(i, tk), j0 + nk - 1) - j0;
            if (rowLo > rowHi) {                                  // this block is outside the row's window
                java.util.Arrays.fill(p, po, po + nk, 0f);
                continue;
            }
            for (int t = 0; t < rowLo; t++) p[po + t] = Float.NEGATIVE_INFINITY;
            for (int t = rowHi + 1; t < nk; t++) p[po + t] = Float.NEGATIVE_INFINITY;
            if (opt.hasKeyMask())
                for (int t = rowLo; t <= rowHi; t++) if (!opt.keyVisible(b, tk, j0 + t)) p[po + t] = Float.NEGATIVE_INFINITY;
            if (bias != null) {
                int bo = bias.at(b, h, i) + j0;
                VectorMath.addVector(p, po + rowLo, bias.data(), bo + rowLo, p, po + rowLo, rowHi - rowLo + 1);
            }
            float blockMax = Softmax.maxVector(p, po, nk);
            if (blockMax == Float.NEGATIVE_INFINITY) {            // everything here is masked for this row
                java.util.Arrays.fill(p, po, po + nk, 0f);
                continue;
            }
            if (blockMax > s.m[row]) {
                if (s.m[row] != Float.NEGATIVE_INFINITY) {        // rescale what was accumulated under the old max
                    float c = (float) Math.exp(s.m[row] - blockMax);
                    s.l[row] *= c;
                    VectorMath.scaleVector(s.acc, row * d, c, s.acc, row * d, d);
                }
                s.m[row] = blockMax;
            }
            s.l[row] += Softmax.expSubtractInPlace(p, po, nk, s.m[row]);
            lo = Math.min(lo, rowLo);
            hi = Math.max(hi, rowHi);
        }
        if (hi >= 0) accumulateVector4(p, lo, hi, vd, v, b, kvh, j0, s.acc, r * d, d);
    }

    /** Scores of four query rows into p [4, KEY_BLOCK] for t < nk (rounded up to whole groups of 4 vectors): 16 accumulators, each kT load used four times. */
    static void scoresVector4(float[] qd, int q0, int q1, int q2, int q3, float[] kT, int d, float scale, float[] p, int nk) {
        int l = F.length();
        for (int c0 = 0; c0 < nk; c0 += 4 * l) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            FloatVector e0 = a0, e1 = a0, e2 = a0, e3 = a0, f0 = a0, f1 = a0, f2 = a0, f3 = a0;
            for (int c = 0, base = c0; c < d; c++, base += KEY_BLOCK) {
                FloatVector k0 = FloatVector.fromArray(F, kT, base), k1 = FloatVector.fromArray(F, kT, base + l),
                        k2 = FloatVector.fromArray(F, kT, base + 2 * l), k3 = FloatVector.fromArray(F, kT, base + 3 * l);
                FloatVector x = FloatVector.broadcast(F, qd[q0 + c] * scale);
                a0 = k0.fma(x, a0); a1 = k1.fma(x, a1); a2 = k2.fma(x, a2); a3 = k3.fma(x, a3);
                x = FloatVector.broadcast(F, qd[q1 + c] * scale);
                b0 = k0.fma(x, b0); b1 = k1.fma(x, b1); b2 = k2.fma(x, b2); b3 = k3.fma(x, b3);
                x = FloatVector.broadcast(F, qd[q2 + c] * scale);
                e0 = k0.fma(x, e0); e1 = k1.fma(x, e1); e2 = k2.fma(x, e2); e3 = k3.fma(x, e3);
                x = FloatVector.broadcast(F, qd[q3 + c] * scale);
                f0 = k0.fma(x, f0); f1 = k1.fma(x, f1); f2 = k2.fma(x, f2); f3 = k3.fma(x, f3);
            }
            int o = c0;
            a0.intoArray(p, o); a1.intoArray(p, o + l); a2.intoArray(p, o + 2 * l); a3.intoArray(p, o + 3 * l);
            o += KEY_BLOCK;
            b0.intoArray(p, o); b1.intoArray(p, o + l); b2.intoArray(p, o + 2 * l); b3.intoArray(p, o + 3 * l);
            o += KEY_BLOCK;
            e0.intoArray(p, o); e1.intoArray(p, o + l); e2.intoArray(p, o + 2 * l); e3.intoArray(p, o + 3 * l);
            o += KEY_BLOCK;
            f0.intoArray(p, o); f1.intoArray(p, o + l); f2.intoArray(p, o + 2 * l); f3.intoArray(p, o + 3 * l);
        }
    }

    /**
     * acc rows ao/D … ao/D+3 += Σ_t p[u, t]·v[j0 + t] for t in [tLo, tHi]: each V load feeds the four
     * rows. A key all four rows give p = 0 (padding) is skipped, so a padded V row, even NaN, cannot
     * reach the output; a key visible to one row and not another adds 0·v to the other (v is a real
     * token there).
     */
    static void accumulateVector4(float[] p, int tLo, int tHi, float[] vd, AttentionOperand v, int b, int kvh, int j0,
                                  float[] acc, int ao, int d) {
        int l = F.length(), base = v.at(b, kvh, j0), stride = v.tokenStride(), c = 0;
        int r0 = ao, r1 = ao + d, r2 = ao + 2 * d, r3 = ao + 3 * d;
        for (; c + 2 * l <= d; c += 2 * l) {                     // two chunks per pass: 8 accumulators
            FloatVector a0 = FloatVector.fromArray(F, acc, r0 + c), a1 = FloatVector.fromArray(F, acc, r0 + c + l);
            FloatVector b0 = FloatVector.fromArray(F, acc, r1 + c), b1 = FloatVector.fromArray(F, acc, r1 + c + l);
            FloatVector e0 = FloatVector.fromArray(F, acc, r2 + c), e1 = FloatVector.fromArray(F, acc, r2 + c + l);
            FloatVector f0 = FloatVector.fromArray(F, acc, r3 + c), f1 = FloatVector.fromArray(F, acc, r3 + c + l);
            for (int t = tLo, vo = base + tLo * stride + c; t <= tHi; t++, vo += stride) {
                float p0 = p[t], p1 = p[KEY_BLOCK + t], p2 = p[2 * KEY_BLOCK + t], p3 = p[3 * KEY_BLOCK + t];
                if (p0 == 0f && p1 == 0f && p2 == 0f && p3 == 0f) continue;
                FloatVector v0 = FloatVector.fromArray(F, vd, vo), v1 = FloatVector.fromArray(F, vd, vo + l);
                FloatVector x = FloatVector.broadcast(F, p0);
                a0 = v0.fma(x, a0); a1 = v1.fma(x, a1);
                x = FloatVector.broadcast(F, p1);
                b0 = v0.fma(x, b0); b1 = v1.fma(x, b1);
                x = FloatVector.broadcast(F, p2);
                e0 = v0.fma(x, e0); e1 = v1.fma(x, e1);
                x = FloatVector.broadcast(F, p3);
                f0 = v0.fma(x, f0); f1 = v1.fma(x, f1);
            }
            a0.intoArray(acc, r0 + c); a1.intoArray(acc, r0 + c + l);
            b0.intoArray(acc, r1 + c); b1.intoArray(acc, r1 + c + l);
            e0.intoArray(acc, r2 + c); e1.intoArray(acc, r2 + c + l);
            f0.intoArray(acc, r3 + c); f1.intoArray(acc, r3 + c + l);
        }
        for (; c + l <= d; c += l) {
            FloatVector a = FloatVector.fromArray(F, acc, r0 + c), bb = FloatVector.fromArray(F, acc, r1 + c);
            FloatVector e = FloatVector.fromArray(F, acc, r2 + c), f = FloatVector.fromArray(F, acc, r3 + c);
            for (int t = tLo, vo = base + tLo * stride + c; t <= tHi; t++, vo += stride) {
                float p0 = p[t], p1 = p[KEY_BLOCK + t], p2 = p[2 * KEY_BLOCK + t], p3 = p[3 * KEY_BLOCK + t];
                if (p0 == 0f && p1 == 0f && p2 == 0f && p3 == 0f) continue;
                FloatVector v0 = FloatVector.fromArray(F, vd, vo);
                a = v0.fma(FloatVector.broadcast(F, p0), a);
                bb = v0.fma(FloatVector.broadcast(F, p1), bb);
                e = v0.fma(FloatVector.broadcast(F, p2), e);
                f = v0.fma(FloatVector.broadcast(F, p3), f);
            }
            a.intoArray(acc, r0 + c); bb.intoArray(acc, r1 + c); e.intoArray(acc, r2 + c); f.intoArray(acc, r3 + c);
        }
        for (; c < d; c++) {
            for (int u = 0; u < QUAD; u++) {
                float a = acc[ao + u * d + c];
                for (int t = tLo, vo = base + tLo * stride + c; t <= tHi; t++, vo += stride) {
                    float pu = p[u * KEY_BLOCK + t];
                    if (pu != 0f) a = Math.fma(pu, vd[vo], a);
                }
                acc[ao + u * d + c] = a;
            }
        }
    }

    /** sc[t] = scale · q·k_t for t < nk (rounded up to whole groups of 4 vectors), from kT [D, KEY_BLOCK]. */
    static void scoresVector(float[] qd, int qo, float[] kT, int d, float scale, float[] sc, int nk) {
        int l = F.length();
        for (int c0 = 0; c0 < nk; c0 += 4 * l) {
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int c = 0, base = c0; c < d; c++, base += KEY_BLOCK) {
                FloatVector qv = FloatVector.broadcast(F, qd[qo + c] * scale);
                s0 = FloatVector.fromArray(F, kT, base).fma(qv, s0);
                s1 = FloatVector.fromArray(F, kT, base + l).fma(qv, s1);
                s2 = FloatVector.fromArray(F, kT, base + 2 * l).fma(qv, s2);
                s3 = FloatVector.fromArray(F, kT, base + 3 * l).fma(qv, s3);
            }
            s0.intoArray(sc, c0);
            s1.intoArray(sc, c0 + l);
            s2.intoArray(sc, c0 + 2 * l);
            s3.intoArray(sc, c0 + 3 * l);
        }
    }

    /** {@link #scoresVector} for two query rows at once: 8 accumulators, each kT load used twice. */
    static void scoresVector2(float[] qd, int qo, int qo2, float[] kT, int d, float scale, float[] sc, float[] sc2, int nk) {
        int l = F.length();
        for (int c0 = 0; c0 < nk; c0 += 4 * l) {
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0, u0 = s0, u1 = s0, u2 = s0, u3 = s0;
            for (int c = 0, base = c0; c < d; c++, base += KEY_BLOCK) {
                FloatVector qv = FloatVector.broadcast(F, qd[qo + c] * scale), qv2 = FloatVector.broadcast(F, qd[qo2 + c] * scale);
                FloatVector k0 = FloatVector.fromArray(F, kT, base), k1 = FloatVector.fromArray(F, kT, base + l),
                        k2 = FloatVector.fromArray(F, kT, base + 2 * l), k3 = FloatVector.fromArray(F, kT, base + 3 * l);
                s0 = k0.fma(qv, s0);
                s1 = k1.fma(qv, s1);
                s2 = k2.fma(qv, s2);
                s3 = k3.fma(qv, s3);
                u0 = k0.fma(qv2, u0);
                u1 = k1.fma(qv2, u1);
                u2 = k2.fma(qv2, u2);
                u3 = k3.fma(qv2, u3);
            }
            s0.intoArray(sc, c0);
            s1.intoArray(sc, c0 + l);
            s2.intoArray(sc, c0 + 2 * l);
            s3.intoArray(sc, c0 + 3 * l);
            u0.intoArray(sc2, c0);
            u1.intoArray(sc2, c0 + l);
            u2.intoArray(sc2, c0 + 2 * l);
            u3.intoArray(sc2, c0 + 3 * l);
        }
    }

    static void scoresScalar(float[] qd, int qo, float[] kT, int d, float scale, float[] sc, int nk) {
        java.util.Arrays.fill(sc, 0, nk, 0f);
        for (int c = 0; c < d; c++) {
            float qs = qd[qo + c] * scale;
            for (int t = 0, base = c * KEY_BLOCK; t < nk; t++) sc[t] = Math.fma(kT[base + t], qs, sc[t]);
        }
    }

    /**
     * acc[ao … ao+D) += Σ_t p[t]·v[j0 + t] for t in [tLo, tHi]; one accumulator per D-chunk stays in
     * a register across keys. Keys with p = 0 (padding) are skipped, so whatever a padded V row
     * holds, even NaN, cannot reach the output.
     */
    static void accumulateVector(float[] p, int tLo, int tHi, float[] vd, AttentionOperand v, int b, int kvh, int j0,
                                 float[] acc, int ao, int d) {
        int l = F.length(), base = v.at(b, kvh, j0), stride = v.tokenStride(), c = 0;
        // Groups of 4 chunks (D = 64 with AVX-512, 128 in two groups): one broadcast of p feeds 4 FMAs.
        for (; c + 4 * l <= d; c += 4 * l) {
            FloatVector a0 = FloatVector.fromArray(F, acc, ao + c), a1 = FloatVector.fromArray(F, acc, ao + c + l),
                    a2 = FloatVector.fromArray(F, acc, ao + c + 2 * l), a3 = FloatVector.fromArray(F, acc, ao + c + 3 * l);
            for (int t = tLo, vo = base + tLo * stride + c; t <= tHi; t++, vo += stride) {
                if (p[t] == 0f) continue;
                FloatVector pb = FloatVector.broadcast(F, p[t]);
                a0 = FloatVector.fromArray(F, vd, vo).fma(pb, a0);
                a1 = FloatVector.fromArray(F, vd, vo + l).fma(pb, a1);
                a2 = FloatVector.fromArray(F, vd, vo + 2 * l).fma(pb, a2);
                a3 = FloatVector.fromArray(F, vd, vo + 3 * l).fma(pb, a3);
            }
            a0.intoArray(acc, ao + c);
            a1.intoArray(acc, ao + c + l);
            a2.intoArray(acc, ao + c + 2 * l);
            a3.intoArray(acc, ao + c + 3 * l);
        }
        // The remaining one or two chunks (D = 32 with AVX-512: MiniLM, BERT-base heads of 64 on AVX2)
        // go together, with even and odd keys in separate accumulators: one accumulator per chunk
        // made every key wait for the previous key's FMA (a dependency chain, ~4 cycles a key).
        for (; c + 2 * l <= d; c += 2 * l) {
            FloatVector a0 = FloatVector.fromArray(F, acc, ao + c), a1 = FloatVector.fromArray(F, acc, ao + c + l);
            FloatVector b0 = FloatVector.zero(F), b1 = b0;
            int t = tLo, vo = base + tLo * stride + c;
            for (; t + 1 <= tHi; t += 2, vo += 2 * stride) {
                if (p[t] != 0f) {
                    FloatVector pb = FloatVector.broadcast(F, p[t]);
                    a0 = FloatVector.fromArray(F, vd, vo).fma(pb, a0);
                    a1 = FloatVector.fromArray(F, vd, vo + l).fma(pb, a1);
                }
                if (p[t + 1] != 0f) {
                    FloatVector pb = FloatVector.broadcast(F, p[t + 1]);
                    b0 = FloatVector.fromArray(F, vd, vo + stride).fma(pb, b0);
                    b1 = FloatVector.fromArray(F, vd, vo + stride + l).fma(pb, b1);
                }
            }
            if (t <= tHi && p[t] != 0f) {
                FloatVector pb = FloatVector.broadcast(F, p[t]);
                a0 = FloatVector.fromArray(F, vd, vo).fma(pb, a0);
                a1 = FloatVector.fromArray(F, vd, vo + l).fma(pb, a1);
            }
            a0.add(b0).intoArray(acc, ao + c);
            a1.add(b1).intoArray(acc, ao + c + l);
        }
        for (; c + l <= d; c += l) {
            FloatVector a = FloatVector.fromArray(F, acc, ao + c), b2 = FloatVector.zero(F);
            int t = tLo, vo = base + tLo * stride + c;
            for (; t + 1 <= tHi; t += 2, vo += 2 * stride) {
                if (p[t] != 0f) a = FloatVector.fromArray(F, vd, vo).fma(FloatVector.broadcast(F, p[t]), a);
                if (p[t + 1] != 0f) b2 = FloatVector.fromArray(F, vd, vo + stride).fma(FloatVector.broadcast(F, p[t + 1]), b2);
            }
            if (t <= tHi && p[t] != 0f) a = FloatVector.fromArray(F, vd, vo).fma(FloatVector.broadcast(F, p[t]), a);
            a.add(b2).intoArray(acc, ao + c);
        }
        for (; c < d; c++) {
            float a = acc[ao + c];
            for (int t = tLo, vo = base + tLo * stride + c; t <= tHi; t++, vo += stride) if (p[t] != 0f) a = Math.fma(p[t], vd[vo], a);
            acc[ao + c] = a;
        }
    }

    static void accumulateScalar(float[] p, int tLo, int tHi, float[] vd, AttentionOperand v, int b, int kvh, int j0,
                                 float[] acc, int ao, int d) {
        for (int t = tLo; t <= tHi; t++) {
            float pt = p[t];
            if (pt == 0f) continue;
            VectorMathScalar.axpy(pt, vd, v.at(b, kvh, j0 + t), acc, ao, d);
        }
    }

    private static float maxScalar(float[] sc, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < n; t++) m = Math.max(m, sc[t]);
        return m;
    }

    /** scores[t] = exp(scores[t] − m) for t < n; returns their sum. */
    static float expShiftVector(float[] scores, int n, float m) {
        return Softmax.expSubtractInPlace(scores, 0, n, m);
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
