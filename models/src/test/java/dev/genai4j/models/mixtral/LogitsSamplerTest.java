package dev.genai4j.models.mixtral;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The logits processors on hand-made rows. */
class LogitsSamplerTest {
    private static final float[] ROW = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)};

    private static Set<Integer> drawn(GenerationOptions o, int times) {
        Set<Integer> seen = new HashSet<>();
        for (int s = 0; s < times; s++) seen.add(new LogitsSampler(o.withSeed(s)).next(ROW.clone(), 0, 4, new boolean[4]));
        return seen;
    }

    @Test
    void topPKeepsTheNucleus() {
        // ascending cumulative mass 0.05, 0.20, 0.50, 1.0: with top_p 0.8 the two whose cumulative mass ≤ 0.2 go
        assertEquals(Set.of(0, 1), drawn(GenerationOptions.sampling(1, 1f).withTopP(0.8f), 200));
        assertEquals(Set.of(0), drawn(GenerationOptions.sampling(1, 1f).withTopP(0.3f), 100));
        assertEquals(Set.of(0, 1, 2, 3), drawn(GenerationOptions.sampling(1, 1f), 400));
    }

    @Test
    void topKKeepsTheKBest() {
        assertEquals(Set.of(0, 1, 2), drawn(GenerationOptions.sampling(1, 1f).withTopK(3), 300));
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        float[] row = {2f, -1f, 1.5f};
        boolean[] seen = {true, true, false};
        int next = new LogitsSampler(GenerationOptions.greedy(1).withRepetitionPenalty(2f)).next(row, 0, 3, seen);
        assertEquals(1f, row[0]);
        assertEquals(-2f, row[1]);
        assertEquals(1.5f, row[2]);
        assertEquals(2, next);
    }

    @Test
    void samplingFollowsTheDistribution() {
        int[] counts = new int[4];
        LogitsSampler s = new LogitsSampler(GenerationOptions.sampling(1, 1f).withSeed(42));
        for (int i = 0; i < 20000; i++) counts[s.next(ROW.clone(), 0, 4, new boolean[4])]++;
        double[] p = {0.5, 0.3, 0.15, 0.05};
        for (int i = 0; i < 4; i++) assertEquals(p[i], counts[i] / 20000.0, 0.015, "token " + i);
        assertTrue(LogitsSampler.argmax(new float[]{0f, 3f, 3f, 1f}, 0, 4) == 1);   // ties: first index, as torch.argmax
    }
}
