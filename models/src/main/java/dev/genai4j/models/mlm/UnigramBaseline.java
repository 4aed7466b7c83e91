package dev.genai4j.models.mlm;

import java.util.BitSet;
import java.util.Collection;
import java.util.List;

/**
 * The unigram-frequency baseline of masked-token prediction: it ignores the context and
 * predicts every masked token from training-set token frequencies. Its accuracy is that of
 * always answering the most frequent training token; its perplexity is that of the unigram
 * distribution, add-one (Laplace) smoothed over the non-special ids so a token never seen in
 * training still has a finite cost.
 *
 * <pre>{@code
 * UnigramBaseline u = UnigramBaseline.count(trainBlocks, vocabSize, List.of(0, 1, 2, 3, 4));
 * u.mostFrequent();                        // e.g. the id of " the"
 * u.accuracy(labels); u.perplexity(labels);
 * }</pre>
 */
public final class UnigramBaseline {
    private final long[] counts;
    private final BitSet specials;
    private final long total;
    private final int ordinary;
    private final int mostFrequent;

    private UnigramBaseline(long[] counts, BitSet specials) {
        this.counts = counts;
        this.specials = specials;
        long t = 0;
        int best = -1, n = 0;
        for (int id = 0; id < counts.length; id++) {
            if (specials.get(id)) continue;
            n++;
            t += counts[id];
            if (best < 0 || counts[id] > counts[best]) best = id;
        }
        if (best < 0) throw new IllegalArgumentException("UnigramBaseline: every id of the " + counts.length + "-token vocabulary is special");
        this.total = t;
        this.ordinary = n;
        this.mostFrequent = best;
    }

    /** Counts the non-special ids of {@code sequences} (ids in [0, vocabSize)). */
    public static UnigramBaseline count(Collection<int[]> sequences, int vocabSize, List<Integer> specialIds) {
        long[] counts = new long[vocabSize];
        BitSet specials = new BitSet();
        for (int s : specialIds) specials.set(s);
        for (int[] seq : sequences) {
            for (int id : seq) {
                if (id < 0 || id >= vocabSize) throw new IllegalArgumentException("UnigramBaseline.count: id " + id + " outside [0, " + vocabSize + ")");
                if (!specials.get(id)) counts[id]++;
            }
        }
        return new UnigramBaseline(counts, specials);
    }

    /** The most frequent non-special training id (the smallest id on a tie). */
    public int mostFrequent() { return mostFrequent; }

    /** Smoothed probability of {@code id}: (count + 1) / (total + ordinary ids); 0 for a special id. */
    public double probability(int id) {
        if (specials.get(id)) return 0;
        return (counts[id] + 1.0) / (total + ordinary);
    }

    /** Share of {@code labels} equal to {@link #mostFrequent()}. */
    public double accuracy(int[] labels) {
        int hit = 0;
        for (int y : labels) if (y == mostFrequent) hit++;
        return (double) hit / labels.length;
    }

    /** exp of the mean of −log p(label). */
    public double perplexity(int[] labels) {
        double nll = 0;
        for (int y : labels) nll -= Math.log(probability(y));
        return Math.exp(nll / labels.length);
    }
}
