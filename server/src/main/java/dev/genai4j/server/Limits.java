package dev.genai4j.server;

/**
 * What one request may ask for. Past {@code maxBodyBytes} the answer is 413; past any other limit it
 * is 400 naming the field, the limit and the size sent.
 *
 * <pre>{@code
 * Limits l = Limits.defaults().withMaxTexts(8);
 * }</pre>
 *
 * @param maxBodyBytes  request body size
 * @param maxTextChars  characters (UTF-16 units) in one text
 * @param maxTexts      texts in one request
 * @param maxLabels     entity labels in one NER request
 * @param maxLabelChars characters in one label
 * @param maxTopK       fill-mask {@code top_k}
 */
public record Limits(int maxBodyBytes, int maxTextChars, int maxTexts, int maxLabels, int maxLabelChars, int maxTopK) {
    public Limits {
        if (maxBodyBytes < 64 || maxTextChars < 1 || maxTexts < 1 || maxLabels < 1 || maxLabelChars < 1 || maxTopK < 1) {
            throw new IllegalArgumentException("Limits: every limit must be positive (and the body at least 64 bytes), got " + this);
        }
    }

    /** 1 MiB bodies, 20 000-character texts, 256 texts, 32 labels of 100 characters, top_k ≤ 50. */
    public static Limits defaults() { return new Limits(1 << 20, 20_000, 256, 32, 100, 50); }

    public Limits withMaxBodyBytes(int n) { return new Limits(n, maxTextChars, maxTexts, maxLabels, maxLabelChars, maxTopK); }

    public Limits withMaxTextChars(int n) { return new Limits(maxBodyBytes, n, maxTexts, maxLabels, maxLabelChars, maxTopK); }

    public Limits withMaxTexts(int n) { return new Limits(maxBodyBytes, maxTextChars, n, maxLabels, maxLabelChars, maxTopK); }

    public Limits withMaxLabels(int n) { return new Limits(maxBodyBytes, maxTextChars, maxTexts, n, maxLabelChars, maxTopK); }
}
