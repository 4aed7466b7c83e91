package dev.genai4j.data;

import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BatchesTest {
    private static List<int[]> sequences(int n) {
        List<int[]> s = new ArrayList<>();
        for (int i = 0; i < n; i++) s.add(new int[] {100 + i, 200 + i, 300 + i});
        return s;
    }

    private static List<Integer> firstIds(List<Batch> epoch) {
        List<Integer> out = new ArrayList<>();
        for (Batch b : epoch) for (int r = 0; r < b.batchSize(); r++) out.add(b.ids()[r * b.seqLen()]);
        return out;
    }

    @Test
    void eachEpochIsASeededPermutation() {
        Batches a = new Batches(sequences(10), 4, 0, 42, false);
        Batches b = new Batches(sequences(10), 4, 0, 42, false);
        assertEquals(3, a.size());
        List<Integer> e0 = firstIds(a.epoch(0));
        assertEquals(e0, firstIds(b.epoch(0)));
        assertEquals(e0, firstIds(a.epoch(0)));
        assertNotEquals(e0, firstIds(a.epoch(1)));
        assertNotEquals(e0, firstIds(new Batches(sequences(10), 4, 0, 43, false).epoch(0)));
        List<Integer> sorted = new ArrayList<>(e0);
        sorted.sort(null);
        assertEquals(List.of(100, 101, 102, 103, 104, 105, 106, 107, 108, 109), sorted);
        assertEquals(2, a.epoch(0).get(2).batchSize());
        assertEquals(2, new Batches(sequences(10), 4, 0, 42, true).epoch(0).size());
    }

    @Test
    void padsToTheLongestRowAndMasksPadding() {
        Batches bs = new Batches(List.of(new int[] {5, 6, 7}, new int[] {8}), 2, 0, 1, false);
        Batch b = bs.epoch(0).get(0);
        assertEquals(3, b.seqLen());
        int[] ids = b.ids(), mask = b.attentionMask();
        int rowOfLong = ids[0] == 5 ? 0 : 1, rowOfShort = 1 - rowOfLong;
        assertArrayEquals(new int[] {5, 6, 7}, Arrays.copyOfRange(ids, rowOfLong * 3, rowOfLong * 3 + 3));
        assertArrayEquals(new int[] {8, 0, 0}, Arrays.copyOfRange(ids, rowOfShort * 3, rowOfShort * 3 + 3));
        assertArrayEquals(new int[] {1, 0, 0}, Arrays.copyOfRange(mask, rowOfShort * 3, rowOfShort * 3 + 3));
        assertEquals(4, b.tokenCount());
        Tensor t = b.idsTensor();
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertEquals(8f, t.get(rowOfShort, 0));
        assertThrows(DataException.class, b::labelsTensor);

        int[] next = b.withNextTokenLabels().labels();
        assertArrayEquals(new int[] {6, 7, Batch.IGNORE}, Arrays.copyOfRange(next, rowOfLong * 3, rowOfLong * 3 + 3));
        assertArrayEquals(new int[] {Batch.IGNORE, Batch.IGNORE, Batch.IGNORE}, Arrays.copyOfRange(next, rowOfShort * 3, rowOfShort * 3 + 3));
    }

    @Test
    void badArgumentsAreTypedErrors() {
        assertThrows(DataException.class, () -> new Batches(sequences(3), 0, 0, 1, false));
        assertThrows(DataException.class, () -> new Batches(List.of(new int[0]), 1, 0, 1, false));
        assertThrows(DataException.class, () -> new Batch(2, 3, new int[5], new int[6], null));
    }
}
