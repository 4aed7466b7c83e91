package dev.genai4j.models.gliner.train;

import dev.genai4j.data.EverydayNerTemplates;
import dev.genai4j.data.NerExample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Which texts each training step sees. Plain (balance 0, synthetic 0): the reference's epochs,
 * a seeded permutation per epoch. Balanced: each text is drawn with probability ∝ n_c^-balance,
 * n_c the number of training texts of its rarest coarse type (person, location, organization,
 * event) — balance 1 gives every coarse type the same share, 0.5 the square-root compromise;
 * why: the WordNet silver set is ~75 % location mentions and a model trained on it calls persons
 * places. Synthetic: that share of each batch are {@link EverydayNerTemplates} sentences (real
 * training names in everyday frames). Every draw is a function of (seed, step, slot), so a
 * resumed run sees exactly the batches of a straight run.
 *
 * <pre>{@code
 * NerTrainingStream s = new NerTrainingStream(train, 42, 0.75, 0.25);
 * List<NerExample> batch = s.batch(step, 8);
 * }</pre>
 */
public final class NerTrainingStream {
    private final List<NerExample> train;
    private final long seed;
    private final double balance, synthetic;
    private final double[] cumulative;          // [N] cumulative draw weights (balanced mode)
    private final EverydayNerTemplates templates;
    private List<Integer> order;
    private int orderEpoch = -1;

    public NerTrainingStream(List<NerExample> train, long seed, double balance, double synthetic) {
        if (train.isEmpty()) throw new IllegalArgumentException("NER training stream: no training texts");
        if (balance < 0 || synthetic < 0 || synthetic > 1) {
            throw new IllegalArgumentException("NER training stream: balance must be >= 0 and synthetic in [0, 1], got " + balance + ", " + synthetic);
        }
        this.train = train;
        this.seed = seed;
        this.balance = balance;
        this.synthetic = synthetic;
        this.templates = synthetic > 0 ? EverydayNerTemplates.from(train) : null;
        this.cumulative = balance > 0 ? cumulativeWeights(train, balance) : null;
    }

    /** Training texts per coarse type (a text counts once for each coarse type it mentions). */
    public static Map<String, Integer> coarseTextCounts(List<NerExample> data) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String c : GlinerTrainer.COARSE_TYPES) out.put(c, 0);
        for (NerExample e : data) {
            for (String c : GlinerTrainer.COARSE_TYPES) {
                if (e.ner().stream().anyMatch(s -> s.label().equals(c))) out.merge(c, 1, Integer::sum);
            }
        }
        return out;
    }

    private static double[] cumulativeWeights(List<NerExample> train, double balance) {
        Map<String, Integer> counts = coarseTextCounts(train);
        double[] cum = new double[train.size()];
        double total = 0;
        for (int i = 0; i < train.size(); i++) {
            int n = Integer.MAX_VALUE;
            for (NerExample.Span s : train.get(i).ner()) {
                Integer c = counts.get(s.label());
                if (c != null && c > 0) n = Math.min(n, c);
            }
            // a text without a coarse type weighs like the commonest type
            if (n == Integer.MAX_VALUE) n = counts.values().stream().mapToInt(Integer::intValue).max().orElse(1);
            total += Math.pow(n, -balance);
            cum[i] = total;
        }
        return cum;
    }

    /** The name pools of the synthetic sentences (empty without synthetic sentences). */
    public Map<String, Integer> templateNames() { return templates == null ? Map.of() : templates.nameCounts(); }

    /** The texts of step {@code step}. */
    public List<NerExample> batch(int step, int size) {
        List<NerExample> out = new ArrayList<>(size);
        if (balance == 0 && synthetic == 0) {
            int perEpoch = Math.max(1, train.size() / size), epoch = step / perEpoch;
            if (epoch != orderEpoch) { order = GlinerTrainer.epochOrder(train.size(), seed, epoch); orderEpoch = epoch; }
            int first = (step % perEpoch) * size;
            for (int i = 0; i < size; i++) out.add(train.get(order.get((first + i) % train.size())));
            return out;
        }
        Random rng = new Random(GlinerTrainer.mix(seed ^ 0x5EEDL, step));
        for (int i = 0; i < size; i++) {
            if (synthetic > 0 && rng.nextDouble() < synthetic) { out.add(templates.sample(rng)); continue; }
            if (cumulative == null) { out.add(train.get(rng.nextInt(train.size()))); continue; }
            double u = rng.nextDouble() * cumulative[cumulative.length - 1];
            int lo = 0, hi = cumulative.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] > u) hi = mid; else lo = mid + 1;
            }
            out.add(train.get(lo));
        }
        return out;
    }

    /** The coarse types' share of mentions in {@code steps} batches of {@code size} (for the log and the README). */
    public Map<String, Integer> mentionCounts(int steps, int size) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String c : GlinerTrainer.COARSE_TYPES) out.put(c, 0);
        for (int s = 0; s < steps; s++) {
            for (NerExample e : batch(s, size)) for (NerExample.Span sp : e.ner()) out.computeIfPresent(sp.label(), (k, v) -> v + 1);
        }
        return out;
    }
}
