package dev.genai4j.models.diffusion.rl;

import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

/**
 * DPOK's value baseline V(prompt, t): a small MLP on the prompt's embedding (its token states
 * averaged, [D]) joined with a sinusoidal embedding of the timestep, trained by MSE on the final
 * rewards of the trajectories that passed through that step; the policy's advantage is r − V.
 *
 * <pre>{@code
 * ValueFunction v = new ValueFunction(384, 64, 1000, new Rng(0));
 * Tensor pred = v.forward(text, new int[]{999, 19});    // text [2, L, 384] → [2]
 * }</pre>
 */
public final class ValueFunction extends Module {
    static final int TIME_FEATURES = 16;

    private final int textDim, trainTimesteps;
    private final Linear l1, l2, l3;

    public ValueFunction(int textDim, int hidden, int trainTimesteps, Rng rng) {
        this.textDim = textDim;
        this.trainTimesteps = trainTimesteps;
        l1 = child("l1", new Linear(textDim + TIME_FEATURES, hidden, true, rng));
        l2 = child("l2", new Linear(hidden, hidden, true, rng));
        l3 = child("l3", new Linear(hidden, 1, true, rng));
    }

    /** V for text token states [B, L, D] at one timestep per row → [B]. */
    public Tensor forward(Tensor text, int[] t) {
        if (text.dim() != 3 || text.size(2) != textDim || text.size(0) != t.length) {
            throw ShapeException.of("value function text", "[" + t.length + ", L, " + textDim + "]", text.shape());
        }
        Tensor prompt = text.mean(1, false);                                              // [B, D]
        Tensor in = Tensor.cat(java.util.List.of(prompt, timeFeatures(t)), 1);            // [B, D + 16]
        return l3.forward(l2.forward(l1.forward(in).silu()).silu()).reshape(t.length);
    }

    /** [cos(k·π·t/T) | sin(k·π·t/T)] for k = 1 … 8, [B, 16]. */
    Tensor timeFeatures(int[] t) {
        int half = TIME_FEATURES / 2;
        float[] out = new float[t.length * TIME_FEATURES];
        for (int i = 0; i < t.length; i++) {
            double u = Math.PI * t[i] / trainTimesteps;
            for (int k = 0; k < half; k++) {
                out[i * TIME_FEATURES + k] = (float) Math.cos((k + 1) * u);
                out[i * TIME_FEATURES + half + k] = (float) Math.sin((k + 1) * u);
            }
        }
        return Tensor.of(out, t.length, TIME_FEATURES);
    }
}
