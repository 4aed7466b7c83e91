package dev.genai4j.tensor.kernels;

import static dev.genai4j.tensor.kernels.KernelTestData.assertClose;
import static dev.genai4j.tensor.kernels.KernelTestData.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genai4j.tensor.kernels.AttentionTest.Case;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AttentionBackwardTest {

    /** dq, dk, dv of both paths against the gradients of the materialized-softmax reference. */
    private static void check(String what, Case c, AttentionOptions opt, Random r) {
        int b = c.batch(), hq = c.hq(), hkv = c.hkv(), tq = c.tq(), tk = c.tk(), d = c.d();
        AttentionReference ref = c.reference(opt);
        float[] g = gaussian(r, b * hq * tq * d, 1f);
        double[][] expected = ref.gradients(g);
        for (boolean vector : new boolean[]{true, false}) {
            AttentionOperand out = AttentionOperand.bhtd(new float[b * hq * tq * d], hq, tq, d);
            float[] lse = new float[b * hq * tq];
            Attention.forward(b, hq, hkv, tq, tk, d, c.q(), c.k(), c.v(), out, opt, lse, vector);
            // gradients in the [B, T, H, D] layout for dq and dk, dense [B, H, T, D] for dv: strides must not matter
            float[] dq = new float[b * hq * tq * d + 2], dk = new float[b * hkv * tk * d], dv = new float[b * hkv * tk * d];
            java.util.Arrays.fill(dq, Float.NaN);   // everything the kernel owns must be overwritten
            java.util.Arrays.fill(dk, Float.NaN);
            java.util.Arrays.fill(dv, Float.NaN);
            AttentionOperand dqOp = new AttentionOperand(dq, 2, tq * hq * d, d, hq * d);
            AttentionOperand dkOp = AttentionOperand.bthd(dk, tk, hkv, d), dvOp = AttentionOperand.bhtd(dv, hkv, tk, d);
            Attention.backward(b, hq, hkv, tq, tk, d, c.q(), c.k(), c.v(), out, AttentionOperand.bhtd(g, hq, tq, d), lse, opt,
                    dqOp, dkOp, dvOp, vector);
            String tag = what + (vector ? " vector" : " scalar");
            assertClose(tag + " dq", expected[0], c.dense(dqOp), 0, 1e-4, 1e-3);
            assertClose(tag + " dk", expected[1], denseKv(dkOp, b, hkv, tk, d), 0, 1e-4, 1e-3);
            assertClose(tag + " dv", expected[2], dv, 0, 1e-4, 1e-3);
        }
    }

    private static float[] denseKv(AttentionOperand x, int batch, int hkv, int tk, int d) {
        float[] r = new float[batch * hkv * tk * d];
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < hkv; h++)
                for (int j = 0; j < tk; j++) System.arraycopy(x.data(), x.at(b, h, j), r, ((b * hkv + h) * tk + j) * d, d);
        return r;
    }

    @Test
    void gradientsMatchMaterializedReferenceForEveryMask() {
        Random r = new Random(21);
        int[][] heads = {{2, 2}, {4, 2}, {3, 1}};
        int n = 0;
        for (int t : new int[]{1, 7, 33})
            for (int d : new int[]{8, 24})
                for (int kind = 0; kind < AttentionTest.MASK_KINDS; kind++, n++) {
                    int[] hh = heads[n % heads.length];
                    Case c = Case.random(r, 2, hh[0], hh[1], t, t, d, n % 2 == 1);
                    check("T=" + t + " D=" + d + " Hq=" + hh[0] + " Hkv=" + hh[1] + " mask kind " + kind, c,
                            AttentionTest.options(kind, r, 2, hh[0], t, t), r);
                }
    }

    /**
     * Plain attention over 16–256 keys (one vector or more) with heads of two vectors or more runs as whole-matrix products
     * (AttentionSmall): output, log-sum-exp and all three gradients against the reference, in both
     * operand layouts, with the default and an explicit scale.
     */
    @Test
    void wholeMatrixPathMatchesReference() {
        Random r = new Random(23);
        int[][] shapes = {{40, 33, 32}, {64, 64, 32}, {64, 16, 32}, {9, 256, 48}, {70, 21, 64}};   // tq, tk, d
        int n = 0;
        for (int[] sh : shapes)
            for (AttentionOptions opt : new AttentionOptions[]{AttentionOptions.defaults(), AttentionOptions.defaults().withScale(0.3f)}) {
                int tq = sh[0], tk = sh[1], d = sh[2];
                assertTrue(AttentionSmall.supports(3, 3, tq, tk, d, opt), "the whole-matrix path takes " + java.util.Arrays.toString(sh));
                Case c = Case.random(r, 2, 3, 3, tq, tk, d, n++ % 2 == 1);
                String what = "tq=" + tq + " tk=" + tk + " d=" + d + " scale=" + opt.scale();
                AttentionTest.checkForward(what, c, opt);
                check(what, c, opt, r);
            }
        // masks, windows, grouped heads, too few keys or too narrow a head: the blocked kernels
        assertTrue(!AttentionSmall.supports(3, 3, 40, 33, 32, AttentionOptions.defaults().causal(0)));
        assertTrue(!AttentionSmall.supports(4, 2, 40, 33, 32, AttentionOptions.defaults()));
        assertTrue(!AttentionSmall.supports(3, 3, 40, VectorSupport.F.length() - 1, 32, AttentionOptions.defaults()));
        assertTrue(!AttentionSmall.supports(3, 3, 40, 33, 8, AttentionOptions.defaults()));
        assertTrue(!AttentionSmall.supports(3, 3, 40, 300, 32, AttentionOptions.defaults()));
    }

    @Test
    void decodeGradientsMatchReference() {
        Random r = new Random(22);
        for (int kind = 0; kind < AttentionTest.MASK_KINDS; kind++) {
            Case c = Case.random(r, 2, 4, 2, 3, 20, 8, false);
            check("decode mask kind " + kind, c, AttentionTest.options(kind, r, 2, 4, 3, 20), r);
        }
    }

    /** Independent of the reference's algebra: central differences of the fp32 forward kernel itself. */
    @Test
    void gradientsMatchFiniteDifferencesOfTheForwardKernel() {
        Random r = new Random(23);
        int b = 1, hq = 2, hkv = 1, t = 5, d = 4;
        Case c = Case.random(r, b, hq, hkv, t, t, d, false);
        AttentionOptions opt = AttentionOptions.defaults().causal(0).withBias(AttentionTest.bias(new Random(1), b, hq, t, t, 1, hq));
        float[] g = gaussian(r, b * hq * t * d, 1f);
        AttentionOperand out = AttentionOperand.bhtd(new float[g.length], hq, t, d);
        float[] lse = new float[b * hq * t];
        Attention.forward(b, hq, hkv, t, t, d, c.q(), c.k(), c.v(), out, opt, lse);
        float[] dq = new float[b * hq * t * d + 3], dk = new float[b * hkv * t * d], dv = new float[dk.length];
        AttentionOperand dqOp = new AttentionOperand(dq, 3, hq * t * d, t * d, d);
        Attention.backward(b, hq, hkv, t, t, d, c.q(), c.k(), c.v(), out, AttentionOperand.bhtd(g, hq, t, d), lse, opt,
                dqOp, AttentionOperand.bhtd(dk, hkv, t, d), AttentionOperand.bhtd(dv, hkv, t, d));
        java.util.function.DoubleSupplier loss = () -> {
            AttentionOperand o = AttentionOperand.bhtd(new float[g.length], hq, t, d);
            Attention.forward(b, hq, hkv, t, t, d, c.q(), c.k(), c.v(), o, opt, null);
            double l = 0;
            for (int i = 0; i < g.length; i++) l += (double) g[i] * o.data()[i];
            return l;
        };
        finiteDifference("dq", c.q().data(), 3, dq, 3, b * hq * t * d, loss);
        finiteDifference("dk", c.k().data(), 0, dk, 0, dk.length, loss);
        finiteDifference("dv", c.v().data(), 0, dv, 0, dv.length, loss);
    }

    private static void finiteDifference(String what, float[] param, int pOff, float[] grad, int gOff, int n,
                                         java.util.function.DoubleSupplier loss) {
        float h = 1e-2f;
        double[] numeric = new double[n];
        for (int i = 0; i < n; i++) {
            float keep = param[pOff + i];
            param[pOff + i] = keep + h;
            double up = loss.getAsDouble();
            param[pOff + i] = keep - h;
            double down = loss.getAsDouble();
            param[pOff + i] = keep;
            numeric[i] = (up - down) / (2.0 * h);
        }
        assertClose(what + " vs finite differences", numeric, grad, gOff, 2e-3, 1e-2);
    }

    /** Padded keys may hold garbage (here NaN): neither outputs nor gradients may see it. */
    @Test
    void nanInPaddedKeysReachesNeitherOutputNorGradients() {
        for (int t : new int[]{5, 40}) {                 // few rows (dot products) and many (transposed blocks)
            for (boolean vector : new boolean[]{true, false}) {
                Random r = new Random(24);
                int b = 2, hq = 2, hkv = 1, d = 24, pad = 3;
                Case c = Case.random(r, b, hq, hkv, t, t, d, false);
                boolean[] mask = new boolean[b * t];
                for (int j = 0; j < b * t; j++) mask[j] = j % t < t - pad;
                for (int bb = 0; bb < b; bb++)
                    for (int j = t - pad; j < t; j++)
                        for (int x = 0; x < d; x++) {
                            c.k().data()[c.k().at(bb, 0, j) + x] = Float.NaN;
                            c.v().data()[c.v().at(bb, 0, j) + x] = Float.NaN;
                        }
                AttentionOptions opt = AttentionOptions.defaults().withKeyMask(mask);
                AttentionOperand out = AttentionOperand.bhtd(new float[b * hq * t * d], hq, t, d);
                float[] lse = new float[b * hq * t];
                Attention.forward(b, hq, hkv, t, t, d, c.q(), c.k(), c.v(), out, opt, lse, vector);
                float[] dq = new float[b * hq * t * d + 3], dk = new float[b * hkv * t * d], dv = new float[dk.length];
                Attention.backward(b, hq, hkv, t, t, d, c.q(), c.k(), c.v(), out,
                        AttentionOperand.bhtd(gaussian(r, b * hq * t * d, 1f), hq, t, d), lse, opt,
                        new AttentionOperand(dq, 3, hq * t * d, t * d, d),
                        AttentionOperand.bhtd(dk, hkv, t, d), AttentionOperand.bhtd(dv, hkv, t, d), vector);
                String what = "T=" + t + (vector ? " vector" : " scalar");
                for (float x : out.data()) assertTrue(Float.isFinite(x), what + " out");
                for (float x : dq) assertTrue(Float.isFinite(x), what + " dq");
                for (int bb = 0; bb < b; bb++)
                    for (int j = 0; j < t; j++)
                        for (int x = 0; x < d; x++) {
                            float gk = dk[((bb * hkv) * t + j) * d + x], gv = dv[((bb * hkv) * t + j) * d + x];
                            if (j >= t - pad) {
                                assertEquals(0f, gk, what + " dk of a padded key");
                                assertEquals(0f, gv, what + " dv of a padded key");
                            } else {
                                assertTrue(Float.isFinite(gk) && Float.isFinite(gv), what + " dk/dv");
                            }
                        }
            }
        }
    }
}
