package dev.genai4j.nn;

/** How a loss turns per-element values into its result, as PyTorch's {@code reduction=}. */
public enum Reduction {
    /** Average over the elements that count (for cross-entropy: the non-ignored targets). */
    MEAN,
    SUM,
    /** Per-element losses, shaped like the targets. */
    NONE
}
