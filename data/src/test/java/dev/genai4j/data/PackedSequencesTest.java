package dev.genai4j.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PackedSequencesTest {
    private static final List<int[]> DOCS = List.of(new int[] {10, 11, 12}, new int[] {20, 21}, new int[] {30, 31, 32, 33, 34});

    @Test
    void lmBlocksConcatenateWithEosAndDropTheRemainder() {
        List<int[]> blocks = PackedSequences.forLm(4, 99).pack(DOCS);
        // stream: 10 11 12 99 20 21 99 30 31 32 33 34 99
        assertEquals(3, blocks.size());
        assertArrayEquals(new int[] {10, 11, 12, 99}, blocks.get(0));
        assertArrayEquals(new int[] {20, 21, 99, 30}, blocks.get(1));
        assertArrayEquals(new int[] {31, 32, 33, 34}, blocks.get(2));
    }

    @Test
    void mlmBlocksGetClsAndSep() {
        List<int[]> blocks = PackedSequences.forMlm(5, 1, 2).pack(DOCS);
        // content per block 3: 10 11 12 | 2 20 21 | 2 30 31 | 32 33 34 | 2 (dropped)
        assertEquals(4, blocks.size());
        assertArrayEquals(new int[] {1, 10, 11, 12, 2}, blocks.get(0));
        assertArrayEquals(new int[] {1, 2, 20, 21, 2}, blocks.get(1));
        assertArrayEquals(new int[] {1, 32, 33, 34, 2}, blocks.get(3));
    }

    @Test
    void remainderKeptWhenAsked() {
        List<int[]> blocks = new PackedSequences(6, -1, new int[0], new int[0], true).pack(DOCS);
        assertEquals(2, blocks.size());
        assertArrayEquals(new int[] {10, 11, 12, 20, 21, 30}, blocks.get(0));
        assertArrayEquals(new int[] {31, 32, 33, 34}, blocks.get(1));
    }

    @Test
    void blockWithoutRoomIsAnError() {
        assertThrows(DataException.class, () -> PackedSequences.forMlm(2, 1, 2));
    }
}
