package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Parallel loops: every index runs exactly once on two threads, and a failure in any range reaches the caller. */
class ParallelTest {
    @Test
    void everyIndexRunsExactlyOnceOnTwoThreads() {
        for (int n : new int[]{1, 2, 3, 7, 100, 1001}) {
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            for (int rep = 0; rep < 200; rep++) {
                Parallel.withThreads(2, () -> Parallel.forRange(n, 1, (from, to) -> {
                    for (int i = from; i < to; i++) hits.incrementAndGet(i);
                }));
            }
            for (int i = 0; i < n; i++) assertEquals(200, hits.get(i), "n=" + n + " index " + i);
        }
    }

    @Test
    void aFailureInAnyRangeReachesTheCaller() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.withThreads(2,
                () -> Parallel.forRange(10, 1, (from, to) -> {
                    if (to == 10) throw new IllegalArgumentException("last range");
                })));
        assertEquals("last range", e.getMessage());
    }
}
