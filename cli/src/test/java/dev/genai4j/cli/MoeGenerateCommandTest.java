package dev.genai4j.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code genai4j moe init} writes a folder that {@code genai4j generate} runs; bad options are clear errors. */
class MoeGenerateCommandTest {
    @TempDir static Path dir;

    private static String[] run(int[] rc, String... args) {
        return CliRun.outErr(rc, args);
    }

    @BeforeAll
    static void init() {
        int[] rc = new int[1];
        String[] o = run(rc, "moe", "init", "--hidden", "32", "--layers", "2", "--experts", "4", "--top-k", "2", "--heads", "4",
                "--kv-heads", "2", "--vocab", "400", "--tokenizer-vocab", "300", "--dtype", "bf16", "--shard-mb", "0", "-o", dir.toString());
        assertEquals(0, rc[0], o[1]);
        assertTrue(o[0].contains("2 layers, 4 experts (top-2), hidden 32"), o[0]);
    }

    @Test
    void folderIsShardedWithTokenizer() {
        assertTrue(Files.exists(dir.resolve("model.safetensors.index.json")));
        assertTrue(Files.exists(dir.resolve("tokenizer.json")));
        assertTrue(Files.exists(dir.resolve("config.json")));
    }

    @Test
    void greedyGenerationIsDeterministicAndSamplingFollowsTheSeed() {
        int[] rc = new int[1];
        String[] a = run(rc, "generate", "--model", dir.toString(), "--max-tokens", "8", "--ignore-eos", "The river");
        assertEquals(0, rc[0], a[1]);
        assertTrue(a[1].contains("8 generated"), a[1]);
        assertEquals(a[0], run(rc, "generate", "--model", dir.toString(), "--max-tokens", "8", "--ignore-eos", "The river")[0]);
        String[] s1 = run(rc, "generate", "--model", dir.toString(), "--max-tokens", "8", "--temperature", "0.9", "--top-k", "50",
                "--top-p", "0.95", "--repetition-penalty", "1.1", "--seed", "5", "--threads", "1", "The river");
        assertEquals(0, rc[0], s1[1]);
        String[] s2 = run(rc, "generate", "--model", dir.toString(), "--max-tokens", "8", "--temperature", "0.9", "--top-k", "50",
                "--top-p", "0.95", "--repetition-penalty", "1.1", "--seed", "5", "The river");
        assertEquals(s1[0], s2[0]);
        String[] batch = run(rc, "generate", "--model", dir.toString(), "--max-tokens", "4", "The river", "A much longer prompt here");
        assertEquals(0, rc[0], batch[1]);
        assertTrue(batch[0].contains("[0] The river") && batch[0].contains("[1] A much longer prompt here"), batch[0]);
    }

    @Test
    void badOptionsAreClearErrors() {
        int[] rc = new int[1];
        String[] t = run(rc, "generate", "--model", dir.toString(), "--temperature", "0", "x");
        assertEquals(ExitCodes.BAD_INPUT, rc[0]);
        assertTrue(t[1].contains("temperature must be > 0"), t[1]);
        String[] p = run(rc, "generate", "--model", dir.toString(), "--top-p", "1.5", "x");
        assertEquals(ExitCodes.BAD_INPUT, rc[0]);
        assertTrue(p[1].contains("top_p must be in (0, 1]"), p[1]);
        String[] e = run(rc, "generate", "--model", dir.toString(), "");
        assertEquals(ExitCodes.BAD_INPUT, rc[0]);
        assertTrue(e[1].contains("prompt 0 is empty"), e[1]);
        String[] k = run(rc, "moe", "init", "--experts", "4", "--top-k", "5", "--hidden", "32", "-o", dir.resolve("bad").toString());
        assertEquals(ExitCodes.BAD_INPUT, rc[0]);
        assertTrue(k[1].contains("num_experts_per_tok is 5"), k[1]);
    }
}
