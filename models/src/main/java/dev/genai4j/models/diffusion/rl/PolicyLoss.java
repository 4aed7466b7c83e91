package dev.genai4j.models.diffusion.rl;

import dev.genai4j.tensor.Tensor;

/**
 * The policy-gradient surrogates, each a scalar to minimize (mean over the batch):
 * <ul>
 *   <li>{@link #scoreFunction} — DDPO-SF, REINFORCE: −A·log p_θ(x_{t−1}|x_t);</li>
 *   <li>{@link #clippedImportance} — DDPO-IS, PPO's clipped objective (ddpo_pytorch {@code train.py}):
 *       max(−A·ρ, −A·clip(ρ, 1−ε, 1+ε)) with ρ = p_θ / p_old, so a sample whose ratio has left the
 *       trust region in the direction its advantage pushes contributes no gradient;</li>
 *   <li>{@link #clampedRatio} — DPOK's form (its {@code train_online_pg.py}): −A·clip(ρ, 1−ε, 1+ε).</li>
 * </ul>
 * Advantages are data (no gradient); {@link #clip} bounds them at ±{@code limit} first.
 *
 * <pre>{@code
 * Tensor loss = PolicyLoss.clippedImportance(logProb, oldLogProb, PolicyLoss.clip(adv, 5f), 1e-4f);
 * }</pre>
 */
public final class PolicyLoss {
    private PolicyLoss() {}

    /** The advantages clamped to [−limit, limit] (a copy). */
    public static float[] clip(float[] adv, float limit) {
        float[] out = new float[adv.length];
        for (int i = 0; i < adv.length; i++) out[i] = Math.max(-limit, Math.min(limit, adv[i]));
        return out;
    }

    /** mean(−A·log p) over logProb [B]. */
    public static Tensor scoreFunction(Tensor logProb, float[] adv) {
        return logProb.mul(Tensor.of(negated(adv), adv.length)).mean();
    }

    /** mean(max(−A·ρ, −A·clip(ρ, 1−ε, 1+ε))) with ρ = exp(logProb − oldLogProb); oldLogProb is data. */
    public static Tensor clippedImportance(Tensor logProb, Tensor oldLogProb, float[] adv, float clipRange) {
        Tensor ratio = logProb.sub(oldLogProb.detach()).exp();                     // [B]
        Tensor negA = Tensor.of(negated(adv), adv.length);
        Tensor unclipped = ratio.mul(negA);
        Tensor clipped = ratio.clamp(1f - clipRange, 1f + clipRange).mul(negA);
        return unclipped.maximum(clipped).mean();
    }

    /** mean(−A·clip(ρ, 1−ε, 1+ε)): DPOK's clamped ratio (no gradient once ρ leaves the range, whatever A's sign). */
    public static Tensor clampedRatio(Tensor logProb, Tensor oldLogProb, float[] adv, float clipRange) {
        Tensor ratio = logProb.sub(oldLogProb.detach()).exp();
        return ratio.clamp(1f - clipRange, 1f + clipRange).mul(Tensor.of(negated(adv), adv.length)).mean();
    }

    /** Share of ratios outside [1−ε, 1+ε] (logged as DDPO's {@code clipfrac}). */
    public static double clipFraction(Tensor logProb, Tensor oldLogProb, float clipRange) {
        float[] lp = logProb.toFloatArray(), old = oldLogProb.toFloatArray();
        int n = 0;
        for (int i = 0; i < lp.length; i++) if (Math.abs(Math.exp(lp[i] - old[i]) - 1) > clipRange) n++;
        return (double) n / lp.length;
    }

    private static float[] negated(float[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = -a[i];
        return out;
    }
}
