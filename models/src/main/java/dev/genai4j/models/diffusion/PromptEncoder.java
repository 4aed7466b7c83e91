package dev.genai4j.models.diffusion;

/**
 * A frozen text encoder giving the token states a UNet cross-attends to: a prompt becomes
 * {@link #length()} × {@link #dim()} floats (padded or truncated to a fixed length, as Stable
 * Diffusion pads CLIP's output to 77 tokens).
 */
public interface PromptEncoder extends AutoCloseable {
    /** Width of one token state (384 for MiniLM). */
    int dim();

    /** Number of token states per prompt. */
    int length();

    /** Row-major [length, dim] token states of one prompt. */
    float[] encode(String prompt);

    /** A short name written into checkpoints so sampling loads the same encoder ("all-minilm-l6-v2"). */
    String name();

    @Override
    default void close() {}
}
