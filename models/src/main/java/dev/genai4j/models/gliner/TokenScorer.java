package dev.genai4j.models.gliner;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Tensor;

import java.util.List;

/**
 * GLiNER's token-level {@code Scorer}: for every (word, label) pair three logits — start, end,
 * inside. Word and label vectors are each projected to two halves (a, b); the pair's features
 * are {@code [word_a; label_a; word_b ⊙ label_b]}, then Linear(3D → 4D) → ReLU → Linear(4D → 3).
 * Checkpoint names {@code proj_token.*}, {@code proj_label.*}, {@code out_mlp.0.*}, {@code out_mlp.3.*}.
 */
final class TokenScorer extends Module {
    private final Linear projToken, projLabel, hidden, out;
    private final int d;

    private TokenScorer(Weights w, int d) {
        this.d = d;
        this.projToken = child("proj_token", Linear.load(w.sub("proj_token"), d, 2 * d, true));
        this.projLabel = child("proj_label", Linear.load(w.sub("proj_label"), d, 2 * d, true));
        this.hidden = child("out_mlp.0", Linear.load(w.sub("out_mlp").sub("0"), 3 * d, 4 * d, true));
        this.out = child("out_mlp.3", Linear.load(w.sub("out_mlp").sub("3"), 4 * d, 3, true));
    }

    static TokenScorer load(Weights w, int d) { return new TokenScorer(w, d); }

    /**
     * @param words  [B, W, D]
     * @param labels [B, C, D]
     * @return [B, W, C, 3] logits: start, end, inside
     */
    Tensor forward(Tensor words, Tensor labels) {
        int b = words.size(0), w = words.size(1), c = labels.size(1);
        Tensor t = projToken.forward(words);                                   // [B, W, 2D]
        Tensor l = projLabel.forward(labels);                                  // [B, C, 2D]
        Tensor t0 = t.narrow(2, 0, d).unsqueeze(2).expand(b, w, c, d);         // [B, W, C, D]
        Tensor l0 = l.narrow(2, 0, d).unsqueeze(1).expand(b, w, c, d);         // [B, W, C, D]
        Tensor prod = t.narrow(2, d, d).unsqueeze(2).mul(l.narrow(2, d, d).unsqueeze(1));   // [B, W, C, D]
        Tensor cat = Tensor.cat(List.of(t0.contiguous(), l0.contiguous(), prod), 3);        // [B, W, C, 3D]
        return out.forward(hidden.forward(cat).relu());                        // [B, W, C, 3]
    }
}
