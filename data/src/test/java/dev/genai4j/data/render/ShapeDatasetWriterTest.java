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

    @Test
    void aFartherCameraKeepsTheScenesAndAnglesAndDrawsTheObjectsSmaller(@TempDir Path dir) throws Exception {
        var near = opts(3);
        var far = new ShapeDatasetWriter.Options(4, 3, 0.5, 300, 24, 1, 2, 45, 12, PlyFile.Format.ASCII, 1.9);
        assertEquals(Camera.DEFAULT_DISTANCE, near.cameraDistance());
        ShapeDatasetWriter.write(near, dir.resolve("near"));
        ShapeDatasetWriter.write(far, dir.resolve("far"));
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> a = Files.readAllLines(dir.resolve("near/captions.jsonl")), b = Files.readAllLines(dir.resolve("far/captions.jsonl"));
        int nearPixels = 0, farPixels = 0;
        for (int i = 0; i < a.size(); i++) {
            var n = json.readTree(a.get(i));
            var f = json.readTree(b.get(i));
            assertEquals(n.get("caption"), f.get("caption"));
            assertEquals(n.get("cameras").get(1).get("azimuth"), f.get("cameras").get(1).get("azimuth"));
            assertEquals(1.9, f.get("cameras").get(1).get("distance").asDouble());
            assertArrayEquals(Files.readAllBytes(dir.resolve("near").resolve(n.get("ply").asText())), Files.readAllBytes(dir.resolve("far").resolve(f.get("ply").asText())));
            nearPixels += objectPixels(dir.resolve("near").resolve(n.get("images").get(0).asText()));
            farPixels += objectPixels(dir.resolve("far").resolve(f.get("images").get(0).asText()));
        }
        assertTrue(farPixels < nearPixels, "object pixels: far " + farPixels + " vs near " + nearPixels);
        assertThrows(DataException.class, () -> new ShapeDatasetWriter.Options(1, 0, 0, 1, 1, 1, 1, 45, 12, PlyFile.Format.ASCII, 0));
    }

    /** Pixels that differ from the corner (background) pixel. */
    private static int objectPixels(Path png) throws Exception {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        int bg = img.getRGB(0, 0), n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) if (img.getRGB(x, y) != bg) n++;
        }
        return n;
    }
}
