package dev.genai4j.models.gliner;

/**
 * How spans become entities (the reference's {@code predict_entities} arguments and defaults), and
 * how many model passes (text windows × label groups) run together.
 *
 * <pre>{@code
 * ExtractOptions o = ExtractOptions.defaults().withThreshold(0.3).nestedNer().withBatchSize(16);
 * }</pre>
 *
 * @param threshold  minimum sigmoid score, exclusive (default 0.5)
 * @param flat       true: no two entities overlap; false (nested): an entity may sit inside another
 * @param multiLabel the same span may carry several labels
 * @param batchSize  model passes per forward call (default 8); results do not depend on it
 */
public record ExtractOptions(double threshold, boolean flat, boolean multiLabel, int batchSize) {
    static final int DEFAULT_BATCH = 8;

    public ExtractOptions {
        if (!(threshold >= 0 && threshold <= 1)) throw new IllegalArgumentException("GLiNER: threshold must lie in [0, 1], got " + threshold);
        if (batchSize < 1) throw new IllegalArgumentException("GLiNER: batch size must be >= 1, got " + batchSize);
    }

    /** The default batch size. */
    public ExtractOptions(double threshold, boolean flat, boolean multiLabel) { this(threshold, flat, multiLabel, DEFAULT_BATCH); }

    public static ExtractOptions defaults() { return new ExtractOptions(0.5, true, false, DEFAULT_BATCH); }

    public ExtractOptions withThreshold(double t) { return new ExtractOptions(t, flat, multiLabel, batchSize); }

    public ExtractOptions flatNer() { return new ExtractOptions(threshold, true, multiLabel, batchSize); }

    public ExtractOptions nestedNer() { return new ExtractOptions(threshold, false, multiLabel, batchSize); }

    public ExtractOptions withMultiLabel(boolean m) { return new ExtractOptions(threshold, flat, m, batchSize); }

    public ExtractOptions withBatchSize(int b) { return new ExtractOptions(threshold, flat, multiLabel, b); }
}
