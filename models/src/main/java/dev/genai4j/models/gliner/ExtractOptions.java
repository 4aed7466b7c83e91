package dev.genai4j.models.gliner;

/**
 * How spans become entities (the reference's {@code predict_entities} arguments and defaults).
 *
 * <pre>{@code
 * ExtractOptions o = ExtractOptions.defaults().withThreshold(0.3).nestedNer();
 * }</pre>
 *
 * @param threshold  minimum sigmoid score, exclusive (default 0.5)
 * @param flat       true: no two entities overlap; false (nested): an entity may sit inside another
 * @param multiLabel the same span may carry several labels
 */
public record ExtractOptions(double threshold, boolean flat, boolean multiLabel) {
    public ExtractOptions {
        if (!(threshold >= 0 && threshold <= 1)) throw new IllegalArgumentException("GLiNER: threshold must lie in [0, 1], got " + threshold);
    }

    public static ExtractOptions defaults() { return new ExtractOptions(0.5, true, false); }

    public ExtractOptions withThreshold(double t) { return new ExtractOptions(t, flat, multiLabel); }

    public ExtractOptions flatNer() { return new ExtractOptions(threshold, true, multiLabel); }

    public ExtractOptions nestedNer() { return new ExtractOptions(threshold, false, multiLabel); }

    public ExtractOptions withMultiLabel(boolean m) { return new ExtractOptions(threshold, flat, m); }
}
