package dev.genai4j.models.mixtral;

import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.List;

/**
 * The Switch-Transformer load-balancing auxiliary loss (arXiv 2101.03961 eq. 4–6) exactly as HF
 * {@code load_balancing_loss_func} computes it for Mixtral: all layers' router logits are stacked,
 * softmaxed, the top-k experts taken; then with f[j, e] the share of tokens whose j-th choice is e
 * and P[e] the mean router probability of e,
 * {@code loss = E · Σ_j Σ_e f[j, e] · P[e]}. With an attention mask, padding tokens are left out of
 * both means. The coefficient ({@code router_aux_loss_coef}) is not applied here. Differentiable
 * through P (f is a count, as in HF).
 *
 * <pre>{@code
 * Tensor aux = LoadBalancingLoss.compute(out.routerLogits(), 8, 2, attentionMask);   // scalar
 * Tensor loss = lmLoss.add(aux.mul((float) config.routerAuxLossCoef()));
 * }</pre>
 */
public final class LoadBalancingLoss {
    private LoadBalancingLoss() {}

    /**
     * @param routerLogits  one [B·T, E] tensor per layer (rows b·T + t)
     * @param attentionMask [B, T] of 1/0, or null (every token counts)
     * @return the scalar loss (0 when there are no router logits, as HF)
     */
    public static Tensor compute(List<Tensor> routerLogits, int numExperts, int topK, Tensor attentionMask) {
        if (routerLogits.isEmpty()) return Tensor.scalar(0f);
        Tensor all = Tensor.cat(routerLogits, 0);                               // [L·N, E]
        if (all.dim() != 2 || all.size(1) != numExperts) {
            throw ShapeException.of("load_balancing_loss", "router logits [N, " + numExperts + "] per layer", all.shape());
        }
        if (topK < 1 || topK > numExperts) {
            throw new IllegalArgumentException("load_balancing_loss: top_k " + topK + " outside 1 … " + numExperts);
        }
        int rows = all.size(0);
        if (attentionMask != null) {
            // keep only real tokens: HF weighs by the mask; selecting the rows is the same sum and
            // ignores whatever an implementation puts in fully masked (padding) rows
            float[] m = attentionMask.data();
            if (m.length == 0 || rows % m.length != 0) {
                throw ShapeException.of("load_balancing_loss: attention_mask", "[B, T] with B·T dividing " + rows + " router rows",
                        attentionMask.shape());
            }
            int layers = rows / m.length, real = 0;
            for (float v : m) if (v != 0f) real++;
            if (real == 0) throw new IllegalArgumentException("load_balancing_loss: the attention mask has no real token");
            int[] keep = new int[layers * real];
            int q = 0;
            for (int l = 0; l < layers; l++) for (int i = 0; i < m.length; i++) if (m[i] != 0f) keep[q++] = l * m.length + i;
            all = all.indexSelect(0, keep);
            rows = keep.length;
        }
        Tensor probs = all.softmax(-1);                                          // [R, E]
        int[] chosen = probs.topk(topK, -1).indices().toIntArray();              // [R·k]
        // Σ_j f[j, e]: the share of tokens that picked e in any slot (one slot at most per token)
        float[] f = new float[numExperts];
        for (int e : chosen) f[e] += 1f;
        for (int e = 0; e < numExperts; e++) f[e] /= rows;
        Tensor meanProb = probs.mean(0, false);                                  // P [E]
        return meanProb.mul(Tensor.of(f, numExperts)).sum().mul((float) numExperts);
    }
}
