package dev.genai4j.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one place genai4j starts threads: a fixed team of {@code threads() - 1} daemon workers
 * beside the calling thread (size with {@code -Dgenai4j.threads=N}). Work is split into a few
 * contiguous ranges per thread, so that each range touches one block of memory, and the caller
 * takes ranges too.
 *
 * <p>Why not a {@code ForkJoinPool}: a transformer forward on a short input is dozens of loops of
 * tens of microseconds each, and waking a parked pool thread costs about as much as the loop.
 * Our workers spin for a short while after each task ({@code -Dgenai4j.parallel.spinMicros},
 * default 300) and only then park, so back-to-back loops hand work over through one volatile
 * write. Calls from inside a worker run inline, and a worker busy with another caller's loop sits
 * the new one out (its ranges go to the threads that are free), so nested or concurrent loops
 * never deadlock or oversubscribe.
 */
public final class Parallel {
    private static final int THREADS = Math.max(1,
            Integer.getInteger("genai4j.threads", Runtime.getRuntime().availableProcessors()));
    private static final long IDLE_SPIN_NANOS = 1000L * Integer.getInteger("genai4j.parallel.spinMicros", 300);
    /** How long a caller spins on the join before it parks. */
    private static final long JOIN_SPIN_NANOS = 100_000;
    /** Ranges per thread a loop is cut into, so a thread that falls behind leaves its share to the others. */
    private static final int RANGES_PER_THREAD = 4;
    /** Longs between two blocks' cursors, so that two threads claiming from their own blocks do not share a cache line. */
    private static final int BLOCK_STRIDE = 8;
    private static final ThreadLocal<Integer> LIMIT = new ThreadLocal<>();
    private static final Worker[] WORKERS = startWorkers();

    private Parallel() {}

