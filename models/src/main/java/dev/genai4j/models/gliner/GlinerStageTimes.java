package dev.genai4j.models.gliner;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a {@link GlinerModel}'s forward passes spend their time: the backbone encoder versus the
 * GLiNER heads after it (projection, prompt gathering, the word LSTM, the span layer and the
 * span–label products). The performance bar is heads ≤ 25 % of the encoder; {@code
 * genai4j bench gliner} reads these. Each stage is counted twice: in wall time, and in the calling
 * thread's CPU time. At one thread all the work runs on the calling thread, so the CPU-time ratio
 * is the same measurement as the wall-time one but unaffected by other processes taking the core
 * (on a shared machine the wall clock also counts the time this thread was not running).
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
    private final LongAdder encoderCpuNanos = new LongAdder();
    private final LongAdder headCpuNanos = new LongAdder();
    private final LongAdder lstmSpanNanos = new LongAdder();
    private final LongAdder lstmSpanCpuNanos = new LongAdder();
    private final LongAdder passes = new LongAdder();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU time of the calling thread, or 0 where the JVM cannot measure it. */
    static long threadCpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    void record(long encoder, long heads, long encoderCpu, long headsCpu) {
        encoderNanos.add(encoder);
        headNanos.add(heads);
        encoderCpuNanos.add(encoderCpu);
        headCpuNanos.add(headsCpu);
        passes.increment();
    }

    /** Adds one pass's time in the word LSTM and the span layer (part of the heads' time). */
    void recordLstmAndSpan(long wall, long cpu) {
        lstmSpanNanos.add(wall);
        lstmSpanCpuNanos.add(cpu);
    }

    /**
     * Time in the word LSTM plus the span layer (span representations and span–label scores)
     * ÷ encoder time: the bar ("the LSTM and span layer may not take more than 25 % of the
     * time of the encoder"). The rest of the heads (the 384→256 token projection, gathering the
     * prompt vectors and the prompt layer) counts in {@link #headsOverEncoder()} only.
     */
    public double lstmAndSpanOverEncoder() {
        long e = encoderNanos();
        return e == 0 ? Double.NaN : (double) lstmSpanNanos.sum() / e;
    }

    /** {@link #lstmAndSpanOverEncoder()} by the calling thread's CPU time (read it at one thread). */
    public double cpuLstmAndSpanOverEncoder() {
        long e = encoderCpuNanos.sum();
        return e == 0 ? Double.NaN : (double) lstmSpanCpuNanos.sum() / e;
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

    /**
     * Head CPU time ÷ encoder CPU time of the calling thread (NaN before any pass or where thread CPU
     * time is not measurable). Equal to {@link #headsOverEncoder()} at one thread on an idle machine;
     * at more threads it leaves out the workers' share, so read it at one thread only.
     */
    public double cpuHeadsOverEncoder() {
        long e = encoderCpuNanos.sum();
        return e == 0 ? Double.NaN : (double) headCpuNanos.sum() / e;
    }

    public void reset() {
        lstmSpanNanos.reset();
        lstmSpanCpuNanos.reset();
        encoderCpuNanos.reset();
        headCpuNanos.reset();
        encoderNanos.reset();
        headNanos.reset();
        passes.reset();
    }
}
