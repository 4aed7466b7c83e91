package dev.genai4j.models.mixtral;

import dev.genai4j.tensor.Rng;

import java.util.Arrays;

/**
 * Picks the next token from one row of logits, in place on that row (no second vocabulary-sized
 * array for greedy decoding), as HF's logits processors in {@code generate}: repetition penalty
 * (CTRL, arXiv 1909.05858: a seen token's logit is divided by the penalty when positive, multiplied
 * when negative), then for sampling temperature, top-k (ties with the k-th value kept), top-p
 * (nucleus, arXiv 1904.09751: the most probable tokens whose cumulative probability first exceeds
 * 1 − top_p are removed from the bottom, at least one kept) and a draw from the softmax.
 *
 * <pre>{@code
 * LogitsSampler s = new LogitsSampler(options);
 * int next = s.next(logitsRow, 0, vocab, seenTokens);
 * }</pre>
 */
final class LogitsSampler {
    private final GenerationOptions o;
    private final Rng rng;

    LogitsSampler(GenerationOptions o) {
        this.o = o;
        this.rng = new Rng(o.seed());
    }

    /**
     * The next token from {@code logits[off, off + vocab)} (the row is modified).
     *
     * @param seen tokens of this row so far (prompt and generated), for the repetition penalty
     */
    int next(float[] logits, int off, int vocab, boolean[] seen) {
        if (o.repetitionPenalty() != 1f) {
            float p = o.repetitionPenalty();
            for (int i = 0; i < vocab; i++) {
                if (!seen[i]) continue;
                float v = logits[off + i];
                logits[off + i] = v < 0 ? v * p : v / p;
            }
        }
        if (!o.sample()) return argmax(logits, off, vocab);
        if (o.temperature() != 1f) {
            float inv = 1f / o.temperature();
            for (int i = 0; i < vocab; i++) logits[off + i] *= inv;
        }
        if (o.topK() > 0 && o.topK() < vocab) {
            float kth = kthLargest(logits, off, vocab, o.topK());
            for (int i = 0; i < vocab; i++) if (logits[off + i] < kth) logits[off + i] = Float.NEGATIVE_INFINITY;
        }
        // probabilities (softmax) over the survivors
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) max = Math.max(max, logits[off + i]);
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            float e = (float) Math.exp(logits[off + i] - max);
            logits[off + i] = e;
            sum += e;
        }
        for (int i = 0; i < vocab; i++) logits[off + i] = (float) (logits[off + i] / sum);
        if (o.topP() < 1f) applyTopP(logits, off, vocab, o.topP());
        return draw(logits, off, vocab);
    }

    static int argmax(float[] x, int off, int n) {
        int best = 0;
        float bv = x[off];
        for (int i = 1; i < n; i++) {
            float v = x[off + i];
            if (v > bv) { bv = v; best = i; }
        }
        return best;
    }

    private static float kthLargest(float[] x, int off, int n, int k) {
        float[] copy = Arrays.copyOfRange(x, off, off + n);
        Arrays.sort(copy);
        return copy[n - k];
    }

    /** HF TopPLogitsWarper on probabilities: ascending order, drop while the cumulative mass ≤ 1 − p, keep the top one. */
    private static void applyTopP(float[] p, int off, int n, float topP) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(p[off + a], p[off + b]));
        double cum = 0;
        for (int r = 0; r < n - 1; r++) {            // the most probable token (last) is always kept
            int i = order[r];
            cum += p[off + i];
            if (cum <= 1.0 - topP) p[off + i] = 0f;
            else break;
        }
    }

    private int draw(float[] p, int off, int n) {
        double total = 0;
        for (int i = 0; i < n; i++) total += p[off + i];
        double u = rng.uniform() * total, acc = 0;
        int last = -1;
        for (int i = 0; i < n; i++) {
            if (p[off + i] <= 0f) continue;
            acc += p[off + i];
            last = i;
            if (u < acc) return i;
        }
        return last;   // rounding left u at the very top
    }
}
