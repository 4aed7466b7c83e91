package dev.genai4j.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of long CLI work on stderr, with rate and ETA: a live bar (me.tongfei:progressbar) when
 * stderr is a terminal, else a plain line at most every {@link #LINE_EVERY_NANOS} (logs and CI
 * stay readable), and nothing with {@code -q} or {@code --json} (stdout then carries only the result).
 * <pre>{@code
 * try (Progress p = Progress.start("ner", lines.size(), "lines", json)) {
 *     for (...) { ...; p.step(block.size()); }
 * }
 * }</pre>
 */
final class Progress implements AutoCloseable {
    enum Mode { BAR, LINES, OFF }

    static final long LINE_EVERY_NANOS = 10_000_000_000L;

    private final String task;
    private final long total;
    private final String unit;
    private final Mode mode;
    private final PrintStream err;
    private final long lineEveryNanos;
    private final long startNanos = System.nanoTime();
    private final ProgressBar bar;
    private long done;
    private long lastLineNanos = startNanos;

    Progress(String task, long total, String unit, Mode mode, PrintStream err, long lineEveryNanos) {
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.mode = mode;
        this.err = err;
        this.lineEveryNanos = lineEveryNanos;
        this.bar = mode != Mode.BAR ? null : new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1)
                .showSpeed().setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(err)).build();
    }

    /** A progress report for {@code total} units of work (0 or less: unknown), in the mode this run allows. */
    static Progress start(String task, long total, String unit, boolean json) {
        return new Progress(task, total, unit, mode(json), System.err, LINE_EVERY_NANOS);
    }

    static Mode mode(boolean json) {
        if (json || Logging.quiet()) return Mode.OFF;
        java.io.Console c = System.console();
        return c != null && c.isTerminal() ? Mode.BAR : Mode.LINES;
    }

    /** The finished units so far. */
    long done() { return done; }

    /** Adds {@code n} finished units. */
    void step(long n) { stepTo(done + n); }

    /** Sets the finished units to {@code n}. */
    void stepTo(long n) {
        done = n;
        if (bar != null) bar.stepTo(n);
        if (mode == Mode.LINES && System.nanoTime() - lastLineNanos >= lineEveryNanos) {
            lastLineNanos = System.nanoTime();
            err.println(line());
            err.flush();
        }
    }

    /** "task: 120/1000 lines (12%), 3.4 lines/s, ETA 4:18" — the plain-text form. */
    String line() {
        double seconds = Math.max((System.nanoTime() - startNanos) / 1e9, 1e-9);
        double rate = done / seconds;
        StringBuilder sb = new StringBuilder(task).append(": ").append(done);
        if (total > 0) sb.append('/').append(total);
        sb.append(' ').append(unit);
        if (total > 0) sb.append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * done / total));
        sb.append(String.format(Locale.ROOT, ", %.1f %s/s", rate, unit));
        if (total > 0) sb.append(", ETA ").append(rate > 0 ? clock((total - done) / rate) : "?");
        return sb.toString();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
        if (mode == Mode.LINES && done > 0 && lastLineNanos != startNanos) {
            err.println(line());   // the last word, when lines were printed at all (short work stays silent)
            err.flush();
        }
    }
}
