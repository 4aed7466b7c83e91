package dev.genai4j.models.mixtral;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.GatedMlp;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Randoms;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.GemmPackedB;
import dev.genai4j.tensor.quant.QuantType;

import java.util.ArrayList;
import java.util.List;

/**
 * Mixtral's sparse mixture-of-experts feed-forward block (arXiv 2401.04088 §2.1; HF
 * {@code MixtralSparseMoeBlock}): the {@link TopKRouter} picks k of E SwiGLU experts per token, and
 * {@code y = Σ_k weight_k · expert_k(x)}. Dispatch is sparse: each expert gathers only the rows of its
 * tokens, runs its three projections on them as one [n_e, H] GEMM (a GEMV when one token), and its
 * weighted rows are added back ({@link ExpertCombine}). Experts that no token chose do no work.
 *
 * <pre>{@code
 * MixtralSparseMoe moe = MixtralSparseMoe.load(w.sub("model.layers.0.block_sparse_moe"), config);
 * MixtralSparseMoe.Output o = moe.forward(x);   // x [B, T, H] → o.y() [B, T, H], o.routing().logits() [B·T, E]
 * }</pre>
 */
public final class MixtralSparseMoe extends Module {
    /** The block's output and the routing that produced it. */
    public record Output(Tensor y, TopKRouter.Routing routing) {}

    private final int hidden;
    private final TopKRouter router;
    private final List<GatedMlp> experts;   // w1 (gate) [I, H], w3 (up) [I, H], w2 (down) [H, I]; empty when quantized
    private final List<QuantizedExpert> quantized;   // the same experts block-quantized, or empty
    private final double jitterNoise;       // router_jitter_noise ε: training multiplies the input by U(1-ε, 1+ε)
    private Rng jitterRng = new Rng(0);
    /** Up to this many tokens per expert (decode), the chosen experts run side by side on the threads. */
    private static final int SIDE_BY_SIDE_MAX_TOKENS = 4;

    private MixtralSparseMoe(int hidden, TopKRouter router, List<GatedMlp> experts, List<QuantizedExpert> quantized,
                             double jitterNoise) {
        this.hidden = hidden;
        this.jitterNoise = jitterNoise;
        this.router = router;
        child("gate", router.gate());
        this.experts = List.copyOf(experts);
        this.quantized = List.copyOf(quantized);
        for (int e = 0; e < experts.size(); e++) child("experts." + e, experts.get(e));
        for (int e = 0; e < quantized.size(); e++) child("experts." + e, quantized.get(e));
    }

    /** Reads {@code gate.weight} and {@code experts.E.w1/w2/w3.weight} (HF Hub names) under {@code w}. */
    public static MixtralSparseMoe load(Weights w, MixtralConfig c) { return load(w, c, null); }

    /**
     * As {@link #load(Weights, MixtralConfig)}, with the experts block-quantized ({@link QuantizedExpert})
     * when {@code quantize} is not null. Mapped expert weights then never reach the GEMM's packed-weight
     * cache either way: in bf16 each would be cached as an fp32 copy twice its size.
     */
    public static MixtralSparseMoe load(Weights w, MixtralConfig c, QuantType quantize) {
        List<GatedMlp> experts = new ArrayList<>(c.numLocalExperts());
        List<QuantizedExpert> quantized = new ArrayList<>();
        for (int e = 0; e < c.numLocalExperts(); e++) {
            Weights we = w.sub("experts." + e);
            if (quantize != null) {
                quantized.add(QuantizedExpert.load(we, c.hiddenSize(), c.intermediateSize(), c.hiddenAct(), quantize));
            } else {
                GatedMlp mlp = GatedMlp.loadSplit(we, c.hiddenSize(), c.intermediateSize(), c.hiddenAct(), false, GatedMlp.SplitNames.MIXTRAL);
                for (var p : mlp.parameters()) GemmPackedB.neverCache(p.value().storage());
                experts.add(mlp);
            }
        }
        return new MixtralSparseMoe(c.hiddenSize(), TopKRouter.load(w.sub("gate"), c.hiddenSize(), c.numLocalExperts(),
                c.numExpertsPerTok()), experts, quantized, c.routerJitterNoise());
    }

