package dev.genai4j.data.shapes;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class PointCloudSubsetTest {
    /** Point i at (i, 2i, 3i) with colour (i/10, 0, 1). */
    private static PointCloud numbered(int n) {
        float[] xyz = new float[3 * n], rgb = new float[3 * n];
        for (int i = 0; i < n; i++) {
            xyz[3 * i] = i;
            xyz[3 * i + 1] = 2 * i;
            xyz[3 * i + 2] = 3 * i;
            rgb[3 * i] = i / 10f;
            rgb[3 * i + 2] = 1f;
        }
        return new PointCloud(xyz, rgb);
    }

    @Test
    void distinctWholePointsSameForTheSameSeed() {
        PointCloud c = numbered(10);
        PointCloud a = c.randomSubset(7, new SplittableRandom(5)::nextInt), b = c.randomSubset(7, new SplittableRandom(5)::nextInt);
        assertEquals(7, a.size());
        assertArrayEquals(a.xyz(), b.xyz());
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            int id = (int) a.x(i);
            assertTrue(seen.add(id), "point " + id + " chosen twice");
            assertEquals(2f * id, a.y(i));
            assertEquals(3f * id, a.z(i));
            assertEquals(id / 10f, a.rgb()[3 * i], 1e-7f, "colour travels with its point");
        }
        // the first draw picks index nextInt(10) of the identity order
        assertEquals(new SplittableRandom(5).nextInt(10), (int) a.x(0));
    }

    @Test
    void allPointsArePermutedAndTooManyAreRefused() {
        PointCloud c = numbered(5);
        PointCloud all = c.randomSubset(5, new SplittableRandom(1)::nextInt);
        float sum = 0;
        for (int i = 0; i < 5; i++) sum += all.x(i);
        assertEquals(0 + 1 + 2 + 3 + 4, sum, 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.randomSubset(6, new SplittableRandom(1)::nextInt));
        assertTrue(e.getMessage().contains("6") && e.getMessage().contains("5"), e.getMessage());
    }
}
