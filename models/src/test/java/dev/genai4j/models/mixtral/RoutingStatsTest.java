package dev.genai4j.models.mixtral;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The §5 statistics against hand computations. */
class RoutingStatsTest {
    @Test
    void sharesRepeatsAndOverlapsOfAHandWrittenRouting() {
        // 2 sequences × 3 tokens, k = 2, 4 experts; slot 0 is the first choice
        int[] experts = {
                0, 1,   1, 0,   1, 2,      // seq 0: (0,1)→(1,0): first differs, sets meet; (1,0)→(1,2): first repeats, meet
                3, 2,   0, 1,   0, 3};     // seq 1: (3,2)→(0,1): neither; (0,1)→(0,3): first repeats, meet
        RoutingStats s = new RoutingStats(1, 4, 2);
        s.add(0, experts, 2, 3);
        assertEquals(6, s.tokens(0));
        assertEquals(4, s.pairs(0));                       // pairs never cross sequences
        assertEquals(2.0 / 4, s.firstChoiceRepeat(0), 1e-12);
        assertEquals(3.0 / 4, s.topKOverlap(0), 1e-12);
        // assignments: e0 ×4, e1 ×4, e2 ×2, e3 ×2 of 12
        assertEquals(4.0 / 12, s.share(0, 0), 1e-12);
        assertEquals(4.0 / 12, s.share(0, 1), 1e-12);
        assertEquals(2.0 / 12, s.share(0, 2), 1e-12);
        assertEquals(2.0 / 12, s.share(0, 3), 1e-12);
    }

    @Test
    void pairsAcrossTheBoundaryOfTwoCallsAreNotCounted() {
        RoutingStats s = new RoutingStats(2, 8, 2);
        s.add(1, new int[] {4, 5, 4, 6}, 1, 2);
        s.add(1, new int[] {4, 5, 7, 6}, 1, 2);
        assertEquals(2, s.pairs(1));
        assertEquals(0.5, s.firstChoiceRepeat(1), 1e-12);
        assertEquals(0.5, s.topKOverlap(1), 1e-12);         // (4,5)→(4,6) meets, (4,5)→(7,6) does not
        assertEquals(0, s.pairs(0));
        assertTrue(Double.isNaN(s.firstChoiceRepeat(0)));
    }

    @Test
    void randomBaselinesAreThePapers() {
        assertEquals(0.125, RoutingStats.firstChoiceBaseline(8), 1e-12);
        assertEquals(1 - (6.0 / 8) * (5.0 / 7), RoutingStats.overlapBaseline(8, 2), 1e-12);   // ≈ 46.4 %
        assertEquals(1.0 / 8, RoutingStats.overlapBaseline(8, 1), 1e-12);
        assertEquals(1.0, RoutingStats.overlapBaseline(3, 2), 1e-12);                         // two of three always meet
    }

    @Test
    void badInputIsNamed() {
        RoutingStats s = new RoutingStats(1, 4, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> s.add(0, new int[] {0, 1, 2}, 1, 2));
        assertTrue(e.getMessage().contains("3 choices"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.add(0, new int[] {0, 4}, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new RoutingStats(1, 4, 5));
    }
}
