package dev.genai4j.data.render;

import dev.genai4j.data.DataException;
import dev.genai4j.data.shapes.CaptionParser;
import dev.genai4j.data.shapes.PlyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ShapeDatasetWriterTest {
    private static ShapeDatasetWriter.Options opts(long seed) {
        return new ShapeDatasetWriter.Options(4, seed, 0.5, 300, 24, 1, 2, 45, 12, PlyFile.Format.ASCII);
    }

    @Test
    void sameSeedSameFilesAndCaptionsDescribeTheClouds(@TempDir Path dir) throws Exception {
        ShapeDatasetWriter.Summary s = ShapeDatasetWriter.write(opts(3), dir.resolve("a"));
        ShapeDatasetWriter.write(opts(3), dir.resolve("b"));
        ShapeDatasetWriter.write(opts(4), dir.resolve("c"));
        assertEquals(4, s.examples());
        assertEquals(8, s.images());
        List<String> a = Files.readAllLines(dir.resolve("a/captions.jsonl"));
        assertEquals(a, Files.readAllLines(dir.resolve("b/captions.jsonl")));
        assertNotEquals(a, Files.readAllLines(dir.resolve("c/captions.jsonl")));
        for (String f : new String[]{"clouds/000003.ply", "renders/000002_1.png"}) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : a) {
            var node = json.readTree(line);
            var parsed = CaptionParser.parse(node.get("caption").asText());
            assertTrue(parsed.isExact(), line);
            assertEquals(parsed.specs().get(0).primitive().word(), node.get("objects").get(0).get("shape").asText());
            assertEquals(300, PlyFile.read(dir.resolve("a").resolve(node.get("ply").asText())).size());
        }
        assertThrows(DataException.class, () -> new ShapeDatasetWriter.Options(0, 0, 0, 1, 1, 1, 1, 45, 12, PlyFile.Format.ASCII));
    }
}
