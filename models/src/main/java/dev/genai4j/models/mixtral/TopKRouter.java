package dev.genai4j.models.mixtral;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Linear;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.TopK;

/**
 * Mixtral's router (arXiv 2401.04088 §2.1, eq. 1–2; HF {@code MixtralSparseMoeBlock.forward}): a bias-free
 * linear gate gives logits [N, E]; softmax over the experts in fp32; the top-k probabilities are kept and
 * renormalized to sum to one. (Softmax over the top-k logits, as the paper writes it, is the same thing.)
 * Ties are broken toward the lower expert index. Not a module of its own: the block registers the gate
 * projection as its child {@code gate}, so parameter names stay HF's ({@code block_sparse_moe.gate.weight}).
 *
 * <pre>{@code
 * TopKRouter router = TopKRouter.load(w.sub("block_sparse_moe.gate"), 4096, 8, 2);
 * TopKRouter.Routing r = router.route(x);        // x [N, 4096] → logits [N, 8], weights [N, 2], experts N·2
 * }</pre>
 */
public final class TopKRouter {
    /**
     * One routing decision: the gate's raw {@code logits} [N, E] (HF's {@code router_logits}), the
     * renormalized {@code weights} [N, k] (differentiable) and the chosen {@code experts}, flat
     * [N·k] row-major, slot 0 the most probable.
     */
    public record Routing(Tensor logits, Tensor weights, int[] experts, int k) {
        public int tokens() { return experts.length / k; }
    }

    private final Linear gate;   // [E, H]
    private final int numExperts;
    private final int topK;

    private TopKRouter(Linear gate, int numExperts, int topK) {
        this.gate = gate;
        this.numExperts = numExperts;
        this.topK = topK;
    }

    /** Reads {@code weight} [E, H] under {@code w}. */
    public static TopKRouter load(Weights w, int hidden, int numExperts, int topK) {
        return new TopKRouter(Linear.load(w, hidden, numExperts, false), numExperts, topK);
    }

    /** x: [N, H] → the routing of each of the N tokens. */
    public Routing route(Tensor x) {
        Tensor logits = gate.forward(x);                       // [N, E]
        TopK best = logits.softmax(-1).topk(topK, -1);          // [N, k] probabilities, descending
        Tensor weights = best.values().div(best.values().sum(-1, true));
        return new Routing(logits, weights, best.indices().toIntArray(), topK);
    }

    public int numExperts() { return numExperts; }

    public int topK() { return topK; }

    /** The gate projection (its weight is [E, H]). */
    public Linear gate() { return gate; }
}
