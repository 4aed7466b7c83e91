package dev.genai4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code genai4j train diffusion --data DIR}: every view of a shape set is trained on, and {@code --channels} sizes the UNet. */
class TrainDiffusionShapesCommandTest {
    @Test
    void aShortRunOnAllViewsWritesAUNetWithTheAskedChannels(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        Path set = dir.resolve("set"), run = dir.resolve("run");
        String[] r = CliRun.outErr(rc, "pointe", "data", "-n", "5", "-o", set.toString(), "--points", "64", "--image-size", "16", "--views", "3",
                "--camera-distance", "1.9", "--seed", "2");
        assertEquals(0, rc[0], r[1]);
        // the default hold-out (100 scenes) leaves nothing of 5
        r = CliRun.outErr(rc, "train", "diffusion", "--data", set.toString(), "--output", run.toString(), "--steps", "2", "--warmup", "0", "--threads", "1");
        assertNotEquals(0, rc[0], r[0]);
        assertTrue(r[1].contains("holding out 100"), r[1]);
        // one scene held out (ShapeRenderImagesTest checks that every view is an example)
        r = CliRun.outErr(rc, "train", "diffusion", "--data", set.toString(), "--output", run.toString(), "--steps", "2", "--warmup", "0",
                "--batch", "2", "--sample-every", "0", "--hold-out", "1", "--channels", "8,16,32", "--threads", "1");
        assertEquals(0, rc[0], r[1]);
        assertFalse(java.nio.file.Files.exists(run.resolve("samples")), "--sample-every 0 writes no grids");
        JsonNode config = new ObjectMapper().readTree(run.resolve("checkpoint/config.json").toFile());
        assertEquals("[8,16,32]", config.get("block_out_channels").toString());
        // resuming with another layout is refused naming both
        r = CliRun.outErr(rc, "train", "diffusion", "--data", set.toString(), "--output", run.toString(), "--steps", "3", "--warmup", "0",
                "--batch", "2", "--sample-every", "0", "--hold-out", "1", "--channels", "16,32,64", "--resume", "--threads", "1");
        assertEquals(2, rc[0], r[0]);
        assertTrue(r[1].contains("[8, 16, 32]") && r[1].contains("[16, 32, 64]"), r[1]);
        // the same layout resumes to the new step count
        r = CliRun.outErr(rc, "train", "diffusion", "--data", set.toString(), "--output", run.toString(), "--steps", "3", "--warmup", "0",
                "--batch", "2", "--sample-every", "0", "--hold-out", "1", "--channels", "8,16,32", "--resume", "--threads", "1");
        assertEquals(0, rc[0], r[1]);
        assertEquals(3, new ObjectMapper().readTree(run.resolve("checkpoint/trainer_state.json").toFile()).get("step").asInt());
    }

    @Test
    void channelsThatDoNotFitTheLayoutAreRefusedNamingThem(@TempDir Path dir) {
        int[] rc = new int[1];
        String[] r = CliRun.outErr(rc, "train", "diffusion", "--output", dir.resolve("run").toString(), "--steps", "1", "--warmup", "0",
                "--channels", "16,32", "--threads", "1");
        assertEquals(2, rc[0], r[0]);
        assertTrue(r[1].contains("2 channel counts") && r[1].contains("3 levels"), r[1]);
        r = CliRun.outErr(rc, "train", "diffusion", "--output", dir.resolve("run2").toString(), "--steps", "1", "--warmup", "0",
                "--channels", "12,32,64", "--threads", "1");
        assertEquals(2, rc[0], r[0]);
        assertTrue(r[1].contains("block_out_channels[0] = 12") && r[1].contains("norm_num_groups"), r[1]);
        String help = CliRun.outErr(rc, "train", "diffusion", "--help")[0];
        assertTrue(help.contains("--channels"), help);
    }
}
