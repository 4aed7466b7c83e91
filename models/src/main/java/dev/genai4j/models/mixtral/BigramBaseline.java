package dev.genai4j.models.mixtral;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;

/**
 * The add-k smoothed bigram baseline of next-token prediction:
 * {@code p(b | a) = (c(a, b) + k) / (c(a) + k·V')}, where c counts the adjacent pairs of the
 * training blocks, c(a) the pairs that start with a, and V' the ids that may be predicted (the
 * vocabulary without the excluded specials, which get probability 0). Counts are kept as a sorted
 * array of packed pairs, so memory grows with the training tokens, not with V².
 *
 * <pre>{@code
 * BigramBaseline b = BigramBaseline.count(trainBlocks, 4096, List.of(0, 1), 0.1);
 * double ppl = b.perplexity(heldOutBlocks);
 * }</pre>
 */
public final class BigramBaseline {
    private final int vocab;
    private final double k;
    private final BitSet excluded;
    private final int predictable;
    private final long[] pairs;      // distinct a·V + b, ascending
    private final int[] pairCounts;  // c(a, b), aligned with pairs
    private final long[] contextCounts;

    private BigramBaseline(int vocab, double k, BitSet excluded, long[] pairs, int[] pairCounts, long[] contextCounts) {
        this.vocab = vocab;
        this.k = k;
        this.excluded = excluded;
        this.predictable = vocab - excluded.cardinality();
        this.pairs = pairs;
        this.pairCounts = pairCounts;
        this.contextCounts = contextCounts;
    }

    /**
     * Counts the adjacent pairs inside each sequence (ids in [0, vocab)).
     *
     * @param excludedTargets ids never predicted (e.g. {@code <unk>}, {@code <s>}); pairs ending in one are not counted
     * @param k               the add-k smoothing constant, > 0
     */
    public static BigramBaseline count(Collection<int[]> sequences, int vocab, List<Integer> excludedTargets, double k) {
        if (!(k > 0)) throw new IllegalArgumentException("BigramBaseline: k must be > 0, got " + k);
        BitSet excluded = new BitSet();
        for (int id : excludedTargets) excluded.set(id);
        if (excluded.cardinality() >= vocab) throw new IllegalArgumentException("BigramBaseline: every id of the " + vocab + "-token vocabulary is excluded");
        long n = 0;
        for (int[] s : sequences) n += Math.max(0, s.length - 1);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("BigramBaseline: " + n + " pairs exceed one array");
        long[] all = new long[(int) n];
        long[] context = new long[vocab];
        int q = 0;
        for (int[] s : sequences) {
            for (int t = 0; t + 1 < s.length; t++) {
                int a = s[t], b = s[t + 1];
                if (a < 0 || a >= vocab || b < 0 || b >= vocab) {
                    throw new IllegalArgumentException("BigramBaseline.count: id " + (a < 0 || a >= vocab ? a : b) + " outside [0, " + vocab + ")");
                }
                if (excluded.get(b)) continue;
                all[q++] = (long) a * vocab + b;
                context[a]++;
            }
        }
        long[] sorted = Arrays.copyOf(all, q);
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) if (i == 0 || sorted[i] != sorted[i - 1]) distinct++;
        long[] keys = new long[distinct];
        int[] counts = new int[distinct];
        int d = -1;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) keys[++d] = sorted[i];
            counts[d]++;
        }
        return new BigramBaseline(vocab, k, excluded, keys, counts, context);
    }

    /** c(a, b) in the training blocks. */
    public long count(int a, int b) {
        int i = Arrays.binarySearch(pairs, (long) a * vocab + b);
        return i < 0 ? 0 : pairCounts[i];
    }

    /** Smoothed p(b | a); 0 for an excluded b. */
    public double probability(int a, int b) {
        if (excluded.get(b)) return 0;
        return (count(a, b) + k) / (contextCounts[a] + k * predictable);
    }

    /** Sum of −log p(next | previous) over the adjacent pairs of {@code sequences} (excluded targets skipped), and their number. */
    public double[] negLogLikelihood(Collection<int[]> sequences) {
        double nll = 0;
        long n = 0;
        for (int[] s : sequences) {
            for (int t = 0; t + 1 < s.length; t++) {
                if (excluded.get(s[t + 1])) continue;
                nll -= Math.log(probability(s[t], s[t + 1]));
                n++;
            }
        }
        return new double[] {nll, n};
    }

    /** exp of the mean −log p(next | previous) over the adjacent pairs of {@code sequences}. */
    public double perplexity(Collection<int[]> sequences) {
        double[] r = negLogLikelihood(sequences);
        return Math.exp(r[0] / r[1]);
    }
}
