package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bf16 and f16 narrowing at the bit level: ties to even, NaN, infinities, overflow, subnormals, −0. */
class HalfFloatsTest {
    private static short bf16(int floatBits) { return HalfFloats.floatToBf16(Float.intBitsToFloat(floatBits)); }

    private static void assertBits(int expected, short actual) {
        assertEquals(expected & 0xFFFF, actual & 0xFFFF, () -> String.format("expected 0x%04X got 0x%04X", expected & 0xFFFF, actual & 0xFFFF));
    }

    @Test
    void bf16RoundsToNearestEven() {
        assertBits(0x3F80, bf16(0x3F800000));           // 1.0 exact
        assertBits(0x3F80, bf16(0x3F807FFF));           // just below half an ulp: down
        assertBits(0x3F81, bf16(0x3F808001));           // just above: up
        assertBits(0x3F80, bf16(0x3F808000));           // tie, 0x3F80 even: stays
        assertBits(0x3F82, bf16(0x3F818000));           // tie, 0x3F81 odd: up to even
        assertBits(0xBF82, bf16(0xBF818000));           // negative ties mirror
        assertBits(0xBF80, bf16(0xBF808000));
        assertBits(0x4000, bf16(0x3FFF8000));           // tie carrying into the exponent
    }

    @Test
    void bf16SpecialValues() {
        assertBits(0x7F80, bf16(0x7F800000));           // +Inf
        assertBits(0xFF80, bf16(0xFF800000));           // −Inf
        assertBits(0x8000, bf16(0x80000000));           // −0 keeps its sign
        assertBits(0x0000, bf16(0x00000000));
        // NaN stays NaN even when only low mantissa bits are set (naive rounding would give Inf)
        for (int nan : new int[]{0x7FC00000, 0x7F800001, 0x7F80FFFF, 0xFFC00001, 0xFF800001}) {
            short b = bf16(nan);
            assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(b)), () -> Integer.toHexString(nan));
            assertEquals(nan >>> 31, (b >>> 15) & 1, "sign of NaN kept");
        }
        // overflow: the largest floats round up to Inf, the largest bf16 stays finite
        assertBits(0x7F80, bf16(0x7F7FFFFF));            // Float.MAX_VALUE
        assertBits(0x7F80, bf16(0x7F7F8000));            // tie above max bf16 (odd) → Inf, as torch
        assertBits(0x7F7F, bf16(0x7F7F7FFF));
        assertBits(0xFF80, bf16(0xFF7FFFFF));
        // subnormals round like any other value
        assertBits(0x0000, bf16(0x00000001));
        assertBits(0x0000, bf16(0x00008000));            // tie to even 0
        assertBits(0x0002, bf16(0x00018000));            // tie to even 2
        assertBits(0x0001, bf16(0x00010000));
        assertEquals(Float.intBitsToFloat(0x00010000), HalfFloats.bf16ToFloat((short) 0x0001));
        assertEquals(-0f, HalfFloats.bf16ToFloat((short) 0x8000));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(HalfFloats.bf16ToFloat((short) 0x8000)));
    }

    @Test
    void everyBf16ValueRoundTrips() {
        for (int b = 0; b < 0x10000; b++) {
            float v = HalfFloats.bf16ToFloat((short) b);
            if (Float.isNaN(v)) {
                assertTrue(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v))));
            } else {
                assertBits(b, HalfFloats.floatToBf16(v));
                assertEquals(v, HalfFloats.roundToBf16(v));
            }
        }
    }

    @Test
    void f16BitExpectations() {
        assertBits(0x3C00, HalfFloats.floatToF16(1f));
        assertBits(0xBC00, HalfFloats.floatToF16(-1f));
        assertBits(0x3C00, HalfFloats.floatToF16(1f + 0x1p-11f));            // tie, even stays
        assertBits(0x3C02, HalfFloats.floatToF16(1f + 3 * 0x1p-11f));        // tie, odd goes up
        assertBits(0x3C01, HalfFloats.floatToF16(Math.nextUp(1f + 0x1p-11f)));
        assertBits(0x7BFF, HalfFloats.floatToF16(65504f));                    // largest f16
        assertBits(0x7BFF, HalfFloats.floatToF16(65519f));
        assertBits(0x7C00, HalfFloats.floatToF16(65520f));                    // tie above max → Inf
        assertBits(0x7C00, HalfFloats.floatToF16(1e6f));
        assertBits(0xFC00, HalfFloats.floatToF16(-1e6f));
        assertBits(0x7C00, HalfFloats.floatToF16(Float.POSITIVE_INFINITY));
        assertBits(0x8000, HalfFloats.floatToF16(-0f));
        assertBits(0x0400, HalfFloats.floatToF16(0x1p-14f));                 // smallest normal
        assertBits(0x0001, HalfFloats.floatToF16(0x1p-24f));                 // smallest subnormal
        assertBits(0x0000, HalfFloats.floatToF16(0x1p-25f));                 // tie to even 0
        assertBits(0x0002, HalfFloats.floatToF16(3 * 0x1p-25f));             // tie to even 2
        assertBits(0x0001, HalfFloats.floatToF16(Math.nextUp(0x1p-25f)));
        assertBits(0x0000, HalfFloats.floatToF16(1e-10f));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.NaN))));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.intBitsToFloat(0x7F800001)))));
        assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 1));
        assertEquals(65504f, HalfFloats.f16ToFloat((short) 0x7BFF));
    }

    @Test
    void f16MatchesAnIndependentNearestEvenReference() {
        // every finite non-negative f16 value, ascending with its bit pattern
        float[] table = new float[0x7C01];
        for (int b = 0; b <= 0x7C00; b++) table[b] = HalfFloats.f16ToFloat((short) b);
        for (int b = 0; b < 0x7C00; b++) assertBits(b, HalfFloats.floatToF16(table[b]));
        Rng rng = new Rng(11);
        for (int i = 0; i < 20000; i++) {
            // random floats across the f16 range, plus the exact midpoints between neighbours
            int b = rng.nextInt(0x7C00);
            float v = i % 2 == 0 ? (float) (table[b] + (table[b + 1] - (double) table[b]) * rng.uniform())
                    : (float) ((table[b] + (double) table[b + 1]) / 2);
            int expected = reference(table, v);
            assertBits(expected, HalfFloats.floatToF16(v));
            assertBits(expected | 0x8000, HalfFloats.floatToF16(-v));
        }
    }

    /** Nearest entry of the table by binary search, ties to the even bit pattern; 0x7C00 (Inf) from 65520 up. */
    private static int reference(float[] table, float v) {
        if (v >= 65520f) return 0x7C00;
        int lo = 0, hi = 0x7BFF;
        while (lo < hi) {                      // largest index with table[idx] <= v
            int mid = (lo + hi + 1) >>> 1;
            if (table[mid] <= v) lo = mid; else hi = mid - 1;
        }
        if (table[lo] == v) return lo;
        double below = v - (double) table[lo], above = (double) table[lo + 1] - v;
        if (below < above) return lo;
        if (above < below) return lo + 1;
        return (lo & 1) == 0 ? lo : lo + 1;
    }
}
