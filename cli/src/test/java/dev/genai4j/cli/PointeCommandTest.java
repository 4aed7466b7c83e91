package dev.genai4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genai4j.data.render.RgbRaster;
import dev.genai4j.data.shapes.PlyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code genai4j pointe data | render | score} and {@code train pointnet --help}. */
class PointeCommandTest {
    private static String[] run(int[] rc, String... args) {
        return CliRun.outErr(rc, args);
    }

    @Test
    void dataWritesCloudsRendersAndCaptionsThenRenderAndScoreReadThem(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        Path set = dir.resolve("set");
        String[] r = run(rc, "pointe", "data", "-n", "3", "-o", set.toString(), "--points", "500", "--image-size", "32", "--views", "2", "--seed", "7");
        assertEquals(0, rc[0], r[1]);
        assertTrue(r[0].contains("wrote 3 clouds, 6 renders"), r[0]);
        List<String> lines = Files.readAllLines(set.resolve("captions.jsonl"));
        assertEquals(3, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals("000000", first.get("id").asText());
        assertEquals(500, PlyFile.read(set.resolve(first.get("ply").asText())).size());
        assertEquals(2, first.get("images").size());
        assertEquals(32, RgbRaster.readPng(set.resolve(first.get("images").get(1).asText())).width());
        assertFalse(first.get("caption").asText().isBlank());
        assertEquals(first.get("objects").size() == 2, !first.get("relation").isNull());

        Path png = dir.resolve("preview.png");
        String[] rr = run(rc, "pointe", "render", set.resolve("clouds/000000.ply").toString(), "-o", png.toString(), "--size", "40");
        assertEquals(0, rc[0], rr[1]);
        RgbRaster preview = RgbRaster.readPng(png);
        assertEquals(80, preview.width());
        assertEquals(80, preview.height());

        String caption = first.get("caption").asText();
        String[] s = run(rc, "pointe", "score", set.resolve("clouds/000000.ply").toString(), "--caption", caption);
        assertEquals(0, rc[0], s[1]);
        assertTrue(s[0].contains("match") && s[0].contains("chamfer") && s[0].contains("baseline"), s[0]);
        String[] unknown = run(rc, "pointe", "score", set.resolve("clouds/000000.ply").toString(), "--caption", "a glittering dodecahedron");
        assertEquals(0, rc[0]);
        assertTrue(unknown[1].contains("unknown words: glittering, dodecahedron"), unknown[1]);
    }

    @Test
    void badInputFailsWithExitCodeThreeAndAClearMessage(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        Path blocker = Files.writeString(dir.resolve("file"), "x");
        String[] r = run(rc, "pointe", "data", "-n", "1", "-o", blocker.resolve("sub").toString(), "--views", "0");
        assertEquals(ExitCodes.BAD_INPUT, rc[0]);
        assertTrue(r[1].startsWith("pointe data: cannot write") && r[1].contains("sub"), r[1]);

        Path bad = Files.writeString(dir.resolve("bad.ply"), "ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 3\n");
        String[] rr = run(rc, "pointe", "render", bad.toString(), "-o", dir.resolve("p.png").toString());
        assertEquals(ExitCodes.BAD_INPUT, rc[0]);
        assertTrue(rr[1].contains("bad.ply") && rr[1].contains("truncated"), rr[1]);

        String[] zero = run(rc, "pointe", "data", "-n", "0", "-o", dir.resolve("z").toString());
        assertEquals(ExitCodes.BAD_INPUT, rc[0]);
        assertTrue(zero[1].contains("count"), zero[1]);
    }

    @Test
    void helpShowsExamples() {
        int[] rc = new int[1];
        for (String[] cmd : new String[][]{{"pointe", "--help"}, {"pointe", "data", "--help"}, {"pointe", "render", "--help"},
                {"pointe", "score", "--help"}, {"train", "pointnet", "--help"}}) {
            String[] o = run(rc, cmd);
            assertEquals(0, rc[0], String.join(" ", cmd));
            assertTrue(o[0].contains("Example"), o[0]);
        }
    }
}
