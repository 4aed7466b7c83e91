package dev.genai4j.server;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram: counts per upper bound (cumulative when written), the sum and the count.
 * Lock-free; {@link #observe} may run on any thread.
 *
 * <pre>{@code
 * Histogram h = new Histogram(0.001, 0.01, 0.1, 1);
 * h.observe(0.004);
 * h.writeTo(sb, "latency_seconds", "endpoint=\"/embed\"");
 * }</pre>
 */
public final class Histogram {
    private final double[] bounds;
    private final LongAdder[] counts;   // one per bound, plus +Inf
    private final DoubleAdder sum = new DoubleAdder();

    public Histogram(double... bounds) {
        for (int i = 1; i < bounds.length; i++) {
            if (!(bounds[i] > bounds[i - 1])) throw new IllegalArgumentException("Histogram: bounds must increase, got " + Arrays.toString(bounds));
        }
        this.bounds = bounds.clone();
        this.counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
    }

    public void observe(double v) {
        int i = 0;
        while (i < bounds.length && v > bounds[i]) i++;
        counts[i].increment();
        sum.add(v);
    }

    public long count() {
        long n = 0;
        for (LongAdder c : counts) n += c.sum();
        return n;
    }

    public double sum() { return sum.sum(); }

    /** Observations ≤ {@code bound} (which must be one of the bounds). */
    public long countAtMost(double bound) {
        long n = 0;
        for (int i = 0; i < bounds.length && bounds[i] <= bound; i++) n += counts[i].sum();
        return n;
    }

    /** The {@code _bucket}, {@code _sum} and {@code _count} lines; {@code labels} is empty or {@code k="v",…}. */
    public void writeTo(StringBuilder sb, String name, String labels) {
        String sep = labels.isEmpty() ? "" : labels + ",";
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts[i].sum();
            sb.append(name).append("_bucket{").append(sep).append("le=\"").append(format(bounds[i])).append("\"} ").append(cumulative).append('\n');
        }
        cumulative += counts[bounds.length].sum();
        sb.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(cumulative).append('\n');
        String braces = labels.isEmpty() ? "" : "{" + labels + "}";
        sb.append(name).append("_sum").append(braces).append(' ').append(format(sum.sum())).append('\n');
        sb.append(name).append("_count").append(braces).append(' ').append(cumulative).append('\n');
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%s", v);
    }
}
