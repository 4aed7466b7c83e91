package dev.genai4j.tensor.kernels;

import static dev.genai4j.tensor.kernels.KernelTestData.assertClose;
import static dev.genai4j.tensor.kernels.KernelTestData.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genai4j.tensor.IndexOutOfRangeException;
import dev.genai4j.tensor.ShapeException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AttentionTest {
    static final int MASK_KINDS = 10;

    /** Operands of one test case: q [B, Hq, Tq, D], k/v [B, Hkv, Tk, D], in [B,H,T,D] or [B,T,H,D] layout. */
    record Case(int batch, int hq, int hkv, int tq, int tk, int d, AttentionOperand q, AttentionOperand k,
                AttentionOperand v, boolean bthd) {
        static Case random(Random r, int batch, int hq, int hkv, int tq, int tk, int d, boolean bthd) {
            float[] q = gaussian(r, batch * hq * tq * d + 3, 1f), k = gaussian(r, batch * hkv * tk * d, 1f),
                    v = gaussian(r, batch * hkv * tk * d, 1f);
            if (bthd)   // q offset by 3 to check offsets too
                return new Case(batch, hq, hkv, tq, tk, d,
                        new AttentionOperand(q, 3, tq * hq * d, d, hq * d), AttentionOperand.bthd(k, tk, hkv, d),
                        AttentionOperand.bthd(v, tk, hkv, d), true);
            return new Case(batch, hq, hkv, tq, tk, d, new AttentionOperand(q, 3, hq * tq * d, tq * d, d),
                    AttentionOperand.bhtd(k, hkv, tk, d), AttentionOperand.bhtd(v, hkv, tk, d), false);
        }

        AttentionOperand newOut() {
            float[] o = new float[batch * hq * tq * d];
            return bthd ? AttentionOperand.bthd(o, tq, hq, d) : AttentionOperand.bhtd(o, hq, tq, d);
        }

        /** Copies a strided [B, Hq, Tq, D] operand into a dense [B, Hq, Tq, D] array. */
        float[] dense(AttentionOperand x) {
            float[] r = new float[batch * hq * tq * d];
            for (int b = 0; b < batch; b++)
                for (int h = 0; h < hq; h++)
                    for (int i = 0; i < tq; i++)
                        System.arraycopy(x.data(), x.at(b, h, i), r, ((b * hq + h) * tq + i) * d, d);
            return r;
        }

        AttentionReference reference(AttentionOptions opt) {
            return new AttentionReference(batch, hq, hkv, tq, tk, d, q, k, v, opt);
        }
    }

    /** The mask combinations every size is checked with; kind ∈ [0, MASK_KINDS). */
    static AttentionOptions options(int kind, Random r, int batch, int hq, int tq, int tk) {
        int offset = Math.max(0, tk - tq);   // queries are the last tq positions (prefill or decode)
        AttentionOptions base = AttentionOptions.defaults();
        return switch (kind) {
            case 0 -> base;
            case 1 -> base.causal(offset);
            case 2 -> base.withKeyMask(keyMask(r, batch, tk));
            case 3 -> base.withKeyMask(keyMaskValues(r, batch, tk));
            case 4 -> base.localWindow(8).withQueryOffset(offset);
            case 5 -> base.withQueryOffset(offset).slidingWindow(5);
            case 6 -> base.withBias(bias(r, batch, hq, tq, tk, batch, hq));
            case 7 -> base.causal(offset).withKeyMask(keyMask(r, batch, tk)).withBias(bias(r, batch, hq, tq, tk, 1, hq));
            case 8 -> base.withWindow(3, 1).withQueryOffset(offset).withKeyMask(keyMaskValues(r, batch, tk))
                    .withBias(bias(r, batch, hq, tq, tk, batch, 1));
            case 9 -> base.withScale(0.3f).causal(offset);
            default -> throw new IllegalArgumentException("mask kind " + kind);
        };
    }

    /** ~70 % of keys visible; the last batch row sees no key at all (its outputs must be zeros). */
    static boolean[] keyMask(Random r, int batch, int tk) {
        boolean[] m = new boolean[batch * tk];
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < tk; j++) m[b * tk + j] = batch > 1 && b == batch - 1 ? false : r.nextFloat() < 0.7f;
        return m;
    }

    static float[] keyMaskValues(Random r, int batch, int tk) {
        boolean[] m = keyMask(r, batch, tk);
        float[] f = new float[m.length];
        for (int i = 0; i < m.length; i++) f[i] = m[i] ? 1f : 0f;
        return f;
    }

    /** A [bb, hb, Tq, Tk] bias (bb, hb ∈ {1, full}) with ~10 % −∞ entries. */
    static AttentionBias bias(Random r, int batch, int hq, int tq, int tk, int bb, int hb) {
        float[] data = new float[bb * hb * tq * tk];
        for (int i = 0; i < data.length; i++) data[i] = r.nextFloat() < 0.1f ? Float.NEGATIVE_INFINITY : (float) r.nextGaussian();
        return AttentionBias.dense(data, bb, hb, tq, tk);
    }

    /** Runs vector and scalar paths and compares both with the double reference; returns the vector output. */
    static float[] checkForward(String what, Case c, AttentionOptions opt) {
        AttentionReference ref = c.reference(opt);
        float[] first = null;
        for (boolean vector : new boolean[]{true, false}) {
            AttentionOperand out = c.newOut();
            float[] lse = new float[c.batch() * c.hq() * c.tq()];
            Attention.forward(c.batch(), c.hq(), c.hkv(), c.tq(), c.tk(), c.d(), c.q(), c.k(), c.v(), out, opt, lse, vector);
            float[] o = c.dense(out);
            String tag = what + (vector ? " vector" : " scalar");
            assertClose(tag + " out", ref.out, o, 0, 3e-5, 1e-4);
            assertClose(tag + " lse", ref.lse, lse, 0, 3e-5, 1e-5);
            if (first == null) first = o; else assertClose(what + " vector vs scalar", first, o, 2e-5, 1e-4);
        }
        return first;
    }

    @Test
    void matchesNaiveReferenceForEveryMaskSizeAndHeadGrouping() {
        Random r = new Random(11);
        int[][] heads = {{2, 2}, {4, 2}, {3, 1}};
        int n = 0;
        for (int t : new int[]{1, 7, 33, 100})
            for (int d : new int[]{8, 24, 32, 40, 64})       // 32, 40: the two-chunk V accumulation (AVX-512)
                for (int kind = 0; kind < MASK_KINDS; kind++, n++) {
                    int[] hh = heads[n % heads.length];
                    Case c = Case.random(r, 2, hh[0], hh[1], t, t, d, n % 2 == 1);
                    checkForward("T=" + t + " D=" + d + " Hq=" + hh[0] + " Hkv=" + hh[1] + " mask kind " + kind
                            + (c.bthd() ? " [B,T,H,D]" : " [B,H,T,D]"), c, options(kind, r, 2, hh[0], t, t));
                }
    }

    @Test
    void decodeWithQueryOffsetMatchesReference() {
        Random r = new Random(12);
        for (int kind = 0; kind < MASK_KINDS; kind++) {
            for (int tq : new int[]{1, 3}) {
                Case c = Case.random(r, 2, 4, 1, tq, 37, 24, kind % 2 == 0);
                checkForward("decode Tq=" + tq + " Tk=37 mask kind " + kind, c, options(kind, r, 2, 4, tq, 37));
            }
        }
    }

    @Test
    void rowsThatSeeNoKeyGiveZerosAndMinusInfinityLse() {
        Random r = new Random(13);
        Case c = Case.random(r, 2, 2, 2, 9, 9, 8, false);
        boolean[] mask = new boolean[2 * 9];
        for (int j = 0; j < 9; j++) mask[j] = j >= 4;            // batch 0: keys 4..8; batch 1: none
        // causal: in batch 0 queries 0..3 see only padded keys; batch 1 sees nothing anywhere
        AttentionOptions opt = AttentionOptions.defaults().causal(0).withKeyMask(mask);
        AttentionOperand out = c.newOut();
        float[] lse = new float[2 * 2 * 9];
        java.util.Arrays.fill(out.data(), Float.NaN);
        Attention.forward(2, 2, 2, 9, 9, 8, c.q(), c.k(), c.v(), out, opt, lse);
        float[] o = c.dense(out);
        for (int b = 0; b < 2; b++)
            for (int h = 0; h < 2; h++)
                for (int i = 0; i < 9; i++) {
                    int row = (b * 2 + h) * 9 + i;
                    boolean none = b == 1 || i < 4;
                    assertEquals(none, lse[row] == Float.NEGATIVE_INFINITY, "lse row " + row);
                    for (int t = 0; t < 8; t++) {
                        if (none) assertEquals(0f, o[row * 8 + t], "fully masked row " + row);
                        else assertTrue(Float.isFinite(o[row * 8 + t]), "row " + row);
                    }
                }
        checkForward("fully masked rows", c, opt);
    }

    /** Keys outside a decode query's sliding window hold NaN: touching any of them would poison the output. */
    @Test
    void slidingWindowNeverReadsKeysOutsideTheWindow() {
        Random r = new Random(14);
        int tk = 300, w = 16, d = 24;
        Case c = Case.random(r, 1, 2, 2, 1, tk, d, false);
        for (int h = 0; h < 2; h++)
            for (int j = 0; j < tk - w; j++)
                for (int t = 0; t < d; t++) {
                    c.k().data()[c.k().at(0, h, j) + t] = Float.NaN;
                    c.v().data()[c.v().at(0, h, j) + t] = Float.NaN;
                }
        AttentionOptions opt = AttentionOptions.defaults().withQueryOffset(tk - 1).slidingWindow(w);
        float[] o = checkForward("sliding window decode", c, opt);
        for (float x : o) assertTrue(Float.isFinite(x), "read a key outside the window");
    }

    /** Padded keys hold NaN in K and V: their probability is 0 and they must be skipped, not multiplied by 0. */
    @Test
    void paddedKeysWithNaNNeverReachTheOutput() {
        Random r = new Random(15);
        int t = 21;
        boolean[] mask = new boolean[2 * t];
        for (int j = 0; j < t; j++) {
            mask[j] = j % 5 != 3;                             // batch 0: every fifth key padded
            mask[t + j] = j < 13;                             // batch 1: right padding
        }
        for (int d : new int[]{24, 32, 40, 64}) {
            Case c = Case.random(r, 2, 2, 2, t, t, d, false);
            for (int b = 0; b < 2; b++)
                for (int h = 0; h < 2; h++)
                    for (int j = 0; j < t; j++)
                        if (!mask[b * t + j])
                            for (int e = 0; e < d; e++) {
                                c.k().data()[c.k().at(b, h, j) + e] = Float.NaN;
                                c.v().data()[c.v().at(b, h, j) + e] = Float.NaN;
                            }
            AttentionOptions opt = AttentionOptions.defaults().withKeyMask(mask);
            for (boolean vector : new boolean[]{true, false}) {
                AttentionOperand out = c.newOut();
                AttentionForward.run(2, 2, 2, t, t, d, c.q(), c.k(), c.v(), out, opt, null, vector);
                for (float x : c.dense(out)) assertTrue(Float.isFinite(x), "D=" + d + " vector=" + vector + ": a padded key reached the output");
            }
        }
    }

    @Test
    void windowParametersFollowModernBertAndMistralDefinitions() {
        AttentionOptions local = AttentionOptions.defaults().localWindow(128);
        assertEquals(64, local.windowLeft());
        assertEquals(64, local.windowRight());
        assertEquals(36, local.firstKey(100));          // |100 − j| ≤ 64
        assertEquals(164, local.lastKey(100, 1000));
        AttentionOptions sliding = AttentionOptions.defaults().slidingWindow(4096);
        assertTrue(sliding.causal());
        assertEquals(5000 - 4095, sliding.firstKey(5000));   // j > p − w
        assertEquals(5000, sliding.lastKey(5000, 10_000));
    }

    @Test
    void badShapesFailWithNamedErrors() {
        float[] x = new float[2 * 3 * 4 * 8];
        var q = AttentionOperand.bhtd(x, 3, 4, 8);
        var e = assertThrows(ShapeException.class, () -> Attention.forward(2, 3, 2, 4, 4, 8, q, q, q,
                AttentionOperand.bhtd(new float[x.length], 3, 4, 8), AttentionOptions.defaults(), null));
        assertTrue(e.getMessage().contains("Hq=3") && e.getMessage().contains("Hkv=2"), e.getMessage());
        var e2 = assertThrows(IndexOutOfRangeException.class, () -> Attention.forward(2, 3, 3, 4, 4, 8, q, q, q,
                AttentionOperand.bhtd(new float[x.length - 1], 3, 4, 8), AttentionOptions.defaults(), null));
        assertTrue(e2.getMessage().contains("out"), e2.getMessage());
        var e3 = assertThrows(ShapeException.class, () -> Attention.forward(2, 3, 3, 4, 4, 8, q, q, q,
                AttentionOperand.bhtd(new float[x.length], 3, 4, 8), AttentionOptions.defaults().withKeyMask(new boolean[7]), null));
        assertTrue(e3.getMessage().contains("keyMask"), e3.getMessage());
        assertThrows(dev.genai4j.tensor.TensorException.class, () -> AttentionOptions.defaults().slidingWindow(0));
        assertThrows(dev.genai4j.tensor.TensorException.class, () -> AttentionOptions.defaults().causal(-1));
        var e4 = assertThrows(dev.genai4j.tensor.TensorException.class, () -> Attention.backward(2, 3, 3, 4, 4, 8, q, q, q, q, q,
                null, AttentionOptions.defaults(), q, q, q));
        assertTrue(e4.getMessage().contains("lse"), e4.getMessage());
    }
}
