package dev.genai4j.models.bert;

import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

/**
 * Sentence vectors from a last hidden state [B, T, H]: the [CLS] token (BGE), or the mean over
 * real tokens (sentence-transformers MiniLM, E5), optionally L2-normalized.
 *
 * <pre>{@code
 * Tensor e = Pooling.MEAN.pool(hidden, mask, true);   // [B, H], unit length
 * }</pre>
 */
public enum Pooling {
    CLS, MEAN;

    /** hidden [B, T, H], attentionMask [B, T] (null: all tokens) → [B, H]. */
    public Tensor pool(Tensor hidden, Tensor attentionMask, boolean normalize) {
        if (hidden.dim() != 3) throw ShapeException.of("Pooling." + name(), "hidden [B, T, H]", hidden.shape());
        int b = hidden.size(0), t = hidden.size(1);
        Tensor out;
        if (this == CLS) {
            out = hidden.select(1, 0);                                       // [B, H]
        } else {
            Tensor m = attentionMask == null ? Tensor.ones(b, t) : attentionMask;
            if (m.dim() != 2 || m.size(0) != b || m.size(1) != t) throw ShapeException.of("Pooling.MEAN: attention_mask", "[" + b + ", " + t + "]", m.shape());
            Tensor w = m.unsqueeze(2);                                       // [B, T, 1]
            // sentence-transformers clamps the count at 1e-9 so an all-padding row gives zeros, not NaN
            out = hidden.mul(w).sum(1, false).div(w.sum(1, false).clamp(1e-9f, Float.MAX_VALUE));
        }
        return normalize ? l2Normalize(out) : out;
    }

    /** Rows of x [B, H] scaled to unit length (eps 1e-12 as {@code torch.nn.functional.normalize}). */
    public static Tensor l2Normalize(Tensor x) {
        Tensor norm = x.square().sum(-1, true).sqrt().clamp(1e-12f, Float.MAX_VALUE);   // [B, 1]
        return x.div(norm);
    }
}
