package dev.genai4j.models.gliner;

import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * GLiNER's {@code TokenDecoder} for {@code span_mode: token_level}: a span (s, e) of label c is a
 * candidate when sigmoid(start[s, c]) and sigmoid(end[e, c]) exceed the threshold, e ≥ s, and no
 * word in s..e has sigmoid(inside) below it; its score is the least of those probabilities. The
 * candidates are listed as the reference loops (by start word, label, then end word) and go to the
 * same greedy flat / nested selection as spans ({@link SpanDecoder#greedy}).
 *
 * <p>Unlike the reference, positions at or past the text's length (padding of a shorter text in a
 * batch) are never candidates; spans have no maximum width.
 *
 * <pre>{@code
 * List<SpanDecoder.Span> spans = SpanDecoder.greedy(TokenDecoder.candidates(logits, 14, 3, 0.5), true, false);
 * }</pre>
 */
public final class TokenDecoder {
    private TokenDecoder() {}

    /**
     * @param logits    [W, C, 3] start / end / inside logits of one text
     * @param numWords  words in that text
     * @param numLabels real label columns (the rest pad a batch with per-text labels)
     */
    public static List<SpanDecoder.Span> candidates(Tensor logits, int numWords, int numLabels, double threshold) {
        if (logits.dim() != 3 || logits.size(2) != 3) throw ShapeException.of("TokenDecoder.candidates", "token logits [W, C, 3]", logits.shape());
        int w = Math.min(numWords, logits.size(0)), c = logits.size(1);
        if (numLabels > c) throw new ShapeException("TokenDecoder.candidates: " + numLabels + " labels but the logits have " + c + " columns");
        float[] v = logits.contiguous().toFloatArray();
        float[][][] p = new float[3][w][numLabels];   // start, end, inside probabilities (fp32 sigmoid, as torch)
        for (int i = 0; i < w; i++) {
            for (int l = 0; l < numLabels; l++) {
                for (int k = 0; k < 3; k++) p[k][i][l] = (float) (1.0 / (1.0 + Math.exp(-(double) v[(i * c + l) * 3 + k])));
            }
        }
        List<SpanDecoder.Span> out = new ArrayList<>();
        for (int s = 0; s < w; s++) {
            for (int l = 0; l < numLabels; l++) {
                if (!(p[0][s][l] > threshold)) continue;
                float inside = Float.POSITIVE_INFINITY;   // least inside probability over s..e, grown with e
                for (int e = s; e < w; e++) {
                    inside = Math.min(inside, p[2][e][l]);
                    if (inside < threshold) break;   // every longer span holds this word too
                    if (!(p[1][e][l] > threshold)) continue;
                    out.add(new SpanDecoder.Span(s, e, l, Math.min(inside, Math.min(p[0][s][l], p[1][e][l]))));
                }
            }
        }
        return out;
    }
}
