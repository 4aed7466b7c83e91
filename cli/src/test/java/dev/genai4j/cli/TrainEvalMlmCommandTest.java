package dev.genai4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The {@code train mlm} / {@code eval mlm} command lines: help and the clear errors (training itself is tested in models). */
class TrainEvalMlmCommandTest {
    private static String run(int[] rc, String... args) {
        return CliRun.combined(rc, args);
    }

    @Test
    void helpShowsExamplesAndTheOptions() {
        int[] rc = new int[1];
        String train = run(rc, "train", "mlm", "--help");
        assertEquals(0, rc[0]);
        for (String s : new String[] {"Example", "--minutes", "--resume", "--vocab", "--hidden", "--seq-len", "--warmup"}) {
            assertTrue(train.contains(s), s + " in\n" + train);
        }
        assertTrue(run(rc, "train", "--help").contains("mlm"));
        String eval = run(rc, "eval", "mlm", "--help");
        assertEquals(0, rc[0]);
        assertTrue(eval.contains("Example") && eval.contains("--model"), eval);
    }

    @Test
    void resumeWithoutACheckpointIsAClearError(@TempDir Path dir) {
        int[] rc = new int[1];
        String text = run(rc, "train", "mlm", "--output", dir.toString(), "--resume");
        assertEquals(ExitCodes.BAD_INPUT, rc[0], text);
        assertTrue(text.contains("no training checkpoint"), text);
    }

    @Test
    void badModelShapeIsAClearError(@TempDir Path dir) {
        int[] rc = new int[1];
        String text = run(rc, "train", "mlm", "--output", dir.toString(), "--hidden", "100", "--heads", "3");
        assertEquals(ExitCodes.BAD_INPUT, rc[0], text);
        assertTrue(text.contains("hidden size 100"), text);
    }

    @Test
    void evalOfAFolderThatIsNotAnMlmRunIsAClearError(@TempDir Path dir) {
        int[] rc = new int[1];
        String text = run(rc, "eval", "mlm", "--model", dir.toString());
        assertEquals(ExitCodes.BAD_INPUT, rc[0], text);
        assertTrue(text.contains("mlm_run.json"), text);
    }
}
