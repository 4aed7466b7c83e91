package dev.genai4j.models.mixtral;

/**
 * The routing statistics of the Mixtral paper's §5 (arXiv 2401.04088) for one domain, per layer:
 * the share of expert assignments each expert receives (Figure 7: an expert counts whether it was a
 * token's first or a later choice, so the shares sum to 1 and uniform routing gives 1/E), and over
 * pairs of consecutive tokens of the same sequence the proportion whose first-choice expert repeats
 * and whose top-k sets intersect (Table 5).
 *
 * <pre>{@code
 * RoutingStats s = new RoutingStats(layers, 8, 2);
 * s.add(layer, routing.experts(), batch, seqLen);   // experts [B·T·k], slot 0 the first choice
 * s.share(layer, e); s.firstChoiceRepeat(layer); s.topKOverlap(layer);
 * RoutingStats.overlapBaseline(8, 2);               // 1 − (6/8)(5/7) ≈ 0.464
 * }</pre>
 */
public final class RoutingStats {
    private final int layers, numExperts, k;
    private final long[][] assignments;   // [L][E]
    private final long[] tokens;          // [L]
    private final long[] pairs;           // [L] consecutive pairs seen
    private final long[] firstRepeats;    // [L]
    private final long[] overlaps;        // [L]

    public RoutingStats(int layers, int numExperts, int k) {
        if (layers <= 0 || numExperts <= 0 || k <= 0 || k > numExperts) {
            throw new IllegalArgumentException("RoutingStats: need layers > 0 and 1 <= k <= experts, got " + layers + ", " + k + ", " + numExperts);
        }
        this.layers = layers;
        this.numExperts = numExperts;
        this.k = k;
        this.assignments = new long[layers][numExperts];
        this.tokens = new long[layers];
        this.pairs = new long[layers];
        this.firstRepeats = new long[layers];
        this.overlaps = new long[layers];
    }

    /**
     * Adds one layer's routing of {@code batch} sequences of {@code seqLen} tokens.
     *
     * @param experts the chosen experts, flat [B·T·k] with row b·T + t, slot 0 the most probable
     */
    public void add(int layer, int[] experts, int batch, int seqLen) {
        if (layer < 0 || layer >= layers) throw new IllegalArgumentException("RoutingStats.add: layer " + layer + " outside [0, " + layers + ")");
        if (experts.length != batch * seqLen * k) {
            throw new IllegalArgumentException("RoutingStats.add: " + experts.length + " choices for " + batch + "×" + seqLen + " tokens × k " + k);
        }
        for (int e : experts) {
            if (e < 0 || e >= numExperts) throw new IllegalArgumentException("RoutingStats.add: expert " + e + " outside [0, " + numExperts + ")");
            assignments[layer][e]++;
        }
        tokens[layer] += (long) batch * seqLen;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t + 1 < seqLen; t++) {
                int a = (b * seqLen + t) * k, c = a + k;
                pairs[layer]++;
                if (experts[a] == experts[c]) firstRepeats[layer]++;
                if (intersect(experts, a, c)) overlaps[layer]++;
            }
        }
    }

    private boolean intersect(int[] experts, int a, int c) {
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) if (experts[a + i] == experts[c + j]) return true;
        return false;
    }

    /** Share of layer {@code layer}'s assignments that went to expert {@code e} (uniform: 1/E). */
    public double share(int layer, int e) {
        return tokens[layer] == 0 ? Double.NaN : (double) assignments[layer][e] / (tokens[layer] * k);
    }

    /** Proportion of consecutive token pairs with the same first-choice expert. */
    public double firstChoiceRepeat(int layer) { return pairs[layer] == 0 ? Double.NaN : (double) firstRepeats[layer] / pairs[layer]; }

    /** Proportion of consecutive token pairs whose top-k expert sets share an expert. */
    public double topKOverlap(int layer) { return pairs[layer] == 0 ? Double.NaN : (double) overlaps[layer] / pairs[layer]; }

    public long tokens(int layer) { return tokens[layer]; }

    public long pairs(int layer) { return pairs[layer]; }

    public int layers() { return layers; }

    public int numExperts() { return numExperts; }

    public int k() { return k; }

    /** First-choice repeats under uniform random routing: 1/E. */
    public static double firstChoiceBaseline(int numExperts) { return 1.0 / numExperts; }

    /** Top-k overlap under uniform random routing: 1 − C(E−k, k) / C(E, k) (E = 8, k = 2: 1 − (6/8)(5/7)). */
    public static double overlapBaseline(int numExperts, int k) {
        double disjoint = 1;
        for (int i = 0; i < k; i++) disjoint *= (double) (numExperts - k - i) / (numExperts - i);
        return 1 - Math.max(0, disjoint);
    }
}