    /** x: [..., H] → y of the same shape, and the routing of the flattened tokens. */
    public Output forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != hidden) throw ShapeException.of("MixtralSparseMoe(hidden=" + hidden + ")", "input [..., " + hidden + "]", x.shape());
        if (isTraining() && jitterNoise > 0) {
            // HF: the jittered input feeds both the router and the experts
            x = x.mul(Randoms.uniform(jitterRng, (float) (1 - jitterNoise), (float) (1 + jitterNoise), x.shape()));
        }
        Tensor flat = x.reshape(-1, hidden);                           // [N, H]
        int n = flat.size(0), k = router.topK(), numExperts = quantized.isEmpty() ? experts.size() : quantized.size();
        TopKRouter.Routing r = router.route(flat);
        int[] chosen = r.experts();                                    // [N·k]

        // tokens of each expert, in token order (an expert appears at most once per token)
        int[] count = new int[numExperts];
        for (int e : chosen) count[e]++;
        int[][] tokens = new int[numExperts][], slots = new int[numExperts][];
        for (int e = 0; e < numExperts; e++) { tokens[e] = new int[count[e]]; slots[e] = new int[count[e]]; }
        int[] fill = new int[numExperts];
        for (int t = 0; t < n; t++) {
            for (int s = 0; s < k; s++) {
                int e = chosen[t * k + s];
                tokens[e][fill[e]] = t;
                slots[e][fill[e]++] = s;
            }
        }
        List<Integer> used = new ArrayList<>();
        List<int[]> usedTokens = new ArrayList<>(), usedSlots = new ArrayList<>();
        int most = 0;
        for (int e = 0; e < numExperts; e++) {
            if (count[e] == 0) continue;
            used.add(e);
            usedTokens.add(tokens[e]);
            usedSlots.add(slots[e]);
            most = Math.max(most, count[e]);
        }
        Tensor[] outs = new Tensor[used.size()];
        java.util.function.IntConsumer runExpert = i -> {
            int e = used.get(i);
            // every token here, in order: use the rows as they are, no gather
            Tensor xe = count[e] == n ? flat : flat.indexSelect(0, tokens[e]);   // [n_e, H]
            outs[i] = quantized.isEmpty() ? experts.get(e).forward(xe) : quantized.get(e).forward(xe);   // [n_e, H]
        };
        if (!NoGrad.isGradEnabled() && Parallel.threads() > 1 && used.size() > 1 && most <= SIDE_BY_SIDE_MAX_TOKENS) {
            // Decode: the chosen experts run side by side, one per thread, each streaming its three
            // matrices whole. Splitting every product across the threads instead forked three times
            // per expert and cut each matrix into short streams (bf16 decode at two threads: see
            // BENCHMARKS.md, session 12). A thread done early helps the other's products.
            Parallel.forEach(used.size(), i -> {
                try (var g = NoGrad.enter()) { runExpert.accept(i); }
            });
        } else {
            for (int i = 0; i < used.size(); i++) runExpert.accept(i);
        }
        List<Tensor> outputs = java.util.Arrays.asList(outs);
        Tensor y = ExpertCombine.combine(n, hidden, outputs, usedTokens, usedSlots, r.weights());
        return new Output(y.reshape(x.shape()), r);
    }

    /** Seeds the router jitter noise (a trainer reseeds it per step so a resumed run draws the same noise). */
    public void seedJitter(long seed) { jitterRng = new Rng(seed); }

    public double jitterNoise() { return jitterNoise; }

    public TopKRouter router() { return router; }

    /** The experts as stored (empty when the model was loaded quantized: see {@link #quantizedExperts()}). */
    public List<GatedMlp> experts() { return experts; }

    /** The block-quantized experts, or an empty list when the model keeps the checkpoint's dtype. */
    public List<QuantizedExpert> quantizedExperts() { return quantized; }
}
