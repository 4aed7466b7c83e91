package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.SegmentStorage;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The packed-weight cache keeps read-only weights, and never those a model marked {@link GemmPackedB#neverCache}. */
class GemmPackedBTest {
    private static SegmentStorage readOnlyWeight(Arena arena, int k, int n) {
        MemorySegment s = arena.allocate((long) k * n * 4);
        for (int i = 0; i < k * n; i++) s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, i % 7);
        return new SegmentStorage(s, DType.F32, false);
    }

    @Test
    void cachesReadOnlyWeightsUnlessToldNever() {
        int k = 33, n = 40;
        try (Arena arena = Arena.ofConfined()) {
            SegmentStorage kept = readOnlyWeight(arena, k, n), skipped = readOnlyWeight(arena, k, n), dropped = readOnlyWeight(arena, k, n);
            float[][] first = GemmPackedB.slabs(kept, 0, n, 1, k, n);
            assertNotNull(first);
            assertSame(first, GemmPackedB.slabs(kept, 0, n, 1, k, n));              // packed once, then reused
            GemmPackedB.neverCache(skipped);
            assertNull(GemmPackedB.slabs(skipped, 0, n, 1, k, n));
            long before = GemmPackedB.cachedFloats();
            assertNotNull(GemmPackedB.slabs(dropped, 0, n, 1, k, n));
            long held = GemmPackedB.cachedFloats() - before;
            GemmPackedB.neverCache(dropped);                                       // an entry already cached is released
            assertEquals(before, GemmPackedB.cachedFloats());
            assertNull(GemmPackedB.slabs(dropped, 0, n, 1, k, n));
            assertEquals(true, held > 0);
        }
    }
}
