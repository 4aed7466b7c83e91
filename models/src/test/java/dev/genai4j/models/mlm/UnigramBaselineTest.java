package dev.genai4j.models.mlm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The unigram baseline on a hand-counted case. */
class UnigramBaselineTest {
    // vocab 8, specials 0..3; ordinary ids 4..7 counted: 4 ×1, 5 ×3, 6 ×0, 7 ×2 → total 6, 4 ordinary ids
    static final UnigramBaseline U = UnigramBaseline.count(
            List.of(new int[] {2, 5, 7, 5, 3}, new int[] {2, 4, 5, 7, 0, 0}), 8, List.of(0, 1, 2, 3));

    @Test
    void mostFrequentIsTheTopCountedOrdinaryId() {
        assertEquals(5, U.mostFrequent());
    }

    @Test
    void probabilitiesAreAddOneSmoothedOverOrdinaryIds() {
        assertEquals(2.0 / 10, U.probability(4), 1e-12);
        assertEquals(4.0 / 10, U.probability(5), 1e-12);
        assertEquals(1.0 / 10, U.probability(6), 1e-12);   // never seen, still finite
        assertEquals(3.0 / 10, U.probability(7), 1e-12);
        assertEquals(0.0, U.probability(2));
    }

    @Test
    void accuracyAndPerplexityOnLabels() {
        int[] labels = {5, 7, 5, 6};
        assertEquals(0.5, U.accuracy(labels), 1e-12);
        double expected = Math.exp(-(Math.log(0.4) + Math.log(0.3) + Math.log(0.4) + Math.log(0.1)) / 4);
        assertEquals(expected, U.perplexity(labels), 1e-9);
    }

    @Test
    void tiesGoToTheSmallerId() {
        UnigramBaseline u = UnigramBaseline.count(List.of(new int[] {6, 4, 6, 4}), 8, List.of(0, 1, 2, 3));
        assertEquals(4, u.mostFrequent());
    }

    @Test
    void idOutsideTheVocabularyIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> UnigramBaseline.count(List.of(new int[] {9}), 8, List.of(0)));
        assertTrue(e.getMessage().contains("id 9"), e.getMessage());
    }
}
