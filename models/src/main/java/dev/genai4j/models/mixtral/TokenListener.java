package dev.genai4j.models.mixtral;

/**
 * Receives generated tokens as they are chosen (streaming). {@code text} is the newly decoded text
 * of that row ("" while a multi-byte character or a possible stop string is incomplete; null when
 * the generator has no tokenizer).
 *
 * <pre>{@code
 * generator.generate(prompts, options, (row, token, text) -> System.out.print(text));
 * }</pre>
 */
@FunctionalInterface
public interface TokenListener {
    void onToken(int row, int token, String text);
}