    /** Body of a parallel loop over the half-open range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Number of threads parallel loops use now (the team size, or a {@link #withThreads} limit). */
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
     * Splits [0, n) into contiguous ranges of at least {@code grain} items and runs them on the
     * team; returns when all are done.
     *
     * <p>Each participating thread owns a contiguous block of the ranges (the caller the first)
     * and works through it from the front; a thread that has finished its own block takes ranges
     * from the back of the others'. So when the same loop runs again over the same data (a decode
     * step's matrix–vector products), each thread reads the rows it read last time, which are still
     * in its core's caches; and a worker that wakes late, or is starved by another process, simply
     * has its block taken by the others, so a loop on two threads is never much slower than on one.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int parts = Math.min(threads(), Math.max(1, n / Math.max(1, grain)));
        if (parts <= 1 || Thread.currentThread() instanceof Worker) {
            body.run(0, n);
            return;
        }
        int ranges = Math.min(Math.max(1, n / Math.max(1, grain)), parts * RANGES_PER_THREAD);
        Loop loop = new Loop(body, n, ranges, parts, Thread.currentThread());
        for (int p = 1; p < parts; p++) WORKERS[p - 1].offer(loop);   // a busy worker just sits this one out
        loop.takeRanges(0);
        loop.awaitAll();
        Throwable t = loop.failure.get();
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error err) throw err;
        if (t != null) throw new IllegalStateException(t);
    }

    /**
     * Runs {@code body} over [0, n) in contiguous element ranges of at least {@code minChunk} items
     * (on the calling thread alone when n < 2·minChunk): for cheap per-element loops, where a fork
     * only pays off once each thread has tens of thousands of elements.
     */
    public static void forChunks(int n, int minChunk, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.max(1, n / Math.max(1, minChunk));
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        forRange(chunks, 1, (c0, c1) -> body.run((int) ((long) n * c0 / chunks), (int) ((long) n * c1 / chunks)));
    }

    /** {@link #forRange} with one item per task: for loops whose items are already large. */
    public static void forEach(int n, java.util.function.IntConsumer body) {
        forRange(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) body.accept(i);
        });
    }

    /**
     * One forRange call: its body; per participant a block of ranges, each block's unclaimed part
     * packed in one long as [front, back) so its owner and thieves claim from opposite ends with one
     * CAS; how many ranges are done; the first failure.
     */
    private static final class Loop {
        final RangeBody body;
        final int n, ranges, parts;
        final Thread caller;
        final AtomicLongArray blocks;
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Loop(RangeBody body, int n, int ranges, int parts, Thread caller) {
            this.body = body;
            this.n = n;
            this.ranges = ranges;
            this.parts = parts;
            this.caller = caller;
            this.blocks = new AtomicLongArray(parts * BLOCK_STRIDE);
            for (int p = 0; p < parts; p++) {
                blocks.set(p * BLOCK_STRIDE, pack((int) ((long) ranges * p / parts), (int) ((long) ranges * (p + 1) / parts)));
            }
        }

        private static long pack(int front, int back) { return ((long) front << 32) | (back & 0xffffffffL); }

        /** The next range of block {@code p} from its front (owner) or its back (thief), or −1 when none is left. */
        private int claim(int p, boolean fromFront) {
            int slot = p * BLOCK_STRIDE;
            while (true) {
                long v = blocks.get(slot);
                int front = (int) (v >>> 32), back = (int) v;
                if (front >= back) return -1;
                long next = fromFront ? pack(front + 1, back) : pack(front, back - 1);
                if (blocks.compareAndSet(slot, v, next)) return fromFront ? front : back - 1;
            }
        }

        /**
         * Participant {@code self} runs its own block front to back, then takes what is left of the
         * others' from their backs; the thread finishing the last range wakes the caller.
         */
        void takeRanges(int self) {
            for (int i = 0; i < parts; i++) {
                int p = (self + i) % parts;
                for (int r = claim(p, i == 0); r >= 0; r = claim(p, i == 0)) run(r);
            }
        }

        private void run(int r) {
            try {
                body.run((int) ((long) n * r / ranges), (int) ((long) n * (r + 1) / ranges));
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                if (done.incrementAndGet() == ranges && Thread.currentThread() != caller) LockSupport.unpark(caller);
            }
        }

        /** True once every range has run (the participants may still be on their way out). */
        boolean finished() { return done.get() >= ranges; }

        void awaitAll() {
            // The other ranges usually finish within microseconds of ours: spin briefly before
            // parking, so a join costs no futex round trip (bounded, so a descheduled worker costs little).
            long spinUntil = System.nanoTime() + JOIN_SPIN_NANOS;
            while (done.get() < ranges && System.nanoTime() < spinUntil) Thread.onSpinWait();
            boolean interrupted = false;
            while (done.get() < ranges) {
                LockSupport.park(this);
                if (Thread.interrupted()) interrupted = true;    // finish the loop: workers still use our buffers
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static Worker[] startWorkers() {
        Worker[] team = new Worker[THREADS - 1];
        for (int i = 0; i < team.length; i++) {
            team[i] = new Worker(i + 1);
            team[i].start();
        }
        return team;
    }

    /** A team thread: takes one task at a time from its slot, spins a while when idle, then parks. */
    private static final class Worker extends Thread {
        private final AtomicReference<Loop> slot = new AtomicReference<>();
        private volatile boolean parked;

        /** This worker's participant number in a loop (the caller is 0), so it owns the same block every time. */
        private final int index;

        Worker(int index) {
            super("genai4j-" + index);
            this.index = index;
            setDaemon(true);
        }

        /**
         * Asks this worker to help with {@code task}; false when it is still busy with another loop.
         * A loop whose ranges are all done counts as free even before the worker has cleared its slot:
         * the caller wakes the moment the last range ends and may offer its next loop before the
         * worker is back from the last one, which would then have run on the caller alone.
         */
        boolean offer(Loop task) {
            while (true) {
                Loop current = slot.get();
                if (current != null && !current.finished()) return false;
                if (slot.compareAndSet(current, task)) break;
            }
            // Dekker pairing with run(): we write slot then read parked; it writes parked then reads slot
            if (parked) LockSupport.unpark(this);
            return true;
        }

        @Override
        public void run() {
            while (true) {
                Loop task = slot.get();
                if (task == null) task = idle();
                task.takeRanges(index);
                slot.compareAndSet(task, null);          // fails when the next loop is already here: run it
            }
        }

        /** Spins for the idle window, then parks until a task arrives. */
        private Loop idle() {
            long spinUntil = System.nanoTime() + IDLE_SPIN_NANOS;
            Loop task;
            while ((task = slot.get()) == null && System.nanoTime() < spinUntil) Thread.onSpinWait();
            while (task == null) {
                parked = true;
                task = slot.get();
                if (task == null) LockSupport.park(this);
                parked = false;
                task = slot.get();
            }
            return task;
        }
    }
}
