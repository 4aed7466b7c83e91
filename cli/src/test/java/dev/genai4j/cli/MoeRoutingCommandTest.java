package dev.genai4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code genai4j moe routing} on a random {@code moe init} folder; {@code train lm} / {@code eval lm} help. */
class MoeRoutingCommandTest {
    private static String[] run(int[] rc, String... args) {
        return CliRun.outErr(rc, args);
    }

    @Test
    void routingWritesTheFiguresAndPrintsTableFive(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        Path model = dir.resolve("m");
        String[] init = run(rc, "moe", "init", "--hidden", "32", "--layers", "2", "--experts", "8", "--top-k", "2", "--heads", "4",
                "--kv-heads", "2", "--vocab", "300", "--tokenizer-vocab", "300", "--dtype", "f32", "-o", model.toString());
        assertEquals(0, rc[0], init[1]);
        Path prose = Files.writeString(dir.resolve("prose.txt"), "The river ran fast under the old bridge, and the birds sang. ".repeat(6));
        Path code = Files.writeString(dir.resolve("code.txt"), "public static int add(int a, int b) { return a + b; }\n".repeat(6));
        Path out = dir.resolve("out");
        String[] r = run(rc, "moe", "routing", model.toString(), "--domain", "prose=" + prose, "--domain", "code=" + code,
                "--out", out.toString(), "--window", "16");
        assertEquals(0, rc[0], r[1]);
        assertTrue(r[0].contains("first choice") && r[0].contains("12.5%") && r[0].contains("46.4%"), r[0]);
        assertTrue(r[0].contains("prose") && r[0].contains("code"), r[0]);
        for (String f : new String[] {"expert-shares.png", "routing.html", "routing.json"}) assertTrue(Files.size(out.resolve(f)) > 0, f);
        String[] j = run(rc, "moe", "routing", model.toString(), "--domain", "prose=" + prose, "--domain", "code=" + code,
                "--out", out.toString(), "--window", "16", "--json");
        assertEquals(0, rc[0], j[1]);
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(mapper.readTree(out.resolve("routing.json").toFile()), mapper.readTree(j[0]), "--json prints routing.json, nothing else");

        String[] missing = run(rc, "moe", "routing", model.toString(), "--domain", "x=" + dir.resolve("nope.txt"), "--out", out.toString());
        assertEquals(ExitCodes.MISSING, rc[0]);
        assertTrue(missing[1].contains("domain 'x'") && missing[1].contains("nope.txt"), missing[1]);
    }

    @Test
    void trainAndEvalLmShowExamples() {
        int[] rc = new int[1];
        for (String[] cmd : new String[][] {{"train", "lm", "--help"}, {"eval", "lm", "--help"}, {"moe", "routing", "--help"}}) {
            String[] o = run(rc, cmd);
            assertEquals(0, rc[0], String.join(" ", cmd));
            assertTrue(o[0].contains("Example"), o[0]);
        }
    }
}
