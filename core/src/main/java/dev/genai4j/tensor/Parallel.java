package dev.genai4j.tensor;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one place genai4j starts threads. A single pool sized to the cores (override with
 * {@code -Dgenai4j.threads=N}); work is split into at most {@link #threads()} contiguous ranges
 * so that each worker touches one block of memory. Calls from inside a worker run inline, so
 * nested parallel loops never deadlock or oversubscribe.
 */
public final class Parallel {
    private static final int THREADS = Math.max(1,
            Integer.getInteger("genai4j.threads", Runtime.getRuntime().availableProcessors()));
    private static final ForkJoinPool POOL = new ForkJoinPool(THREADS,
            pool -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName("genai4j-" + t.getPoolIndex());
                t.setDaemon(true);
                return t;
            }, null, false);
    private static final ThreadLocal<Integer> LIMIT = new ThreadLocal<>();
    /** How long a caller spins on the join before it parks. */
    private static final long SPIN_NANOS = 50_000;

    private Parallel() {}

    /** Body of a parallel loop over the half-open range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Number of threads parallel loops use now (the pool size, or a {@link #withThreads} limit). */
    public static int threads() {
        Integer limit = LIMIT.get();
        return limit == null ? THREADS : Math.min(limit, THREADS);
    }

    /**
     * Runs {@code body} with parallel loops limited to {@code n} threads on this thread
     * (benchmarks compare 1 and 2 threads this way).
     */
    public static void withThreads(int n, Runnable body) {
        Integer before = LIMIT.get();
        LIMIT.set(Math.max(1, n));
        try {
            body.run();
        } finally {
            if (before == null) LIMIT.remove(); else LIMIT.set(before);
        }
    }

    /**
     * Splits [0, n) into ranges of at least {@code grain} items and runs them on the pool; returns
     * when all are done. The calling thread runs the first range itself.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int parts = Math.min(threads(), Math.max(1, n / Math.max(1, grain)));
        if (parts <= 1 || Thread.currentThread() instanceof java.util.concurrent.ForkJoinWorkerThread) {
            body.run(0, n);
            return;
        }
        CountDownLatch done = new CountDownLatch(parts - 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) n * p / parts), to = (int) ((long) n * (p + 1) / parts);
            POOL.execute(() -> {
                try {
                    body.run(from, to);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            body.run(0, (int) ((long) n / parts));
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
        try {
            // Workers usually finish within microseconds of the caller: spin briefly before parking,
            // so a join costs no futex wake-up round trip (bounded, so a starved worker costs little).
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (done.getCount() > 0 && System.nanoTime() < spinUntil) Thread.onSpinWait();
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for parallel work", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error err) throw err;
        if (t != null) throw new IllegalStateException(t);
    }

    /** {@link #forRange} with one item per task: for loops whose items are already large. */
    public static void forEach(int n, java.util.function.IntConsumer body) {
        forRange(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) body.accept(i);
        });
    }
}
