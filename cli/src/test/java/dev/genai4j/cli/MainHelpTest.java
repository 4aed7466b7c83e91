package dev.genai4j.cli;

import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainHelpTest {
    private static String run(int[] rc, String... args) {
        return CliRun.combined(rc, args);
    }

    @Test
    void helpListsTheCommands() {
        int[] rc = new int[1];
        String text = run(rc, "--help");
        assertEquals(0, rc[0]);
        assertTrue(text.contains("bench"), text);
        assertTrue(text.contains("Example"), text);
    }

    @Test
    void encoderCommandsShowExamples() {
        int[] rc = new int[1];
        for (String[] cmd : new String[][]{{"import", "onnx", "--help"}, {"models", "--help"}, {"embed", "--help"}, {"bench", "encoder", "--help"}}) {
            String text = run(rc, cmd);
            assertEquals(0, rc[0], String.join(" ", cmd));
            assertTrue(text.contains("Example"), text);
        }
        assertTrue(run(rc, "import", "onnx", "--help").contains("DEQUANTIZED"));
    }

    @Test
    void checkRunsTheCommittedBertCase() {
        int[] rc = new int[1];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            run(rc, "check", "../models/src/test/resources/fixtures/bert/tiny_random_fp32");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc[0], out.toString());
        assertTrue(out.toString().contains("2/2 tensors ok"), out.toString());
    }

    @Test
    void unknownModelNameIsAClearError() {
        int[] rc = new int[1];
        run(rc, "embed", "--model", "no-such-model", "hello");
        assertEquals(ExitCodes.MISSING, rc[0]);
    }

    @Test
    void unknownCommandFailsWithUsage() {
        int[] rc = new int[1];
        String text = run(rc, "no-such-command");
        assertNotEquals(0, rc[0]);
        assertTrue(text.contains("Unmatched argument"), text);
    }
}
