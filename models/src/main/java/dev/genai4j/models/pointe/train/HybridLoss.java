package dev.genai4j.models.pointe.train;

import dev.genai4j.models.pointe.GaussianDiffusion;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Improved-DDPM's hybrid objective as Point-E's {@code GaussianDiffusion.training_losses} runs it for its
 * configs ({@code loss_type="mse"}, {@code model_var_type="learned_range"}, ε prediction,
 * {@code discretized_t0=False}): {@code loss = mean_flat((ε − ε̂)²) + vb}, where {@code vb} is
 * KL(q(x_{t−1}|x_t, x₀) ‖ p(x_{t−1}|x_t)) in bits per dimension with the mean of p built from the
 * <em>detached</em> ε̂ (the bound trains only the variance channels) and the log-variance interpolated
 * between the clipped posterior variance and β_t by {@code (v + 1)/2}; at t = 0 the term is 0, because
 * the reference's decoder NLL is switched off there. Tables are float64 like the reference's numpy
 * arrays and enter the tensor math as float32 per sample, as {@code _extract_into_tensor}.
 *
 * <p>{@link #withSnrWeightCap} optionally weights each sample's ε term by max(1, min(1/SNR_t, cap)), the
 * truncated-SNR weighting of Salimans &amp; Ho (2022) written for ε: below SNR 1 the term then measures the
 * error of x̂₀ itself. Point-E's Karras sampler walks along x̂₀, and at low SNR an ε̂ that is wrong by δ moves
 * x̂₀ by δ/√SNR, yet the plain ε loss barely notices; a small model trained on it learns late what the image says
 * about the whole cloud (its colour, its shape) and early samples then read those from the noise. Cap 1 is
 * the reference's objective.
 *
 * <pre>{@code
 * HybridLoss h = HybridLoss.of(diffusion);
 * Tensor xT = h.qSample(x0, t, noise);                      // x0, noise [N, C, L] model space
 * HybridLoss.Terms terms = h.compute(model.forward(xT, ...), x0, xT, t, noise);
 * terms.loss().backward();
 * }</pre>
 */
public final class HybridLoss {
    private static final double LN2 = Math.log(2.0);

    private final double[] sqrtAc, sqrtOneMinusAc, recip, recipm1;   // [T] for q_sample and x̂₀ from ε
    private final double[] coef1, coef2, postLogVarClipped, logBetas;  // [T] posterior q(x_{t−1}|x_t, x₀)
    private final double snrWeightCap;

    private HybridLoss(double[] alphasCumprod, double snrWeightCap) {
        if (!(snrWeightCap >= 1)) throw new IllegalArgumentException("HybridLoss: the SNR weight cap must be >= 1 (1 = unweighted), got " + snrWeightCap);
        this.snrWeightCap = snrWeightCap;
        int n = alphasCumprod.length;
        sqrtAc = new double[n];
        sqrtOneMinusAc = new double[n];
        recip = new double[n];
        recipm1 = new double[n];
        coef1 = new double[n];
        coef2 = new double[n];
        postLogVarClipped = new double[n];
        logBetas = new double[n];
        double[] postVar = new double[n];
        for (int t = 0; t < n; t++) {
            double ac = alphasCumprod[t], prev = t == 0 ? 1.0 : alphasCumprod[t - 1];
            double beta = 1.0 - ac / prev;                                  // the β the ᾱ table was built from
            sqrtAc[t] = Math.sqrt(ac);
            sqrtOneMinusAc[t] = Math.sqrt(1.0 - ac);
            recip[t] = Math.sqrt(1.0 / ac);
            recipm1[t] = Math.sqrt(1.0 / ac - 1);
            postVar[t] = beta * (1.0 - prev) / (1.0 - ac);
            coef1[t] = beta * Math.sqrt(prev) / (1.0 - ac);
            coef2[t] = (1.0 - prev) * Math.sqrt(1.0 - beta) / (1.0 - ac);
            logBetas[t] = Math.log(beta);
        }
        // the posterior variance is 0 at t = 0: the reference repeats the t = 1 value before the log
        for (int t = 0; t < n; t++) postLogVarClipped[t] = Math.log(t == 0 ? postVar[Math.min(1, n - 1)] : postVar[t]);
    }

    /** The reference's objective: every sample's ε term weighs 1. */
    public static HybridLoss of(GaussianDiffusion d) { return withSnrWeightCap(d, 1); }

    /** ε terms weighted by max(1, min(1/SNR_t, cap)); cap 1 is {@link #of}. */
    public static HybridLoss withSnrWeightCap(GaussianDiffusion d, double cap) {
        double[] ac = new double[d.numTimesteps()];
        for (int t = 0; t < ac.length; t++) ac[t] = d.alphaCumprod(t);
        return new HybridLoss(ac, cap);
    }

    /** The weight of the ε term of a sample at timestep t. */
    public double mseWeight(int t) { return Math.max(1.0, Math.min(recipm1[t] * recipm1[t], snrWeightCap)); }

    public int numTimesteps() { return sqrtAc.length; }

    /**
     * The losses of one batch.
     *
     * @param loss      scalar: the batch mean of {@code w·mse + vb} (what training minimizes; w = 1 without an SNR weight cap)
     * @param mse       per sample, mean over channels and points of (ε − ε̂)², unweighted
     * @param vb        per sample, the variational-bound term in bits per dimension (0 where t = 0)
     */
    public record Terms(Tensor loss, float[] mse, float[] vb) {
        public double meanMse() { return Arrays.stream(toDouble(mse)).average().orElse(Double.NaN); }

        public double meanVb() { return Arrays.stream(toDouble(vb)).average().orElse(Double.NaN); }

        private static double[] toDouble(float[] a) {
            double[] d = new double[a.length];
            for (int i = 0; i < a.length; i++) d[i] = a[i];
            return d;
        }
    }

    /** {@code q_sample}: √ᾱ_t·x₀ + √(1 − ᾱ_t)·ε. x0, noise: [N, C, L]. */
    public Tensor qSample(Tensor x0, int[] t, Tensor noise) {
        return x0.mul(perSample(sqrtAc, t)).add(noise.mul(perSample(sqrtOneMinusAc, t)));
    }

    /**
     * @param modelOut [N, 2C, L]: ε̂ then the learned-range values v
     * @param x0       [N, C, L] the clean batch in model space
     * @param xT       [N, C, L] {@link #qSample} of it
     * @param noise    [N, C, L] the ε that made xT
     */
    public Terms compute(Tensor modelOut, Tensor x0, Tensor xT, int[] t, Tensor noise) {
        int n = x0.shape()[0], c = x0.shape()[1];
        if (modelOut.dim() != 3 || modelOut.size(0) != n || modelOut.size(1) != 2 * c || modelOut.size(2) != x0.size(2)) {
            throw ShapeException.of("HybridLoss.compute: model output", "[" + n + ", " + 2 * c + ", " + x0.size(2) + "]", modelOut.shape());
        }
        if (t.length != n) throw new IllegalArgumentException("HybridLoss.compute: " + t.length + " timesteps for a batch of " + n);
        int[] flat = {1, 2};
        Tensor eps = modelOut.narrow(1, 0, c), v = modelOut.narrow(1, c, c);
        Tensor mse = noise.sub(eps).square().mean(flat, false);                                   // [N]

        // p's mean from the detached ε̂, without clipping (clip_denoised=False in training_losses)
        Tensor epsD = eps.detach();
        Tensor predX0 = xT.mul(perSample(recip, t)).sub(epsD.mul(perSample(recipm1, t)));
        Tensor pc1 = perSample(coef1, t), pc2 = perSample(coef2, t);
        Tensor modelMean = predX0.mul(pc1).add(xT.mul(pc2));
        Tensor trueMean = x0.mul(pc1).add(xT.mul(pc2));
        Tensor minLog = perSample(postLogVarClipped, t), maxLog = perSample(logBetas, t);
        Tensor frac = v.add(1f).div(2f);
        Tensor modelLogVar = frac.mul(maxLog).add(frac.neg().add(1f).mul(minLog));               // [N, C, L]
        Tensor trueLogVar = minLog;                                                               // [N, 1, 1]
        Tensor kl = modelLogVar.sub(trueLogVar).add(-1f)
                .add(trueLogVar.sub(modelLogVar).exp())
                .add(trueMean.sub(modelMean).square().mul(modelLogVar.neg().exp()))
                .mul(0.5f);
        float[] notFirst = new float[n];
        for (int i = 0; i < n; i++) notFirst[i] = t[i] == 0 ? 0f : (float) (1.0 / LN2);
        Tensor vb = kl.mean(flat, false).mul(Tensor.of(notFirst, n));                             // [N] bits
        Tensor weighted = mse;
        if (snrWeightCap > 1) {
            float[] w = new float[n];
            for (int i = 0; i < n; i++) w[i] = (float) mseWeight(t[i]);
            weighted = mse.mul(Tensor.of(w, n));
        }
        Tensor loss = weighted.add(vb).mean();
        return new Terms(loss, mse.detach().toFloatArray(), vb.detach().toFloatArray());
    }

    /** A float64 table read at each sample's timestep, as a [N, 1, 1] float32 tensor. */
    private static Tensor perSample(double[] table, int[] t) {
        float[] out = new float[t.length];
        for (int i = 0; i < t.length; i++) out[i] = (float) table[t[i]];
        return Tensor.of(out, t.length, 1, 1);
    }
}
