package dev.genai4j.data.images;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genai4j.data.DataException;
import dev.genai4j.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir Path dir;

    /** Class c gets {@code rows} images whose pixel k is (c * 10 + row + k) % 256. */
    private void writeClasses(int rows, String extraRowsInClass0) throws Exception {
        for (int c = 0; c < 10; c++) {
            StringBuilder sb = new StringBuilder("{\"data\": [");
            for (int r = 0; r < rows; r++) {
                if (r > 0) sb.append(',');
                final int cc = c, rr = r;
                sb.append('[').append(IntStream.range(0, 784).mapToObj(k -> String.valueOf((cc * 10 + rr + k) % 256))
                        .collect(Collectors.joining(","))).append(']');
            }
            if (c == 0 && !extraRowsInClass0.isEmpty()) sb.append(',').append(extraRowsInClass0);
            sb.append("], \"other\": {\"x\": [1, 2]}}");
            Files.writeString(dir.resolve(c + ".json"), sb.toString());
        }
    }

    @Test
    void readsRowsSkipsMalformedOnesAndScalesPadded() throws Exception {
        writeClasses(3, "[], [1, 2, 3], [" + "300,".repeat(783) + "300]");
        FashionMnist fm = FashionMnist.load(dir);
        assertEquals(30, fm.size());
        assertEquals(3, fm.skippedRows());
        assertEquals(2, fm.label(7));
        assertEquals((2 * 10 + 1 + 5 * 28 + 4) % 256, fm.pixel(7, 5, 4)); // class 2, row 1, y 5, x 4

        Tensor x = fm.images(new int[] {7, 0}, 2, -1f, 1f);
        assertArrayEquals(new int[] {2, 1, 32, 32}, x.shape());
        float[] v = x.toFloatArray();
        assertEquals(-1f, v[0], 0f); // padding is the background
        assertEquals(-1f + 2f * fm.pixel(7, 5, 4) / 255f, v[(5 + 2) * 32 + 4 + 2], 1e-6f);
        assertEquals(-1f + 2f * fm.pixel(0, 0, 0) / 255f, v[32 * 32 + 2 * 32 + 2], 1e-6f);
    }

    @Test
    void splitIsSeededStratifiedAndDisjoint() throws Exception {
        writeClasses(20, "");
        FashionMnist fm = FashionMnist.load(dir);
        FashionMnist.Split a = fm.split(5, 4);
        FashionMnist.Split b = fm.split(5, 4);
        FashionMnist.Split c = fm.split(6, 4);
        assertArrayEquals(a.test(), b.test());
        assertFalse(Arrays.equals(a.test(), c.test()));
        assertEquals(40, a.test().length);
        assertEquals(160, a.train().length);
        for (int k = 0; k < 10; k++) {
            final int cls = k;
            assertEquals(4, Arrays.stream(a.test()).filter(i -> fm.label(i) == cls).count());
        }
        assertTrue(IntStream.concat(Arrays.stream(a.train()), Arrays.stream(a.test())).distinct().count() == 200);
        assertThrows(IllegalArgumentException.class, () -> fm.split(5, 21));
    }

    @Test
    void missingAndMalformedFilesAreNamed() throws Exception {
        MissingImageDataException missing = assertThrows(MissingImageDataException.class, () -> FashionMnist.load(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("scripts/fetch-images.sh"), missing.getMessage());
        writeClasses(1, "");
        Files.writeString(dir.resolve("4.json"), "[1, 2]");
        DataException bad = assertThrows(DataException.class, () -> FashionMnist.load(dir));
        assertTrue(bad.getMessage().contains("4.json") && bad.getMessage().contains("expected"), bad.getMessage());
    }

    @Test
    void splitMix64MatchesItsPublishedFirstOutput() {
        // SplitMix64 seeded with 0 starts 0xE220A8397B1DCDAF (Steele et al.; the usual test vector)
        assertEquals(0xE220A8397B1DCDAFL, new SeededShuffle(0).next());
    }

    @Test
    void realPackageHas70000ImagesAndTheStandardSplit() {
        Path clothes = ImageData.packageDir(FashionMnist.PACKAGE).resolve("src").resolve("clothes");
        assumeTrue(Files.isDirectory(clothes), "Fashion-MNIST not fetched (bash scripts/fetch-images.sh)");
        FashionMnist fm = FashionMnist.load(clothes);
        assertEquals(70_000, fm.size());
        assertEquals(2, fm.skippedRows());
        FashionMnist.Split split = fm.standardSplit();
        assertEquals(10_000, split.test().length);
        assertEquals(60_000, split.train().length);
        for (int c = 0; c < 10; c++) assertEquals(7_000, fm.membersOf(c).length);
        assertEquals(1_000, Arrays.stream(split.test()).filter(i -> fm.label(i) == 9).count());
    }
}
