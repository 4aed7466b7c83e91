package dev.genai4j.models.mixtral;

import dev.genai4j.tensor.Autograd;
import dev.genai4j.tensor.GradFn;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.VectorMath;

import java.util.List;

/**
 * The scatter half of sparse expert dispatch, as one differentiable op: each expert's output rows
 * are scaled by their routing weight and added into the rows of the tokens they came from
 * ({@code out[token] += weight[token, slot] · y_e[row]}, HF's {@code index_add_}). Experts are added
 * in index order, as HF does. Gradients flow to every expert output and to the routing weights.
 *
 * <pre>{@code
 * // expert 0 saw tokens {0, 2} (both in slot 0), expert 1 saw token 1 (slot 1)
 * Tensor y = ExpertCombine.combine(3, h, List.of(y0, y1), List.of(new int[]{0, 2}, new int[]{1}),
 *         List.of(new int[]{0, 0}, new int[]{1}), weights);   // weights [3, k] → y [3, h]
 * }</pre>
 */
final class ExpertCombine {
    private ExpertCombine() {}

    /**
     * @param outputs one [n_e, H] tensor per expert that received tokens
     * @param tokens  for each expert, the token (row of the result) of each of its rows
     * @param slots   for each expert, which top-k slot of that token chose it
     * @param weights [N, k] routing weights
     */
    static Tensor combine(int n, int hidden, List<Tensor> outputs, List<int[]> tokens, List<int[]> slots, Tensor weights) {
        int k = weights.size(1);
        float[] w = weights.data();
        float[] out = new float[n * hidden];
        float[][] ys = new float[outputs.size()][];
        for (int e = 0; e < outputs.size(); e++) {
            float[] y = ys[e] = outputs.get(e).data();
            int[] tok = tokens.get(e), slot = slots.get(e);
            for (int r = 0; r < tok.length; r++) {
                VectorMath.axpy(w[tok[r] * k + slot[r]], y, r * hidden, out, tok[r] * hidden, hidden);
            }
        }
        Tensor result = Tensor.of(out, n, hidden);
        Tensor[] inputs = new Tensor[outputs.size() + 1];
        for (int e = 0; e < outputs.size(); e++) inputs[e] = outputs.get(e);
        inputs[outputs.size()] = weights;
        if (!Autograd.recording(inputs)) return result;
        return Autograd.record(result, new GradFn("expert_combine", inputs) {
            @Override public Tensor[] backward(Tensor g) {
                float[] gd = g.data();
                Tensor[] grads = new Tensor[inputs.length];
                float[] gw = needs(inputs.length - 1) ? new float[w.length] : null;
                for (int e = 0; e < ys.length; e++) {
                    int[] tok = tokens.get(e), slot = slots.get(e);
                    float[] gy = needs(e) ? new float[ys[e].length] : null;
                    for (int r = 0; r < tok.length; r++) {
                        int t = tok[r], s = slot[r];
                        if (gy != null) VectorMath.axpy(w[t * k + s], gd, t * hidden, gy, r * hidden, hidden);
                        if (gw != null) gw[t * k + s] += VectorMath.dot(gd, t * hidden, ys[e], r * hidden, hidden);
                    }
                    if (gy != null) grads[e] = Tensor.of(gy, tok.length, hidden);
                }
                if (gw != null) grads[inputs.length - 1] = Tensor.of(gw, n, k);
                return grads;
            }
        });
    }
}
