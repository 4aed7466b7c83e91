package dev.genai4j.models.diffusion.rl;

import dev.genai4j.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The DPOK replay buffer survives a checkpoint: same transitions, same ring order, same draws. */
class ReplayBufferTest {
    private static final int[] IMAGE = {1, 2, 2}, TEXT = {3, 2};

    private static ReplayBuffer.Transition transition(int i) {
        float[] x = new float[4], xp = new float[4], text = new float[6];
        java.util.Arrays.fill(x, i);
        java.util.Arrays.fill(xp, -i);
        java.util.Arrays.fill(text, 0.5f * i);
        return new ReplayBuffer.Transition(x, xp, 100 - i, 90 - i, text, "prompt " + i, -0.1f * i, i * 2f);
    }

    @Test
    void stateRoundTripsAcrossTheRingWrap() {
        ReplayBuffer a = new ReplayBuffer(5);
        for (int i = 0; i < 8; i++) a.add(transition(i));                     // 0..2 overwritten; ring holds 3..7
        Map<String, dev.genai4j.tensor.Tensor> state = a.tensorState(IMAGE, TEXT);
        assertArrayEquals(new int[]{5, 1, 2, 2}, state.get("xt").shape());
        assertArrayEquals(new int[]{5, 3, 2}, state.get("text").shape());
        assertEquals(List.of("prompt 5", "prompt 6", "prompt 7", "prompt 3", "prompt 4"), a.prompts(), "storage order");
        assertEquals(3, a.nextSlot(), "the oldest, 3, is overwritten next");
        assertArrayEquals(new float[]{95, 94, 93, 97, 96}, state.get("t").toFloatArray());

        ReplayBuffer b = new ReplayBuffer(5);
        b.restore(state, a.prompts(), a.nextSlot());
        assertEquals(5, b.size());
        assertEquals(a.rewardStd(), b.rewardStd(), 1e-12);
        // the next add overwrites the oldest (3) in both
        a.add(transition(8));
        b.add(transition(8));
        assertEquals(a.prompts(), b.prompts());
        ReplayBuffer.Batch da = a.sample(6, new Rng(3), IMAGE, TEXT), db = b.sample(6, new Rng(3), IMAGE, TEXT);
        assertArrayEquals(da.xt().toFloatArray(), db.xt().toFloatArray());
        assertArrayEquals(da.rewards(), db.rewards());
        assertEquals(da.prompts(), db.prompts());
    }

    @Test
    void restoringIntoASmallerBufferKeepsTheNewestAndMismatchesAreNamed() {
        ReplayBuffer a = new ReplayBuffer(4);
        for (int i = 0; i < 6; i++) a.add(transition(i));                     // storage: 4 5 2 3, next 2
        ReplayBuffer small = new ReplayBuffer(2);
        small.restore(a.tensorState(IMAGE, TEXT), a.prompts(), a.nextSlot());
        assertEquals(List.of("prompt 4", "prompt 5"), small.prompts(), "the two newest");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReplayBuffer(4).restore(a.tensorState(IMAGE, TEXT), List.of("only one"), 0));
        assertTrue(e.getMessage().contains("rows, expected 1"), e.getMessage());
        Map<String, dev.genai4j.tensor.Tensor> missing = new java.util.LinkedHashMap<>(a.tensorState(IMAGE, TEXT));
        missing.remove("reward");
        e = assertThrows(IllegalArgumentException.class, () -> new ReplayBuffer(4).restore(missing, a.prompts(), 0));
        assertTrue(e.getMessage().contains("'reward'"), e.getMessage());
        ReplayBuffer empty = new ReplayBuffer(3);
        assertTrue(empty.tensorState(IMAGE, TEXT).isEmpty());
        empty.restore(Map.of(), List.of(), 0);
        assertEquals(0, empty.size());
    }
}
