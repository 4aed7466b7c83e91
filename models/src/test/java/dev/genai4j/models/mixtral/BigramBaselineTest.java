package dev.genai4j.models.mixtral;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The add-k bigram baseline against hand computations. */
class BigramBaselineTest {
    @Test
    void smoothedProbabilitiesAndPerplexityByHand() {
        // vocab 5, id 0 excluded as a target: V' = 4; pairs 1→2, 2→3, 1→2, 2→1 (0 never a target)
        BigramBaseline b = BigramBaseline.count(List.of(new int[] {1, 2, 3}, new int[] {1, 2, 1, 0}), 5, List.of(0), 0.5);
        assertEquals(2, b.count(1, 2));
        assertEquals(0, b.count(2, 2));
        // c(1) = 2, c(2) = 2 (2→3, 2→1); c(1→0) is excluded
        assertEquals((2 + 0.5) / (2 + 0.5 * 4), b.probability(1, 2), 1e-12);
        assertEquals((1 + 0.5) / (2 + 0.5 * 4), b.probability(2, 3), 1e-12);
        assertEquals(0.5 / (0 + 0.5 * 4), b.probability(4, 3), 1e-12);      // unseen context: uniform
        assertEquals(0, b.probability(3, 0), 0);
        double sum = 0;
        for (int n = 0; n < 5; n++) sum += b.probability(2, n);
        assertEquals(1.0, sum, 1e-12);
        // held out: 1→2, 2→2 (target 0 skipped)
        double expected = Math.exp(-(Math.log(b.probability(1, 2)) + Math.log(b.probability(2, 2))) / 2);
        assertEquals(expected, b.perplexity(List.of(new int[] {1, 2, 2, 0})), 1e-12);
    }

    @Test
    void badInputIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> BigramBaseline.count(List.of(new int[] {1, 7}), 5, List.of(), 0.1));
        assertThrows(IllegalArgumentException.class, () -> BigramBaseline.count(List.of(), 5, List.of(), 0));
    }
}
