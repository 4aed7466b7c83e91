package dev.genai4j.bench;

/**
 * Runs a pass until the JIT has settled, before anything is timed: the Vector API kernels are
 * ~100× slower before C2 compiles them, and on a full model that takes tens of seconds (a
 * 4-second warm-up left the GLiNER encoder 30 % slower than steady state; one warm-up pass left a
 * ViT-B/32 forward at 227 ms instead of 129 ms).
 *
 * <pre>{@code
 * Warmup.untilSteady(() -> model.forward(x), false);
 * }</pre>
 */
final class Warmup {
    private Warmup() {}

    /**
     * Steady means two consecutive 2-second windows (at least one pass each) whose mean pass times
     * differ by under 3 %; at most 40 s. {@code quick}: one 1-second window, for smoke runs.
     */
    static void untilSteady(Runnable pass, boolean quick) {
        if (quick) {
            long start = System.nanoTime();
            for (int i = 0; i < 1 || System.nanoTime() - start < 1e9; i++) pass.run();
            return;
        }
        long start = System.nanoTime();
        double previous = Double.NaN;
        while (System.nanoTime() - start < 40e9) {
            long windowStart = System.nanoTime();
            int passes = 0;
            do {
                pass.run();
                passes++;
            } while (System.nanoTime() - windowStart < 2e9);
            double mean = (System.nanoTime() - windowStart) / (double) passes;
            if (Math.abs(mean - previous) < 0.03 * previous) return;
            previous = mean;
        }
    }
}
