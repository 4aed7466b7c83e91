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
}
