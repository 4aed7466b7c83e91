package dev.genai4j.optim;

/**
 * A learning-rate multiplier as a function of the number of optimizer steps already taken, with
 * Hugging Face's formulas ({@code transformers.optimization}): the k-th update (k = 0, 1, …) uses
 * {@code baseLr · factor(k)}, exactly as {@code LambdaLR} with {@code scheduler.step()} after each
 * {@code optimizer.step()}. So with warmup the very first update has lr 0, as in HF.
 *
 * <pre>{@code
 * LrSchedule s = LrSchedule.linearWarmupCosineDecay(100, 10_000, 0.1);
 * for (long k = 0; k < 10_000; k++) { s.apply(opt, 3e-4, k); ...; opt.step(); }
 * }</pre>
 */
@FunctionalInterface
public interface LrSchedule {

    /** The multiplier of the base learning rate for update {@code step} (0-based). */
    double factor(long step);

    /** Sets {@code optimizer}'s lr to {@code baseLr · factor(step)}. */
    default void apply(Optimizer optimizer, double baseLr, long step) {
        optimizer.setLr(baseLr * factor(step));
    }

    /** Always 1 ({@code get_constant_schedule}). */
    static LrSchedule constant() { return step -> 1.0; }

    /** step / warmup during warmup, then 1 ({@code get_constant_schedule_with_warmup}). */
    static LrSchedule constantWithWarmup(int warmupSteps) {
        check(warmupSteps, warmupSteps);
        return step -> step < warmupSteps ? (double) step / Math.max(1, warmupSteps) : 1.0;
    }

    /**
     * Linear warmup to 1, then linear decay to 0 at {@code totalSteps} and 0 after
     * ({@code get_linear_schedule_with_warmup}).
     */
    static LrSchedule linearWarmupLinearDecay(int warmupSteps, int totalSteps) {
        check(warmupSteps, totalSteps);
        return step -> {
            if (step < warmupSteps) return (double) step / Math.max(1, warmupSteps);
            return Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
        };
    }

    /** Linear warmup, then half a cosine from 1 to 0 at {@code totalSteps} ({@code get_cosine_schedule_with_warmup}). */
    static LrSchedule linearWarmupCosineDecay(int warmupSteps, int totalSteps) {
        return linearWarmupCosineDecay(warmupSteps, totalSteps, 0.0);
    }

    /**
     * Linear warmup, then half a cosine from 1 down to {@code minRatio} at {@code totalSteps}
     * ({@code get_cosine_with_min_lr_schedule_with_warmup} with {@code min_lr_rate}; minRatio 0 is
     * {@code get_cosine_schedule_with_warmup}). Like HF, steps past the total follow the cosine
     * back up; size {@code totalSteps} to the run.
     */
    static LrSchedule linearWarmupCosineDecay(int warmupSteps, int totalSteps, double minRatio) {
        check(warmupSteps, totalSteps);
        if (!(minRatio >= 0 && minRatio <= 1)) throw new IllegalArgumentException("LrSchedule: minRatio must lie in [0, 1], got " + minRatio);
        return step -> {
            if (step < warmupSteps) return (double) step / Math.max(1, warmupSteps);
            double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
            double f = 0.5 * (1.0 + Math.cos(Math.PI * progress));
            return Math.max(0.0, f * (1 - minRatio) + minRatio);
        };
    }

    private static void check(int warmupSteps, int totalSteps) {
        if (warmupSteps < 0 || totalSteps < warmupSteps) {
            throw new IllegalArgumentException("LrSchedule: need 0 ≤ warmup ≤ total steps, got warmup " + warmupSteps + ", total " + totalSteps);
        }
    }
}
