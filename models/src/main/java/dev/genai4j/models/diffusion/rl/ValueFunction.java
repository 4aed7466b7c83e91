package dev.genai4j.models.diffusion.rl;

import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.List;

/**
 * DPOK's value baseline V(x_t, prompt, t): the expected final reward of a trajectory that is at
 * the noisy image x_t at timestep t, for that prompt. Its input is x_t flattened joined with the
 * prompt's embedding (token states averaged, [D]); three {@link ConditionalLinear} layers with
 * ReLU, each scaled per timestep, then a linear read-out — the shape of DPOK's {@code ValueMulti}
 * ({@code reward_model.py}). Trained by MSE on the final rewards; the policy's advantage at the
 * step x_t → x_{t−1} is r − V(x_t, prompt, t).
 *
 * <p>Why the state: late in sampling x_t nearly fixes the image, so V(x_t) predicts most of the
 * reward and the advantage left for those steps is small. A baseline of the prompt and t alone
 * credits every step with the whole trajectory's luck, and the late, detail-drawing steps then
 * follow noise.
 *
 * <pre>{@code
 * ValueFunction v = new ValueFunction(1 * 32 * 32, 384, 256, 1000, new Rng(0));
 * Tensor pred = v.forward(xt, text, new int[]{999, 19});    // xt [2, 1, 32, 32], text [2, L, 384] → [2]
 * }</pre>
 */
public final class ValueFunction extends Module {
    private final int imageValues, textDim;
    private final ConditionalLinear l1, l2, l3;
    private final Linear out;

    /**
     * @param imageValues    C·H·W of the noisy image
     * @param textDim        the text encoder's width D
     * @param hidden         width of the three hidden layers (DPOK: 256)
     * @param trainTimesteps the schedule's length; every timestep has its own gains
     */
    public ValueFunction(int imageValues, int textDim, int hidden, int trainTimesteps, Rng rng) {
        this.imageValues = imageValues;
        this.textDim = textDim;
        l1 = child("l1", new ConditionalLinear(imageValues + textDim, hidden, trainTimesteps, rng));
        l2 = child("l2", new ConditionalLinear(hidden, hidden, trainTimesteps, rng));
        l3 = child("l3", new ConditionalLinear(hidden, hidden, trainTimesteps, rng));
        out = child("out", new Linear(hidden, 1, true, rng));
    }

    /** V for noisy images xt [B, C, H, W] and text token states [B, L, D] at one timestep per row → [B]. */
    public Tensor forward(Tensor xt, Tensor text, int[] t) {
        int b = t.length;
        if (xt.dim() < 2 || xt.size(0) != b || xt.numel() != b * imageValues) {
            throw ShapeException.of("value function x_t", "[" + b + ", …] with " + imageValues + " values per image", xt.shape());
        }
        if (text.dim() != 3 || text.size(2) != textDim || text.size(0) != b) {
            throw ShapeException.of("value function text", "[" + b + ", L, " + textDim + "]", text.shape());
        }
        Tensor in = Tensor.cat(List.of(xt.reshape(b, imageValues), text.mean(1, false)), 1);   // [B, C·H·W + D]
        Tensor h = l1.forward(in, t).relu();
        h = l2.forward(h, t).relu();
        h = l3.forward(h, t).relu();
        return out.forward(h).reshape(b);
    }
}
