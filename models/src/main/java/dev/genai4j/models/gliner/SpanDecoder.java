package dev.genai4j.models.gliner;

import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * GLiNER's {@code SpanDecoder}: every (start, width, label) whose sigmoid exceeds the threshold and
 * whose end lies inside the text is a candidate; candidates are taken greedily by descending score
 * (ties keep the (start, width, label) order, as Python's stable sort does), skipping those that
 * clash with one already taken, and the result is sorted by start word.
 *
 * <p>Clashes: the same span clashes unless {@code multiLabel}; otherwise, in flat mode any two
 * overlapping spans clash, in nested mode only partly overlapping ones (a span inside another is fine).
 */
public final class SpanDecoder {
    private SpanDecoder() {}

    /** A decoded span in word positions (end inclusive). */
    public record Span(int start, int end, int label, double score) {}

    /**
     * @param logits     [W, K, C] span logits of one text
     * @param numWords   words in that text (spans ending at or past it are dropped)
     */
    public static List<Span> decode(Tensor logits, int numWords, double threshold, boolean flat, boolean multiLabel) {
        return greedy(candidates(logits, numWords, logits.dim() == 3 ? logits.size(2) : 0, threshold), flat, multiLabel);
    }

    /**
     * Every (start, width, label) above {@code threshold} inside the text, in (start, width, label) order.
     *
     * @param logits    [W, K, C] span logits of one text
     * @param numLabels how many of the C label columns are real (the rest pad a batch with per-text labels)
     */
    static List<Span> candidates(Tensor logits, int numWords, int numLabels, double threshold) {
        if (logits.dim() != 3) throw ShapeException.of("SpanDecoder.decode", "span logits [W, K, C]", logits.shape());
        int w = logits.size(0), k = logits.size(1), c = logits.size(2);
        if (numLabels > c) throw new ShapeException("SpanDecoder.candidates: " + numLabels + " labels but the logits have " + c + " columns");
        float[] v = logits.contiguous().toFloatArray();
        List<Span> cand = new ArrayList<>();
        for (int s = 0; s < w; s++) {
            for (int j = 0; j < k; j++) {
                for (int l = 0; l < numLabels; l++) {
                    // fp32 sigmoid, as torch.sigmoid on a float32 tensor
                    float p = (float) (1.0 / (1.0 + Math.exp(-(double) v[(s * k + j) * c + l])));
                    if (p > threshold && s + j < numWords) cand.add(new Span(s, s + j, l, p));
                }
            }
        }
        return cand;
    }

    /**
     * The reference's {@code greedy_search}: by descending score (stable, so ties keep the input
     * order), skip spans that clash with one already kept; the result is sorted by start.
     */
    static List<Span> greedy(List<Span> candidates, boolean flat, boolean multiLabel) {
        List<Span> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble((Span x) -> -x.score()));   // stable
        // only kept spans that start within one span length before x can touch it: index them by start word
        int longest = 1, last = 0;
        for (Span x : candidates) {
            longest = Math.max(longest, x.end() - x.start() + 1);
            last = Math.max(last, x.end());
        }
        List<List<Span>> byStart = new ArrayList<>(java.util.Collections.nCopies(candidates.isEmpty() ? 0 : last + 1, null));
        List<Span> kept = new ArrayList<>();
        for (Span x : sorted) {
            boolean clash = false;
            for (int s = Math.max(0, x.start() - longest + 1); s <= x.end() && !clash; s++) {
                List<Span> at = byStart.get(s);
                if (at == null) continue;
                for (Span y : at) {
                    if (clashes(x, y, flat, multiLabel)) { clash = true; break; }
                }
            }
            if (clash) continue;
            kept.add(x);
            if (byStart.get(x.start()) == null) byStart.set(x.start(), new ArrayList<>(2));
            byStart.get(x.start()).add(x);
        }
        kept.sort(Comparator.comparingInt(Span::start));
        return kept;
    }

    static boolean clashes(Span a, Span b, boolean flat, boolean multiLabel) {
        if (a.start() == b.start() && a.end() == b.end()) return !multiLabel;
        if (a.start() > b.end() || b.start() > a.end()) return false;
        if (flat) return true;
        boolean nested = (a.start() <= b.start() && a.end() >= b.end()) || (b.start() <= a.start() && b.end() >= a.end());
        return !nested;
    }
}
