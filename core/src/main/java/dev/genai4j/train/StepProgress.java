package dev.genai4j.train;

import java.util.Map;

/**
 * One logged training step, as a trainer reports it to a {@link TrainingListener}: where the run is
 * ({@code step} of {@code total}), the mean loss over the steps since the last report, further
 * figures by name (learning rate, throughput, accuracy …; which ones depends on the trainer), and
 * the plain-text line the trainer has always printed, so a listener that prints keeps the old log.
 * <pre>{@code
 * listener.onStep(new StepProgress(step, cfg.steps(), meanLoss, Map.of("lr", opt.lr()),
 *         String.format(Locale.ROOT, "step %d/%d  loss %.4f", step, cfg.steps(), meanLoss)));
 * }</pre>
 *
 * @param step    optimizer steps done so far (1-based: the step just finished)
 * @param total   steps the schedule runs to; it may grow during a run (a schedule fitted to a time budget)
 * @param loss    the training loss the trainer reports for this window (its mean over the window)
 * @param metrics further figures, in the order the trainer prints them; names are snake_case ("tokens_per_s")
 * @param line    the trainer's own progress line, without a line break
 */
public record StepProgress(long step, long total, double loss, Map<String, Double> metrics, String line) {
    public StepProgress {
        if (step < 0 || total < 0) throw new IllegalArgumentException("StepProgress: step " + step + " of " + total + " (both must be >= 0)");
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        line = line == null ? "" : line;
    }

    /** Figures by name in insertion order (a small helper, as {@code Map.of} loses the order and refuses more than ten pairs). */
    public static Map<String, Double> metrics(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("StepProgress.metrics: expected name, value pairs, got " + namesAndValues.length + " items");
        }
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).doubleValue());
        }
        return m;
    }
}
