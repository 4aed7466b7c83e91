package dev.genai4j.models.diffusion.rl;

import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.Randoms;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

/**
 * A linear layer whose outputs are scaled by a learned gain per timestep: y = (W·x + b) ⊙ γ[t].
 * The layer DPOK's value network is built from (its {@code reward_model.py}, {@code ConditionalLinear}),
 * so one network serves every step of the trajectory. γ starts ~ U(0, 1), as there.
 *
 * <pre>{@code
 * ConditionalLinear l = new ConditionalLinear(1408, 256, 1000, new Rng(0));
 * Tensor y = l.forward(x, new int[]{999, 19});     // x [2, 1408] → [2, 256]
 * }</pre>
 */
final class ConditionalLinear extends Module {
    private final Linear linear;
    private final Parameter gain;      // [timesteps, out]
    private final int timesteps;

    ConditionalLinear(int in, int out, int timesteps, Rng rng) {
        this.linear = child("lin", new Linear(in, out, true, rng));
        this.gain = param("gain", Randoms.uniform(rng, 0f, 1f, timesteps, out));
        this.timesteps = timesteps;
    }

    /** x [B, in], one timestep in [0, timesteps) per row → [B, out]. */
    Tensor forward(Tensor x, int[] t) {
        float[] ids = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            if (t[i] < 0 || t[i] >= timesteps) {
                throw new IllegalArgumentException("value function: timestep " + t[i] + " of row " + i + " is not in [0, " + timesteps + ")");
            }
            ids[i] = t[i];
        }
        return linear.forward(x).mul(gain.value().indexSelect(0, Tensor.of(ids, t.length)));
    }
}
