package dev.genai4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genai4j.train.StepProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** {@code --json} on train and bench commands, the train progress modes, and -q. */
class JsonProgressTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void resetLogging() {
        Logging.configure(0, false);
    }

    /** Runs the CLI; [0] = picocli's stdout + System.out, [1] = picocli's stderr + System.err. */
    static String[] run(int[] rc, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        ByteArrayOutputStream sysOut = new ByteArrayOutputStream(), sysErr = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        System.setOut(new PrintStream(sysOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(sysErr, true, StandardCharsets.UTF_8));
        try {
            var cl = Main.commandLine();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            rc[0] = cl.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new String[]{out + sysOut.toString(StandardCharsets.UTF_8), err + sysErr.toString(StandardCharsets.UTF_8)};
    }

    private static String[] tinyPointNet(Path dir) {
        return new String[]{"train", "pointnet", "--output", dir.toString(), "--steps", "6", "--batch", "2", "--points", "32",
                "--eval-per-class", "1", "--log-every", "2", "--threads", "1"};
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void trainJsonIsOneObjectPerLoggedStepThenASummary(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        String[] r = run(rc, with(tinyPointNet(dir), "--json"));
        assertEquals(0, rc[0], r[1]);
        List<String> lines = r[0].strip().lines().toList();
        assertEquals(4, lines.size(), r[0]);   // steps 2, 4, 6 and the summary
        for (int i = 0; i < 3; i++) {
            JsonNode s = JSON.readTree(lines.get(i));
            assertEquals("step", s.get("event").asText());
            assertEquals(2L * (i + 1), s.get("step").asLong());
            assertEquals(6, s.get("total").asInt());
            assertTrue(s.get("loss").asDouble() > 0, lines.get(i));
            assertTrue(s.has("train_accuracy") && s.has("lr"), lines.get(i));
        }
        JsonNode sum = JSON.readTree(lines.get(3));
        assertEquals("summary", sum.get("event").asText());
        assertEquals("train pointnet", sum.get("command").asText());
        assertEquals(6, sum.get("steps").asInt());
        assertEquals(JSON.readTree(lines.get(2)).get("loss").asDouble(), sum.get("final_loss").asDouble());
        assertEquals(dir.toString(), sum.get("output").asText());
        assertTrue(sum.get("seconds").asDouble() > 0);
        double acc = JSON.readTree(dir.resolve("eval.json").toFile()).get("held_out_accuracy").asDouble();
        assertEquals(acc, sum.get("held_out_accuracy").asDouble());
        assertFalse(r[1].contains("step 2/6"), "JSON replaces the step lines on stderr:\n" + r[1]);
    }

    @Test
    void trainWithoutATerminalPrintsThePlainStepLinesOnStderr(@TempDir Path dir) {
        int[] rc = new int[1];
        String[] r = run(rc, tinyPointNet(dir));
        assertEquals(0, rc[0], r[1]);
        assertEquals("", r[0], "results of train go to files; stdout stays empty");
        List<String> steps = r[1].lines().filter(l -> l.startsWith("step ")).toList();
        assertEquals(3, steps.size(), r[1]);
        assertTrue(steps.get(0).startsWith("step 2/6  loss "), steps.get(0));
        assertTrue(r[1].contains("held-out accuracy"), r[1]);
    }

    @Test
    void quietPrintsNothingButResults(@TempDir Path dir) throws Exception {
        int[] rc = new int[1];
        String[] r = run(rc, with(tinyPointNet(dir), "-q", "--json"));
        assertEquals(0, rc[0], r[1]);
        assertEquals("", r[1], "with -q nothing goes to stderr");
        for (String line : r[0].strip().lines().toList()) JSON.readTree(line);   // stdout: the JSON lines and nothing else
        assertEquals("summary", JSON.readTree(r[0].strip().lines().reduce((a, b) -> b).orElseThrow()).get("event").asText());
        assertTrue(Files.isRegularFile(dir.resolve("eval.json")));
    }

    @Test
    void reportModesFollowTheFlags() {
        assertEquals(TrainReport.Mode.JSON, TrainReport.mode(true, true, 0, true));
        assertEquals(TrainReport.Mode.QUIET, TrainReport.mode(false, true, 0, true));
        assertEquals(TrainReport.Mode.BAR, TrainReport.mode(false, false, 0, true));
        assertEquals(TrainReport.Mode.LINES, TrainReport.mode(false, false, 1, true), "-v: plain lines even on a terminal");
        assertEquals(TrainReport.Mode.LINES, TrainReport.mode(false, false, 0, false));
    }

    @Test
    void barModeDrawsABarNotLinesAndJsonHasNoNaN() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        try (TrainReport r = new TrainReport("train x", TrainReport.Mode.BAR, new PrintWriter(out), new PrintStream(err, true, StandardCharsets.UTF_8))) {
            r.steps().onStep(new StepProgress(10, 100, 0.5, Map.of(), "step 10/100  loss 0.5000"));
            r.steps().onStep(new StepProgress(20, 100, 0.4, Map.of(), "step 20/100  loss 0.4000"));
            r.log().println("checkpoint: out/checkpoint");
            r.finish(Path.of("out"), Map.of());
        }
        String bar = err.toString(StandardCharsets.UTF_8);
        assertTrue(bar.contains("\r\u001b[Kcheckpoint: out/checkpoint\n"), "a message clears the bar's line first: " + bar);
        assertTrue(bar.contains("train x") && bar.contains("20/100"), bar);
        assertFalse(bar.contains("step 20/100  loss"), bar);
        assertEquals("", out.toString(), "text mode adds no summary");

        try (TrainReport r = new TrainReport("train x", TrainReport.Mode.JSON, new PrintWriter(out), new PrintStream(err))) {
            r.steps().onStep(new StepProgress(1, 2, Double.NaN, Map.of("lr", Double.POSITIVE_INFINITY), ""));
            r.finish(null, Map.of("accuracy", Double.NaN));
        }
        List<String> lines = out.toString().lines().toList();
        assertTrue(JSON.readTree(lines.get(0)).get("loss").isNull(), lines.get(0));
        assertTrue(JSON.readTree(lines.get(0)).get("lr").isNull(), lines.get(0));
        assertTrue(JSON.readTree(lines.get(1)).get("accuracy").isNull(), lines.get(1));
        assertTrue(JSON.readTree(lines.get(1)).get("output").isNull(), lines.get(1));
    }
}
