package dev.genai4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.train.StepProgress;
import dev.genai4j.train.TrainingListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Where a {@code train ...} command's output goes, chosen once from the flags:
 * <ul>
 *   <li>{@code --json}: one JSON object per logged step on stdout ({@code {"event":"step","step":…,"total":…,"loss":…, <metrics>}}),
 *       then one {@code "summary"} object from {@link #finish}; the trainer's other messages stay on stderr;</li>
 *   <li>{@code -q}: nothing but errors (and the JSON, when asked for);</li>
 *   <li>an interactive terminal without {@code -v}: a progress bar on stderr with rate and ETA (me.tongfei:progressbar);</li>
 *   <li>otherwise (a log file, CI, {@code -v}): the trainer's plain step lines on stderr, as they always were.</li>
 * </ul>
 * <pre>{@code
 * try (TrainReport r = TrainReport.start("train pointnet", json, spec.commandLine().getOut())) {
 *     PointNetTrainer.Report rep = PointNetTrainer.run(cfg, r.log(), r.steps());
 *     r.finish(cfg.outputDir(), Map.of("accuracy", rep.accuracy()));
 * }
 * }</pre>
 */
final class TrainReport implements AutoCloseable {
    enum Mode { JSON, BAR, LINES, QUIET }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String command;
    private final Mode mode;
    private final PrintWriter out;
    private final PrintStream err;
    private final long startNanos = System.nanoTime();
    private ProgressBar bar;
    private StepProgress last;

    TrainReport(String command, Mode mode, PrintWriter out, PrintStream err) {
        this.command = command;
        this.mode = mode;
        this.out = out;
        this.err = err;
    }

    /** The report for this run's flags; {@code out} is the command's stdout (picocli's, so tests can capture it). */
    static TrainReport start(String command, boolean json, PrintWriter out) {
        return new TrainReport(command, mode(json, Logging.quiet(), Logging.verbosity(), terminal()), out, System.err);
    }

    static Mode mode(boolean json, boolean quiet, int verbosity, boolean terminal) {
        if (json) return Mode.JSON;
        if (quiet) return Mode.QUIET;
        return terminal && verbosity == 0 ? Mode.BAR : Mode.LINES;
    }

    private static boolean terminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    Mode mode() { return mode; }

    /** Where the trainer's other messages go (data loaded, checkpoints written, evaluation): stderr, nowhere with -q. */
    PrintStream log() {
        if (Logging.quiet()) return new PrintStream(OutputStream.nullOutputStream());
        return mode == Mode.BAR ? barSafeLog : err;
    }

    /**
     * stderr for messages while a bar is drawn: each line first returns the cursor and clears the bar's line
     * (ANSI erase-line), so the message stands on a line of its own and the bar redraws below it at its next tick.
     */
    private final PrintStream barSafeLog = new PrintStream(new OutputStream() {
        private boolean lineStart = true;

        @Override
        public void write(int b) {
            if (lineStart && bar != null) err.print("\r\u001b[K");
            err.write(b);
            lineStart = b == '\n';
            if (lineStart) err.flush();
        }
    }, true, java.nio.charset.StandardCharsets.UTF_8);

    /** The listener to hand the trainer. */
    TrainingListener steps() {
        return p -> {
            last = p;
            switch (mode) {
                case JSON -> {
                    ObjectNode o = JSON.createObjectNode().put("event", "step").put("step", p.step()).put("total", p.total());
                    number(o, "loss", p.loss());
                    p.metrics().forEach((k, v) -> number(o, k, v));
                    out.println(o.toString());
                    out.flush();
                }
                case BAR -> bar(p);
                case LINES -> {
                    err.println(p.line());
                    err.flush();
                }
                case QUIET -> { }
            }
        };
    }

    /** The last step the trainer reported, or null before the first. */
    StepProgress last() { return last; }

    /**
     * Ends the run: with {@code --json}, prints the summary object ({@code steps} and {@code final_loss} from the
     * last reported step unless {@code extra} gives them, {@code output}, {@code seconds}, then {@code extra}).
     * Text mode prints nothing here: the trainers already said how the run ended.
     */
    void finish(Path output, Map<String, ?> extra) {
        closeBar();
        if (mode != Mode.JSON) return;
        ObjectNode o = JSON.createObjectNode().put("event", "summary").put("command", command);
        if (last != null) o.put("steps", last.step()); else o.putNull("steps");
        number(o, "final_loss", last != null ? last.loss() : Double.NaN);
        o.put("output", output == null ? null : output.toString());
        number(o, "seconds", (System.nanoTime() - startNanos) / 1e9);
        if (extra != null) extra.forEach((k, v) -> o.set(k, JSON.valueToTree(v instanceof Double d && !Double.isFinite(d) ? null : v)));
        out.println(o.toString());
        out.flush();
    }

    /** JSON has no NaN or infinity: those become null (a loss before any step, an empty held-out set). */
    static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v); else o.putNull(key);
    }

    private void bar(StepProgress p) {
        if (bar == null) {
            // started at the first report so that a resumed run's rate and ETA count only this session's steps
            bar = new ProgressBarBuilder().setTaskName(command).setInitialMax(Math.max(p.total(), p.step())).setUnit(" steps", 1)
                    .showSpeed().setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).startsFrom(p.step(), Duration.ZERO)
                    .setConsumer(new ConsoleProgressBarConsumer(err)).build();
        }
        if (p.total() != bar.getMax()) bar.maxHint(Math.max(p.total(), p.step()));   // a schedule fitted to --minutes can change it
        bar.stepTo(p.step());
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", p.loss()));
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void close() { closeBar(); }
}
