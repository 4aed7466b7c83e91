package dev.genai4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code genai4j train gliner} / {@code eval gliner}: help that teaches, and clear errors. */
class TrainEvalGlinerCommandTest {
    private static String[] run(int[] rc, String... args) {
        return CliRun.outErr(rc, args);
    }

    @Test
    void helpExplainsDataLossAndResume() {
        int[] rc = new int[1];
        String help = run(rc, "train", "gliner", "--help")[0];
        assertEquals(0, rc[0]);
        for (String s : new String[]{"WordNet", "zeroshot.json", "focal loss", "--resume", "--finetune", "--lr-backbone", "--max-types",
                "--max-neg-type-ratio", "heads.safetensors", "genai4j ner --model OUTPUT"}) {
            assertTrue(help.contains(s), "help mentions " + s + ":\n" + help);
        }
        assertTrue(run(rc, "train", "--help")[0].contains("gliner"));
        assertTrue(run(rc, "eval", "--help")[0].contains("gliner"));
    }

    @Test
    void badSettingsAndMissingDataAreClearErrors(@TempDir Path dir) {
        int[] rc = new int[1];
        String[] r = run(rc, "train", "gliner", "--output", dir.toString(), "--steps", "0");
        assertEquals(ExitCodes.BAD_INPUT, rc[0]);
        assertTrue(r[1].contains("steps must be > 0"), r[1]);
        r = run(rc, "eval", "gliner", "--model", "../models/src/test/resources/fixtures/gliner/bert_lstm_markerV0_fp32",
                "--data", dir.resolve("none").toString());
        assertEquals(ExitCodes.MISSING, rc[0]);
        assertTrue(r[1].contains("train.json"), r[1]);
    }
}
