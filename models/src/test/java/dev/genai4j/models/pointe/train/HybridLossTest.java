package dev.genai4j.models.pointe.train;

import dev.genai4j.models.pointe.GaussianDiffusion;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HybridLossTest {
    private static final GaussianDiffusion D = GaussianDiffusion.of("cosine", 8, new float[]{1f}, new float[]{0f});

    /** improved-DDPM's formulas, written out per element in double from the ᾱ table (no tensor code). */
    private static double[] expected(double[] x0, double[] eps, double[] v, double[] noise, int t) {
        double ac = D.alphaCumprod(t), prev = t == 0 ? 1 : D.alphaCumprod(t - 1), beta = 1 - ac / prev;
        double betaOf1 = 1 - D.alphaCumprod(1) / D.alphaCumprod(0);
        double postVar1 = betaOf1 * (1 - D.alphaCumprod(0)) / (1 - D.alphaCumprod(1));
        double postVar = t == 0 ? postVar1 : beta * (1 - prev) / (1 - ac);
        double minLog = Math.log(postVar), maxLog = Math.log(beta);
        double mse = 0, kl = 0;
        for (int i = 0; i < x0.length; i++) {
            double xt = Math.sqrt(ac) * x0[i] + Math.sqrt(1 - ac) * noise[i];
            double predX0 = xt / Math.sqrt(ac) - Math.sqrt(1 / ac - 1) * eps[i];
            double c1 = beta * Math.sqrt(prev) / (1 - ac), c2 = (1 - prev) * Math.sqrt(1 - beta) / (1 - ac);
            double trueMean = c1 * x0[i] + c2 * xt, modelMean = c1 * predX0 + c2 * xt;
            double frac = (v[i] + 1) / 2, lv = frac * maxLog + (1 - frac) * minLog;
            kl += 0.5 * (-1 + lv - minLog + Math.exp(minLog - lv) + (trueMean - modelMean) * (trueMean - modelMean) * Math.exp(-lv));
            mse += (noise[i] - eps[i]) * (noise[i] - eps[i]);
        }
        double vb = t == 0 ? 0 : kl / x0.length / Math.log(2);
        return new double[]{mse / x0.length, vb};
    }

    @Test
    void matchesHandComputedTermsOnATinyBatch() {
        // two samples, one channel, three points: [N=2, C=1, L=3]; model output [2, 2, 3]
        double[][] x0 = {{0.5, -0.25, 0.9}, {-0.7, 0.1, 0.3}}, eps = {{0.2, -0.1, 0.05}, {1.1, -0.4, 0.0}};
        double[][] v = {{0.3, -0.8, 0.0}, {-0.2, 0.9, 0.5}}, noise = {{0.4, 0.3, -1.2}, {0.6, -0.9, 0.25}};
        int[] t = {5, 0};
        HybridLoss h = HybridLoss.of(D);
        Tensor tx0 = Tensor.of(flat(x0), 2, 1, 3), tNoise = Tensor.of(flat(noise), 2, 1, 3);
        float[] out = new float[12];
        for (int b = 0; b < 2; b++) for (int i = 0; i < 3; i++) {
            out[b * 6 + i] = (float) eps[b][i];
            out[b * 6 + 3 + i] = (float) v[b][i];
        }
        Tensor xT = h.qSample(tx0, t, tNoise);
        HybridLoss.Terms terms = h.compute(Tensor.of(out, 2, 2, 3), tx0, xT, t, tNoise);
        for (int b = 0; b < 2; b++) {
            double[] e = expected(x0[b], eps[b], v[b], noise[b], t[b]);
            assertEquals(e[0], terms.mse()[b], 1e-5, "mse of sample " + b);
            assertEquals(e[1], terms.vb()[b], 1e-4, "vb of sample " + b);
        }
        assertEquals(0f, terms.vb()[1], "t = 0 has no bound term (discretized_t0 off)");
        assertTrue(terms.vb()[0] > 0.01, "a mean off the posterior costs bits");
        double total = (terms.mse()[0] + terms.vb()[0] + terms.mse()[1] + terms.vb()[1]) / 2;
        assertEquals(total, terms.loss().item(), 1e-5);
    }

    @Test
    void snrWeightCapWeighsTheEpsTermByTruncatedInverseSnr() {
        double[][] x0 = {{0.5, -0.25, 0.9}, {-0.7, 0.1, 0.3}}, noise = {{0.4, 0.3, -1.2}, {0.6, -0.9, 0.25}};
        float[] out = {0.2f, -0.1f, 0.05f, 0.3f, -0.8f, 0f, 1.1f, -0.4f, 0f, -0.2f, 0.9f, 0.5f};
        int[] t = {6, 1};                                                 // low SNR and high SNR on the 8-step cosine table
        Tensor tx0 = Tensor.of(flat(x0), 2, 1, 3), tNoise = Tensor.of(flat(noise), 2, 1, 3);
        HybridLoss plain = HybridLoss.of(D), capped = HybridLoss.withSnrWeightCap(D, 5);
        Tensor xT = plain.qSample(tx0, t, tNoise);
        HybridLoss.Terms a = plain.compute(Tensor.of(out, 2, 2, 3), tx0, xT, t, tNoise), b = capped.compute(Tensor.of(out, 2, 2, 3), tx0, xT, t, tNoise);
        double invSnr6 = (1 - D.alphaCumprod(6)) / D.alphaCumprod(6), invSnr1 = (1 - D.alphaCumprod(1)) / D.alphaCumprod(1);
        assertTrue(invSnr6 > 1 && invSnr1 < 1, "the test needs one step on each side of SNR 1: " + invSnr6 + ", " + invSnr1);
        double w6 = Math.min(invSnr6, 5);
        assertEquals(w6, capped.mseWeight(6), 1e-9);
        assertEquals(1.0, capped.mseWeight(1), 0.0, "above SNR 1 the weight is 1");
        assertEquals(1.0, plain.mseWeight(6), 0.0, "cap 1 is the reference's loss");
        assertArrayEquals(a.mse(), b.mse(), "the reported ε term stays unweighted");
        assertEquals((w6 * a.mse()[0] + a.vb()[0] + a.mse()[1] + a.vb()[1]) / 2, b.loss().item(), 1e-5);
        assertThrows(IllegalArgumentException.class, () -> HybridLoss.withSnrWeightCap(D, 0.5));
    }

    @Test
    void boundIsNonNegativeAndZeroAtThePosterior() {
        GaussianDiffusion d = GaussianDiffusion.of("cosine", 1024, GaussianDiffusion.DEFAULT_SCALES, GaussianDiffusion.DEFAULT_BIASES);
        HybridLoss h = HybridLoss.of(d);
        Rng rng = new Rng(3);
        int n = 16;
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = 1 + rng.nextInt(1023);
        Tensor x0 = Tensor.rand(rng, n, 6, 32).mul(2f).sub(1f), noise = Tensor.randn(rng, n, 6, 32);
        Tensor xT = h.qSample(x0, t, noise);
        Tensor randomOut = Tensor.cat(java.util.List.of(Tensor.randn(rng, n, 6, 32), Tensor.rand(rng, n, 6, 32).mul(2f).sub(1f)), 1);
        for (float vb : h.compute(randomOut, x0, xT, t, noise).vb()) assertTrue(vb >= 0, "KL is never negative, got " + vb);
        // ε̂ = ε and v = −1 (the posterior variance itself): q and p coincide, the bound vanishes
        Tensor perfect = Tensor.cat(java.util.List.of(noise, Tensor.full(-1f, n, 6, 32)), 1);
        for (float vb : h.compute(perfect, x0, xT, t, noise).vb()) assertEquals(0f, vb, 2e-3f);
    }

    @Test
    void boundTrainsOnlyTheVarianceChannels() {
        HybridLoss h = HybridLoss.of(D);
        Rng rng = new Rng(5);
        int[] t = {3, 6};
        Tensor x0 = Tensor.rand(rng, 2, 1, 4), noise = Tensor.randn(rng, 2, 1, 4);
        Tensor out = Tensor.randn(rng, 2, 2, 4).detach();
        out = Tensor.of(out.toFloatArray(), 2, 2, 4);
        out = out.requiresGrad(true);
        h.compute(out, x0, h.qSample(x0, t, noise), t, noise).loss().backward();
        float[] g = out.grad().toFloatArray(), o = out.toFloatArray(), nz = noise.toFloatArray();
        for (int b = 0; b < 2; b++) for (int i = 0; i < 4; i++) {
            // d/dε̂ of mean_b(mean_flat((ε − ε̂)²)) only: −2(ε − ε̂) / (C·L) / N
            float want = -2f * (nz[b * 4 + i] - o[b * 8 + i]) / 4f / 2f;
            assertEquals(want, g[b * 8 + i], 1e-5f, "ε̂ gradient is the MSE's alone");
        }
    }

    @Test
    void rejectsAnOutputWithoutVarianceChannels() {
        HybridLoss h = HybridLoss.of(D);
        Tensor x0 = Tensor.zeros(1, 6, 4);
        assertThrows(ShapeException.class, () -> h.compute(Tensor.zeros(1, 6, 4), x0, x0, new int[]{1}, x0));
    }

    private static float[] flat(double[][] a) {
        float[] out = new float[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) out[i * a[0].length + j] = (float) a[i][j];
        return out;
    }

    @Test
    void qSampleIsTheForwardProcess() {
        HybridLoss h = HybridLoss.of(D);
        Tensor x = h.qSample(Tensor.of(new float[]{1f}, 1, 1, 1), new int[]{2}, Tensor.of(new float[]{0.5f}, 1, 1, 1));
        double ac = D.alphaCumprod(2);
        assertArrayEquals(new float[]{(float) (Math.sqrt(ac) + 0.5 * Math.sqrt(1 - ac))}, x.toFloatArray(), 1e-6f);
    }
}
