package dev.genai4j.server;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bound on model work: at most {@code capacity} requests hold a slot at once (waiting for the
 * batcher or a model, or running). A request that finds no free slot is answered 503 with
 * {@code Retry-After} at once instead of piling up threads and memory.
 *
 * <pre>{@code
 * try (WorkQueue.Slot s = work.admit()) {
 *     return batcher.embed(texts);   // the slot is held while the request waits and runs
 * }
 * }</pre>
 */
public final class WorkQueue {
    private final int capacity;
    private final int retryAfterSeconds;
    private final Semaphore slots;
    private final Metrics metrics;

    public WorkQueue(int capacity, int retryAfterSeconds, Metrics metrics) {
        if (capacity < 1) throw new IllegalArgumentException("WorkQueue: capacity must be ≥ 1, got " + capacity);
        this.capacity = capacity;
        this.retryAfterSeconds = retryAfterSeconds;
        this.slots = new Semaphore(capacity);
        this.metrics = metrics;
    }

    /** A held slot; closing it (once or more) frees it. */
    public final class Slot implements AutoCloseable {
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Slot() {}

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) slots.release();
        }
    }

    /** A slot, or 503 {@code queue_full} with {@code Retry-After} when all are taken. */
    public Slot admit() {
        if (!slots.tryAcquire()) {
            metrics.rejected();
            throw ApiException.unavailable("queue_full", "the server is busy: " + capacity
                    + " requests are already queued or running (its limit); retry after " + retryAfterSeconds + " s", retryAfterSeconds);
        }
        return new Slot();
    }

    /** Slots taken now: the queue depth. */
    public int depth() { return capacity - slots.availablePermits(); }

    public int capacity() { return capacity; }
}
