package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void eachThreadRunsItsOwnBlockFromTheFrontAndOthersTakeOnlyFromTheBack() {
        // Two threads, eight ranges: the caller owns ranges 0-3, worker genai4j-1 owns 4-7. Whatever
        // the timing, the caller starts with range 0 if it runs any, and every range a thief took from a block lies
        // after every range the block's owner ran (so the owner's rows are the ones it read last time).
        for (int rep = 0; rep < 500; rep++) {
            String[] ranBy = new String[8];
            Thread caller = Thread.currentThread();
            java.util.List<Integer> callerOrder = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            Parallel.withThreads(2, () -> Parallel.forRange(8, 1, (from, to) -> {
                assertEquals(from + 1, to, "one index per range");
                ranBy[from] = Thread.currentThread().getName();
                if (Thread.currentThread() == caller) callerOrder.add(from);
                Thread.onSpinWait();
            }));
            // (a hot worker may finish its block and steal all of the caller's before the caller starts)
            if (!callerOrder.isEmpty()) assertEquals(0, callerOrder.get(0), "rep " + rep + ": the caller starts at the front of its block");
            String[] owner = {caller.getName(), "genai4j-1"};
            for (int block = 0; block < 2; block++) {
                int lastOwned = -1, firstStolen = Integer.MAX_VALUE;
                for (int r = 4 * block; r < 4 * block + 4; r++) {
                    if (ranBy[r].equals(owner[block])) lastOwned = Math.max(lastOwned, r);
                    else firstStolen = Math.min(firstStolen, r);
                }
                assertTrue(lastOwned < firstStolen, "rep " + rep + " block " + block + ": ran by " + java.util.Arrays.toString(ranBy));
            }
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

    @Test
    void loopsFromSeveralCallersAtOnceEachRunEveryIndexOnce() throws Exception {
        int callers = 4, n = 333, reps = 300;
        AtomicIntegerArray[] hits = new AtomicIntegerArray[callers];
        Thread[] threads = new Thread[callers];
        Throwable[] failed = new Throwable[1];
        for (int c = 0; c < callers; c++) {
            AtomicIntegerArray h = hits[c] = new AtomicIntegerArray(n);
            threads[c] = new Thread(() -> {
                for (int rep = 0; rep < reps; rep++) {
                    // a nested loop inside a range must run too (inline on whichever thread runs the range)
                    Parallel.forRange(n, 7, (from, to) -> Parallel.forRange(to - from, 1, (a, b) -> {
                        for (int i = from + a; i < from + b; i++) h.incrementAndGet(i);
                    }));
                }
            });
            threads[c].setUncaughtExceptionHandler((t, e) -> failed[0] = e);
            threads[c].start();
        }
        for (Thread t : threads) t.join();
        assertEquals(null, failed[0]);
        for (int c = 0; c < callers; c++)
            for (int i = 0; i < n; i++) assertEquals(reps, hits[c].get(i), "caller " + c + " index " + i);
    }

    @Test
    void rangesAreContiguousCoverTheInputAndRespectTheGrain() {
        int n = 1000, grain = 100;
        java.util.List<int[]> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Parallel.withThreads(2, () -> Parallel.forRange(n, grain, (from, to) -> seen.add(new int[]{from, to})));
        seen.sort(java.util.Comparator.comparingInt(r -> r[0]));
        int at = 0;
        for (int[] r : seen) {
            assertEquals(at, r[0], "ranges must tile [0, n) without gaps or overlaps");
            assertTrue(r[1] - r[0] >= grain, "range " + r[0] + ".." + r[1] + " is below the grain");
            at = r[1];
        }
        assertEquals(n, at);
    }

    @Test
    void aCallerInterruptedDuringALoopStillGetsEveryRangeRunAndKeepsItsFlag() {
        AtomicIntegerArray hits = new AtomicIntegerArray(64);
        Thread.currentThread().interrupt();
        Parallel.withThreads(2, () -> Parallel.forRange(64, 1, (from, to) -> {
            for (int i = from; i < to; i++) hits.incrementAndGet(i);
        }));
        assertTrue(Thread.interrupted(), "the interrupt flag must survive the loop");
        for (int i = 0; i < 64; i++) assertEquals(1, hits.get(i));
    }

    @Test
    void forChunksCoversEveryElementOnceInContiguousRanges() {
        for (int n : new int[]{1, 7, 100, 32_768, 100_003}) {
            for (int min : new int[]{1, 1000, 1 << 15}) {
                int[] hits = new int[n];
                java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
                Parallel.withThreads(2, () -> Parallel.forChunks(n, min, (from, to) -> {
                    assertTrue(from < to, "empty range " + from + ".." + to);
                    calls.incrementAndGet();
                    for (int i = from; i < to; i++) hits[i]++;
                }));
                for (int i = 0; i < n; i++) assertEquals(1, hits[i], "n=" + n + " min=" + min + " element " + i);
                if (n < 2 * min) assertEquals(1, calls.get(), "n=" + n + " min=" + min + ": below two chunks it runs as one range");
            }
        }
    }
}
