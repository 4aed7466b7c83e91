package dev.genai4j.models.gliner;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where a {@link GlinerModel}'s forward passes spend their time: the backbone encoder versus the
 * GLiNER heads after it (projection, prompt gathering, the word LSTM, the span layer and the
 * span–label products). The performance bar is heads ≤ 25 % of the encoder; {@code
 * genai4j bench gliner} reads these. Counting costs two {@link System#nanoTime()} calls per pass.
 *
 * <pre>{@code
 * GlinerStageTimes t = model.stageTimes();
 * t.reset();
 * gliner.extractBatch(texts, labels, options);
 * double share = t.headsOverEncoder();   // e.g. 0.08
 * }</pre>
 */
public final class GlinerStageTimes {
    private final LongAdder encoderNanos = new LongAdder();
    private final LongAdder headNanos = new LongAdder();
    private final LongAdder passes = new LongAdder();

    void record(long encoder, long heads) {
        encoderNanos.add(encoder);
        headNanos.add(heads);
        passes.increment();
    }

    /** Nanoseconds in the backbone encoder since the last {@link #reset()}. */
    public long encoderNanos() { return encoderNanos.sum(); }

    /** Nanoseconds in everything after the encoder since the last {@link #reset()}. */
    public long headNanos() { return headNanos.sum(); }

    /** Forward passes counted. */
    public long passes() { return passes.sum(); }

    /** Head time ÷ encoder time (NaN before any pass). */
    public double headsOverEncoder() {
        long e = encoderNanos();
        return e == 0 ? Double.NaN : (double) headNanos() / e;
    }

    public void reset() {
        encoderNanos.reset();
        headNanos.reset();
        passes.reset();
    }
}
