package dev.genai4j.models.clip.train;

import dev.genai4j.data.DataException;
import dev.genai4j.data.render.ShapeDatasetWriter;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** CLIP pairs from a shape set: the held-out split, where the images come from, the phrasings, the errors. */
class ShapeClipPairsTest {
    @TempDir
    Path dir;

    private void write(int scenes) {
        ShapeDatasetWriter.write(new ShapeDatasetWriter.Options(scenes, 3, 0.4, 300, 8, 1, 1, 45, 8, PlyFile.Format.BINARY_LITTLE_ENDIAN), dir);
    }

    @Test
    void pairsComeFromTheTrainingCloudsOnlyAndAreAFunctionOfTheRng() throws Exception {
        write(8);
        List<String> lines = Files.readAllLines(dir.resolve("captions.jsonl"));
        // the held-out clouds are gone: opening and sampling must never need them
        for (String id : List.of("000005", "000006", "000007")) Files.delete(dir.resolve("clouds/" + id + ".ply"));
        ShapeClipPairs s = ShapeClipPairs.open(dir, 3);
        assertEquals(List.of("000000", "000001", "000002", "000003", "000004"), s.scenes().stream().map(e -> e.id()).toList());
        for (int i = 0; i < 5; i++) {
            String own = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(i)).get("caption").asText();
            assertEquals(own, s.captions().get(s.captionOptions(i)[0]), "a scene's own caption is its first option");
        }
        ClipTrainData d = ClipTrainData.shapes(s);
        assertEquals(s.captions(), d.captions());
        ClipTrainData.Batch a = d.sample(24, new Rng(11)), b = d.sample(24, new Rng(11));
        assertArrayEquals(a.pixels().toFloatArray(), b.pixels().toFloatArray());
        assertArrayEquals(a.captions(), b.captions());
        assertArrayEquals(new int[]{24, 3, 32, 32}, a.pixels().shape());
        float[] px = a.pixels().toFloatArray();
        float lo = 1, hi = -1;
        for (float v : px) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        assertTrue(lo >= -1 && hi <= 1 && hi > lo, "pixels in [-1, 1] with content: " + lo + ".." + hi);
        // each pair's caption is one of its scene's phrasings; scenes are identified by their group
        Set<Integer> allowed = new HashSet<>();
        for (int i = 0; i < 5; i++) for (int c : s.captionOptions(i)) allowed.add(c);
        for (int c : a.captions()) assertTrue(allowed.contains(c), s.captions().get(c));
    }

    @Test
    void theCloudsReadAreExactlyTheTrainingScenesPly() {
        write(6);
        ShapeClipPairs open = ShapeClipPairs.open(dir, 2);
        Set<Path> read = new HashSet<>();
        ShapeClipPairs s = ShapeClipPairs.of(open.scenes(), p -> {
            read.add(p);
            return PlyFile.read(p);
        });
        s.sample(64, new Rng(1));
        Set<Path> train = new HashSet<>();
        for (int i = 0; i < 4; i++) train.add(dir.resolve("clouds/00000" + i + ".ply"));
        assertEquals(train, read, "64 draws over 4 scenes reach all of them and nothing else");
    }

    @Test
    void phrasingsAreTheOwnCaptionThenTheCaptionWritersTemplates() {
        assertEquals(List.of("a small cone in red", "a small red cone", "a red cone that is small"), ShapeClipPairs.phrasings("a small cone in red"));
        assertEquals(List.of("a small red cone", "a small cone in red", "a red cone that is small"), ShapeClipPairs.phrasings("a small red cone"));
        assertEquals(List.of("a blue cube", "a medium-sized blue cube", "a cube in blue", "a medium-sized cube in blue", "a blue cube that is medium-sized"),
                ShapeClipPairs.phrasings("a blue cube"));
        List<String> pair = ShapeClipPairs.phrasings("a red cube on top of a small blue cone");
        assertEquals(5 * 3, pair.size());
        assertEquals("a red cube on top of a small blue cone", pair.get(0));
        assertEquals(List.of("a glorp on a table"), ShapeClipPairs.phrasings("a glorp on a table"));
        assertEquals("a medium-sized red cube on top of a small blue cone", ShapeClipPairs.canonical("a cube in red on top of a blue cone that is small"));
        assertEquals("a small red cone", ShapeClipPairs.canonical("a red cone that is small"));
    }

    @Test
    void subsetKeepsDistinctPointsAndSmallCloudsWhole() {
        float[] xyz = new float[3 * 10], rgb = new float[3 * 10];
        for (int i = 0; i < 10; i++) xyz[3 * i] = i;
        PointCloud c = new PointCloud(xyz, rgb);
        PointCloud s = CloudViews.subset(c, 4, new Rng(2));
        Set<Float> xs = new HashSet<>();
        for (int i = 0; i < 4; i++) xs.add(s.x(i));
        assertEquals(4, xs.size());
        assertSame(c, CloudViews.subset(c, 10, new Rng(2)));
    }

    @Test
    void badFoldersGiveErrorsNamingTheFile() throws Exception {
        DataException e = assertThrows(DataException.class, () -> ShapeClipPairs.open(dir.resolve("nope"), 100));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("pointe data"), e.getMessage());
        e = assertThrows(DataException.class, () -> ShapeClipPairs.open(dir, 100));
        assertTrue(e.getMessage().contains("captions.jsonl") && e.getMessage().contains("not found"), e.getMessage());
        Files.writeString(dir.resolve("captions.jsonl"), "{\"caption\":\"a red cube\",\"ply\":\"clouds/a.ply\",\"images\":[\"renders/a.png\"]}\n{oops\n");
        e = assertThrows(DataException.class, () -> ShapeClipPairs.open(dir, 0));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("JSON"), e.getMessage());
        Files.writeString(dir.resolve("captions.jsonl"), "{\"caption\":\"a red cube\",\"ply\":\"clouds/a.ply\",\"images\":[\"renders/a.png\"]}\n");
        e = assertThrows(DataException.class, () -> ShapeClipPairs.open(dir, 0));
        assertTrue(e.getMessage().contains("a.ply") && e.getMessage().contains("does not exist"), e.getMessage());
    }
}
