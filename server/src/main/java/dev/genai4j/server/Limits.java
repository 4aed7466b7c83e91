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
 * @param maxNewTokens  {@code max_tokens} of one completion
 * @param maxImageBytes bytes of one uploaded image (the upload's body may add form or base64 overhead)
 * @param maxImagePixels width × height of one image, checked from its header before it is decoded
 * @param maxGeneratedImages images one {@code /v1/images/generations} request may ask for ({@code n})
 */
public record Limits(int maxBodyBytes, int maxTextChars, int maxTexts, int maxLabels, int maxLabelChars, int maxTopK,
                     int maxNewTokens, int maxImageBytes, long maxImagePixels, int maxGeneratedImages) {
    public static final int DEFAULT_MAX_NEW_TOKENS = 512;
    /** Each image is a full sampling run (50 UNet steps by default), so a request's share of the CPU stays bounded. */
    public static final int DEFAULT_MAX_GENERATED_IMAGES = 8;
    public static final int DEFAULT_MAX_IMAGE_BYTES = 8 << 20;
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 25_000_000L;

    public Limits {
        if (maxBodyBytes < 64 || maxTextChars < 1 || maxTexts < 1 || maxLabels < 1 || maxLabelChars < 1 || maxTopK < 1
                || maxNewTokens < 1 || maxImageBytes < 64 || maxImagePixels < 1 || maxGeneratedImages < 1) {
            throw new IllegalArgumentException("Limits: every limit must be positive (and the body and image at least 64 bytes), got " + this);
        }
    }

    /** As the canonical constructor with at most {@link #DEFAULT_MAX_GENERATED_IMAGES} generated images per request. */
    public Limits(int maxBodyBytes, int maxTextChars, int maxTexts, int maxLabels, int maxLabelChars, int maxTopK,
                  int maxNewTokens, int maxImageBytes, long maxImagePixels) {
        this(maxBodyBytes, maxTextChars, maxTexts, maxLabels, maxLabelChars, maxTopK, maxNewTokens, maxImageBytes, maxImagePixels,
                DEFAULT_MAX_GENERATED_IMAGES);
    }

    /** The text limits as given; generation and image limits at their defaults. */
    public Limits(int maxBodyBytes, int maxTextChars, int maxTexts, int maxLabels, int maxLabelChars, int maxTopK) {
        this(maxBodyBytes, maxTextChars, maxTexts, maxLabels, maxLabelChars, maxTopK, DEFAULT_MAX_NEW_TOKENS, DEFAULT_MAX_IMAGE_BYTES,
                DEFAULT_MAX_IMAGE_PIXELS);
    }

    /** 1 MiB bodies, 20 000-character texts, 256 texts, 32 labels of 100 characters, top_k ≤ 50, 512 new tokens, 8 MiB / 25 MP images, 8 generated images. */
    public static Limits defaults() { return new Limits(1 << 20, 20_000, 256, 32, 100, 50); }

    public Limits withMaxBodyBytes(int n) { return new Limits(n, maxTextChars, maxTexts, maxLabels, maxLabelChars, maxTopK, maxNewTokens, maxImageBytes, maxImagePixels, maxGeneratedImages); }

    public Limits withMaxTextChars(int n) { return new Limits(maxBodyBytes, n, maxTexts, maxLabels, maxLabelChars, maxTopK, maxNewTokens, maxImageBytes, maxImagePixels, maxGeneratedImages); }

    public Limits withMaxTexts(int n) { return new Limits(maxBodyBytes, maxTextChars, n, maxLabels, maxLabelChars, maxTopK, maxNewTokens, maxImageBytes, maxImagePixels, maxGeneratedImages); }

    public Limits withMaxLabels(int n) { return new Limits(maxBodyBytes, maxTextChars, maxTexts, n, maxLabelChars, maxTopK, maxNewTokens, maxImageBytes, maxImagePixels, maxGeneratedImages); }

    public Limits withMaxNewTokens(int n) { return new Limits(maxBodyBytes, maxTextChars, maxTexts, maxLabels, maxLabelChars, maxTopK, n, maxImageBytes, maxImagePixels, maxGeneratedImages); }

    /** Image uploads: at most {@code bytes} bytes and {@code pixels} pixels. */
    public Limits withImages(int bytes, long pixels) { return new Limits(maxBodyBytes, maxTextChars, maxTexts, maxLabels, maxLabelChars, maxTopK, maxNewTokens, bytes, pixels, maxGeneratedImages); }

    /** At most {@code n} images per {@code /v1/images/generations} request. */
    public Limits withMaxGeneratedImages(int n) { return new Limits(maxBodyBytes, maxTextChars, maxTexts, maxLabels, maxLabelChars, maxTopK, maxNewTokens, maxImageBytes, maxImagePixels, n); }
}
