package dev.genai4j.data;

import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class MlmCollatorTest {
    private static final int PAD = 0, CLS = 1, SEP = 2, MASK = 3, V = 1000;

    /** [B, T] = [64, 512] of ordinary ids with CLS/SEP at the ends and padding in the last rows. */
    private static Batch batch() {
        int b = 64, t = 512;
        int[] ids = new int[b * t], mask = new int[b * t];
        Random r = new Random(5);
        for (int row = 0; row < b; row++) {
            int len = row % 8 == 7 ? 300 : t;
            for (int i = 0; i < len; i++) {
                ids[row * t + i] = i == 0 ? CLS : i == len - 1 ? SEP : 4 + r.nextInt(V - 4);
                mask[row * t + i] = 1;
            }
        }
        return new Batch(b, t, ids, mask, null);
    }

    @Test
    void maskRateAndEightyTenTenSplit() {
        Batch in = batch();
        Batch out = new MlmCollator(V, MASK, List.of(PAD, CLS, SEP), MlmCollator.MODERNBERT_MASK_RATE, 42).collate(in);
        int eligible = 0, chosen = 0, masked = 0, random = 0, kept = 0;
        for (int i = 0; i < in.ids().length; i++) {
            int orig = in.ids()[i], now = out.ids()[i], label = out.labels()[i];
            boolean special = orig == PAD || orig == CLS || orig == SEP || in.attentionMask()[i] == 0;
            if (special) {
                assertEquals(orig, now, "special or padding changed at " + i);
                assertEquals(Batch.IGNORE, label);
                continue;
            }
            eligible++;
            if (label == Batch.IGNORE) { assertEquals(orig, now); continue; }
            assertEquals(orig, label);
            chosen++;
            if (now == MASK) masked++;
            else if (now == orig) kept++;
            else {
                random++;
                assertTrue(now > SEP && now != MASK, "replacement " + now + " is special");
            }
        }
        double rate = (double) chosen / eligible;
        assertTrue(Math.abs(rate - 0.30) < 0.01, "mask rate " + rate);
        // "kept" includes random draws that hit the original id (1 in ~1000 of the 10 %)
        assertTrue(Math.abs((double) masked / chosen - 0.8) < 0.015, "masked share " + (double) masked / chosen);
        assertTrue(Math.abs((double) random / chosen - 0.1) < 0.01, "random share " + (double) random / chosen);
        assertTrue(Math.abs((double) kept / chosen - 0.1) < 0.01, "kept share " + (double) kept / chosen);
        assertArrayEquals(in.attentionMask(), out.attentionMask());
    }

    @Test
    void sameSeedSameMasks() {
        Batch in = batch();
        Batch a = new MlmCollator(V, MASK, List.of(PAD, CLS, SEP), 0.15, 9).collate(in);
        Batch b = new MlmCollator(V, MASK, List.of(PAD, CLS, SEP), 0.15, 9).collate(in);
        Batch c = new MlmCollator(V, MASK, List.of(PAD, CLS, SEP), 0.15, 10).collate(in);
        assertArrayEquals(a.ids(), b.ids());
        assertArrayEquals(a.labels(), b.labels());
        assertFalse(java.util.Arrays.equals(a.labels(), c.labels()));
        Tensor labels = a.labelsTensor();
        assertArrayEquals(new int[] {64, 512}, labels.shape());
    }

    @Test
    void singleSequenceAndErrors() {
        MlmCollator mlm = new MlmCollator(10, MASK, List.of(PAD, CLS, SEP), 0.5, 1);
        MlmCollator.Masked r = mlm.mask(new int[] {CLS, 5, 6, 7, 8, 9, SEP});
        assertEquals(CLS, r.inputs()[0]);
        assertEquals(Batch.IGNORE, r.labels()[0]);
        assertEquals(SEP, r.inputs()[6]);
        for (int i = 1; i < 6; i++) assertTrue(r.labels()[i] == Batch.IGNORE || r.labels()[i] == 4 + i, "label " + r.labels()[i]);
        assertThrows(DataException.class, () -> mlm.mask(new int[] {CLS, 10}));
        assertThrows(DataException.class, () -> new MlmCollator(10, 10, List.of(), 0.3, 1));
        assertThrows(DataException.class, () -> new MlmCollator(10, MASK, List.of(), 1.0, 1));
        assertThrows(DataException.class, () -> new MlmCollator(4, MASK, List.of(0, 1, 2), 0.3, 1));
    }
}
