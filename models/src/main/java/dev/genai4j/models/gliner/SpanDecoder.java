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
        if (logits.dim() != 3) throw ShapeException.of("SpanDecoder.decode", "span logits [W, K, C]", logits.shape());
        int w = logits.size(0), k = logits.size(1), c = logits.size(2);
        float[] v = logits.contiguous().toFloatArray();
        List<Span> cand = new ArrayList<>();
        for (int s = 0; s < w; s++) {
            for (int j = 0; j < k; j++) {
                for (int l = 0; l < c; l++) {
                    // fp32 sigmoid, as torch.sigmoid on a float32 tensor
                    float p = (float) (1.0 / (1.0 + Math.exp(-(double) v[(s * k + j) * c + l])));
                    if (p > threshold && s + j < numWords) cand.add(new Span(s, s + j, l, p));
                }
            }
        }
        List<Span> sorted = new ArrayList<>(cand);
        sorted.sort(Comparator.comparingDouble((Span x) -> -x.score()));   // stable
        List<Span> kept = new ArrayList<>();
        for (Span x : sorted) {
            boolean clash = false;
            for (Span y : kept) {
                if (clashes(x, y, flat, multiLabel)) { clash = true; break; }
            }
            if (!clash) kept.add(x);
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
