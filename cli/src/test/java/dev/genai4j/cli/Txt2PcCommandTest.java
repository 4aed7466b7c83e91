package dev.genai4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code genai4j txt2pc} and {@code pointe eval}: the errors a user meets before any model runs. */
class Txt2PcCommandTest {
    private static String[] run(int[] rc, String... args) {
        return CliRun.outErr(rc, args);
    }

    @Test
    void missingModelsAreExitCode4NamingTheFolderAndHowToTrainIt(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        String[] r = run(rc, "txt2pc", "a red cube", "-o", dir.resolve("c.ply").toString(), "--t2i-model", dir.resolve("nope").toString());
        assertEquals(ExitCodes.MISSING, rc[0], r[1]);
        assertTrue(r[1].startsWith("txt2pc: text-to-image model ") && r[1].contains("nope") && r[1].contains("train diffusion"), r[1]);
        assertEquals(1, r[1].strip().lines().count(), r[1]);

        Files.createDirectories(dir.resolve("t2i"));
        r = run(rc, "txt2pc", "a red cube", "-o", dir.resolve("c.ply").toString(), "--t2i-model", dir.resolve("t2i").toString(),
                "--model", dir.resolve("no-pointe").toString());
        assertEquals(ExitCodes.MISSING, rc[0], r[1]);
        assertTrue(r[1].contains("model folder not found") && r[1].contains("no-pointe"), r[1]);   // the shared --model check

        Files.createDirectories(dir.resolve("pointe"));
        r = run(rc, "txt2pc", "a red cube", "-o", dir.resolve("c.ply").toString(), "--t2i-model", dir.resolve("t2i").toString(),
                "--model", dir.resolve("pointe").toString(), "--upsampler", dir.resolve("no-upsampler").toString());
        assertEquals(ExitCodes.MISSING, rc[0], r[1]);
        assertTrue(r[1].contains("Point-E upsampler") && r[1].contains("no-upsampler") && r[1].contains("--upsample"), r[1]);
        r = run(rc, "txt2pc", "a red cube", "-o", dir.resolve("c.ply").toString(), "--t2i-model", dir.resolve("t2i").toString(),
                "--model", dir.resolve("pointe").toString(), "--upsample-start-sigma", "0.05");
        assertEquals(ExitCodes.USAGE, rc[0], r[1]);
        assertTrue(r[1].contains("--upsample-start-sigma") && r[1].contains("add --upsampler DIR"), r[1]);

        r = run(rc, "pointe", "eval", "--data", dir.toString(), "--t2i-model", dir.resolve("t2i").toString(), "--model", dir.toString(),
                "--classifier", dir.resolve("no-pointnet").toString());
        assertEquals(ExitCodes.MISSING, rc[0], r[1]);
        assertTrue(r[1].contains("PointNet classifier") && r[1].contains("no-pointnet"), r[1]);
        Files.createDirectories(dir.resolve("pointnet"));
        r = run(rc, "pointe", "eval", "--data", dir.toString(), "--t2i-model", dir.resolve("t2i").toString(), "--model", dir.toString(),
                "--classifier", dir.resolve("pointnet").toString(), "--upsampler", dir.resolve("no-upsampler").toString());
        assertEquals(ExitCodes.MISSING, rc[0], r[1]);
        assertTrue(r[1].contains("Point-E upsampler") && r[1].contains("no-upsampler") && r[1].contains("--upsample"), r[1]);
        r = run(rc, "pointe", "eval", "--data", dir.toString(), "--t2i-model", dir.resolve("t2i").toString(), "--model", dir.toString(),
                "--classifier", dir.resolve("pointnet").toString(), "--upsample-start-sigma", "0.05");
        assertEquals(ExitCodes.USAGE, rc[0], r[1]);
        assertTrue(r[1].startsWith("pointe eval: --upsample-start-sigma") && r[1].contains("add --upsampler DIR"), r[1]);
    }

    @Test
    void anUnwritableOutputOrANegativePointCountFailsBeforeLoadingAnything(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        Files.createDirectories(dir.resolve("t2i"));
        Files.createDirectories(dir.resolve("pe"));
        Path blocker = Files.writeString(dir.resolve("file"), "x");        // a file where a folder is needed
        String[] r = run(rc, "txt2pc", "a red cube", "-o", blocker.resolve("c.ply").toString(), "--t2i-model", dir.resolve("t2i").toString(),
                "--model", dir.resolve("pe").toString());
        assertEquals(ExitCodes.BAD_INPUT, rc[0], r[1]);
        assertTrue(r[1].contains("is not writable"), r[1]);

        r = run(rc, "txt2pc", "a red cube", "-o", dir.resolve("c.ply").toString(), "--points", "-5", "--t2i-model", dir.resolve("t2i").toString(),
                "--model", dir.resolve("pe").toString());
        assertEquals(ExitCodes.BAD_INPUT, rc[0], r[1]);
        assertTrue(r[1].contains("point count must be > 0") && r[1].contains("-5"), r[1]);
        assertFalse(Files.exists(dir.resolve("c.ply")));

        r = run(rc, "txt2pc", "  ", "-o", dir.resolve("c.ply").toString());
        assertEquals(ExitCodes.BAD_INPUT, rc[0], r[1]);
        assertTrue(r[1].contains("prompt is empty"), r[1]);
    }
}
