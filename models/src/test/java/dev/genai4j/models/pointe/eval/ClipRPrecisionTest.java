package dev.genai4j.models.pointe.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rank logic of CLIP R-precision on hand-made embeddings. */
class ClipRPrecisionTest {
    // candidates at angles 0°, 45°, 90°, 180° in the plane; lengths differ (cosine ignores them)
    private static final float[][] CANDIDATES = {{2, 0}, {1, 1}, {0, 3}, {-1, 0}};

    @Test
    void theTrueCaptionsRankIsOnePlusTheCandidatesMoreSimilar() {
        float[] image = {1, 0.1f};                                         // ~6°: order 0°, 45°, 90°, 180°
        assertEquals(1, ClipRPrecision.rank(image, CANDIDATES, 0));
        assertEquals(2, ClipRPrecision.rank(image, CANDIDATES, 1));
        assertEquals(3, ClipRPrecision.rank(image, CANDIDATES, 2));
        assertEquals(4, ClipRPrecision.rank(image, CANDIDATES, 3));
        float[] up = {0.1f, 5};                                            // ~89°: order 90°, 45°, 0°, 180°
        assertEquals(1, ClipRPrecision.rank(up, CANDIDATES, 2));
        assertEquals(2, ClipRPrecision.rank(up, CANDIDATES, 1));
        assertEquals(3, ClipRPrecision.rank(up, CANDIDATES, 0));
    }

    @Test
    void tiesCountAgainstTheCloudSoAConstantJudgeNeverScores() {
        float[][] same = {{1, 1}, {1, 1}, {1, 1}};                         // all the same
        for (int t = 0; t < 3; t++) assertEquals(3, ClipRPrecision.rank(new float[]{1, 0}, same, t));
        float[][] quarter = {{1, 0}, {1, 1}, {0, 1}};
        float[] between = {1, 1};                                          // 45°: 0° and 90° tie at cos 0.707, 45° wins
        assertEquals(1, ClipRPrecision.rank(between, quarter, 1));
        assertEquals(3, ClipRPrecision.rank(between, quarter, 0));
        assertEquals(3, ClipRPrecision.rank(between, quarter, 2));
        float[] zero = {0, 0};                                             // no direction: every cosine 0, all tie
        assertEquals(4, ClipRPrecision.rank(zero, CANDIDATES, 0));
    }

    @Test
    void r1IsTheShareOfFirstRanks() {
        assertEquals(0.5, ClipRPrecision.r1(new int[]{1, 2, 1, 7}));
        assertEquals(0.0, ClipRPrecision.r1(new int[]{2, 3}));
        assertEquals(1.0, ClipRPrecision.r1(new int[]{1}));
        assertTrue(Double.isNaN(ClipRPrecision.r1(new int[0])));
    }

    @Test
    void thePoolIsTheDistinctCaptionsInFirstSeenOrder() {
        assertEquals(List.of("a red cube", "a blue cone", "a cube in red"),
                ClipRPrecision.pool(List.of("a red cube", "a blue cone", "a red cube", "a cube in red", "a blue cone")));
    }

    @Test
    void aTruthOutsideThePoolIsAnError() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> ClipRPrecision.rank(new float[]{1, 0}, CANDIDATES, 4));
        assertTrue(e.getMessage().contains("pool of 4"), e.getMessage());
        assertThrows(dev.genai4j.data.DataException.class, () -> ClipRPrecision.rank(new float[]{1, 0, 0}, CANDIDATES, 0));
    }
}
