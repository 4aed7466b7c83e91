package dev.genai4j.cli;

import dev.genai4j.io.hub.DownloadProgress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Download progress on stderr: a progress bar with rate and ETA (me.tongfei:progressbar) for
 * files of a megabyte or more when stderr is a terminal, else one line when a file starts. Notes
 * (resumes, retries) always get a line. Nothing is printed when quiet.
 */
final class ConsoleDownloadProgress implements DownloadProgress {
    private static final long BAR_FROM_BYTES = 1 << 20;

    private final PrintStream err;
    private final boolean quiet;
    private final boolean terminal;
    private ProgressBar bar;

    ConsoleDownloadProgress(PrintStream err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
        this.terminal = System.console() != null && System.console().isTerminal();
    }

    @Override
    public void started(String file, long total, long resumedFrom) {
        if (quiet) return;
        if (terminal && total >= BAR_FROM_BYTES) {
            bar = new ProgressBarBuilder().setTaskName(shorten(file)).setInitialMax(total).setUnit("MB", 1 << 20).showSpeed()
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).startsFrom(resumedFrom, Duration.ZERO)
                    .setConsumer(new ConsoleProgressBarConsumer(err)).build();
        } else {
            err.printf("downloading %s (%s)%s%n", file, human(total), resumedFrom > 0 ? ", resuming at " + human(resumedFrom) : "");
        }
    }

    @Override
    public void advanced(long bytesSoFar) {
        if (bar != null) bar.stepTo(bytesSoFar);
    }

    @Override
    public void finished(String file) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void note(String message) {
        if (!quiet) err.println("hub: " + message);
    }

    private static String shorten(String file) { return file.length() <= 32 ? file : "…" + file.substring(file.length() - 31); }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1 << 20) return String.format(java.util.Locale.ROOT, "%.1f KB", bytes / 1024.0);
        if (bytes < 1L << 30) return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (double) (1 << 20));
        return String.format(java.util.Locale.ROOT, "%.2f GB", bytes / (double) (1L << 30));
    }
}
