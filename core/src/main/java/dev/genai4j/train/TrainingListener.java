package dev.genai4j.train;

import java.io.PrintStream;

/**
 * Hears a trainer's progress, one call per logged step, so that a front end (the command line's
 * progress bar, JSON lines, a test) can show it without the trainer knowing which. Trainers that
 * take a {@code PrintStream log} and no listener use {@link #printing(PrintStream)}: their step
 * lines look exactly as before. Other messages (checkpoints written, evaluation results) still go
 * to the trainer's log.
 * <pre>{@code
 * List<StepProgress> seen = new ArrayList<>();
 * PointNetTrainer.run(cfg, System.err, seen::add);   // no step lines printed; seen holds them
 * }</pre>
 */
@FunctionalInterface
public interface TrainingListener {
    /** Called on the training thread after a step the trainer logs; keep it quick. */
    void onStep(StepProgress progress);

    /** Prints each step's {@link StepProgress#line() line} on {@code log}: the trainers' classic output. */
    static TrainingListener printing(PrintStream log) {
        return p -> {
            log.println(p.line());
            log.flush();
        };
    }

    /** Ignores every step. */
    static TrainingListener none() { return p -> {}; }

    /** Tells both listeners, this one first. */
    default TrainingListener andThen(TrainingListener next) {
        return p -> {
            onStep(p);
            next.onStep(p);
        };
    }
}
