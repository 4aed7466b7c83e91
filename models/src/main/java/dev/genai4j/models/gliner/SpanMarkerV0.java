package dev.genai4j.models.gliner;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Tensor;

/**
 * GLiNER's {@code SpanMarkerV0}: a span (i, j) is out_project(ReLU([start(h_i); end(h_j)])), where
 * start / end / out_project are {@link ProjectionLayer}s. Checkpoint names
 * {@code project_start.*}, {@code project_end.*}, {@code out_project.*}.
 */
final class SpanMarkerV0 extends Module {
    private final ProjectionLayer start, end, out;
    private final int hidden, maxWidth;

    private SpanMarkerV0(Weights w, int hidden, int maxWidth) {
        this.hidden = hidden;
        this.maxWidth = maxWidth;
        this.start = child("project_start", ProjectionLayer.load(w.sub("project_start"), hidden, hidden));
        this.end = child("project_end", ProjectionLayer.load(w.sub("project_end"), hidden, hidden));
        this.out = child("out_project", ProjectionLayer.load(w.sub("out_project"), 2 * hidden, hidden));
    }

    static SpanMarkerV0 load(Weights w, int hidden, int maxWidth) { return new SpanMarkerV0(w, hidden, maxWidth); }

    /**
     * @param words  [B, W, D] word representations
     * @param starts [B·S] flat row index (b·W + start word) of each span, S = W·maxWidth
     * @param ends   [B·S] flat row index of each span's end word
     * @return [B, W, maxWidth, D]
     */
    Tensor forward(Tensor words, int[] starts, int[] ends) {
        int b = words.size(0), w = words.size(1);
        Tensor s = start.forward(words).reshape(b * w, hidden).indexSelect(0, starts);   // [B·S, D]
        Tensor e = end.forward(words).reshape(b * w, hidden).indexSelect(0, ends);       // [B·S, D]
        Tensor cat = Tensor.cat(java.util.List.of(s, e), 1).relu();                       // [B·S, 2D]
        return out.forward(cat).reshape(b, w, maxWidth, hidden);
    }

    /**
     * The span–label scores {@code span(i, j) · prompt_c} without building the span vectors, for
     * inference: out_project's first layer acts on ReLU([s_i; e_j]) = [ReLU s_i; ReLU e_j], so it
     * splits into a per-word term for the start and one for the end (computed once per word,
     * not once per span), and its last layer folds into the labels: (h·W2ᵀ + b2)·p = h·(p·W2) + b2·p.
     * What is left per span is one add, one ReLU and a [4D]·[4D, C] product ({@link SpanScoreKernel}) — the same function as
     * {@link #forward} followed by the product with the prompts, summed in another order.
     *
     * @param words   [B, W, D] word representations
     * @param starts  [B·S] flat row index of each span's start word (as {@link #forward})
     * @param ends    [B·S] flat row index of each span's end word
     * @param prompts [B, C, D] label vectors
     * @return [B, W, maxWidth, C]
     */
    Tensor scores(Tensor words, int[] starts, int[] ends, Tensor prompts) {
        int b = words.size(0), w = words.size(1), c = prompts.size(1), s = starts.length / b;
        Tensor w1 = out.first().weight().value();                                          // [4D, 2D]
        Tensor b1 = out.first().bias().value();                                            // [4D]
        Tensor w2 = out.second().weight().value();                                         // [D, 4D]
        Tensor b2 = out.second().bias().value();                                           // [D]
        Tensor sRep = start.forward(words).relu().reshape(b * w, hidden);                  // [B·W, D]
        Tensor eRep = end.forward(words).relu().reshape(b * w, hidden);                    // [B·W, D]
        Tensor fromStart = sRep.matmul(w1.narrow(1, 0, hidden).mT()).add(b1);              // [B·W, 4D]
        Tensor fromEnd = eRep.matmul(w1.narrow(1, hidden, hidden).mT());                   // [B·W, 4D]
        Tensor labelSide = prompts.matmul(w2).contiguous();                                // [B, C, 4D]
        Tensor labelBias = prompts.matmul(b2.reshape(hidden, 1)).contiguous();             // [B, C, 1]
        // data(): the dense results above are read in place, not copied (the kernel only reads them)
        float[] scores = SpanScoreKernel.scores(fromStart.data(), fromEnd.data(),
                starts, ends, labelSide.data(), labelBias.data(), b, s, c, 4 * hidden);
        return Tensor.of(scores, b, w, maxWidth, c);
    }
}
