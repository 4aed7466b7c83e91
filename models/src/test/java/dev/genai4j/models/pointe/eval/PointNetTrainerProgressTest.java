package dev.genai4j.models.pointe.eval;

import dev.genai4j.train.StepProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The trainer's progress hook: the listener hears each logged step; without one the classic lines are printed. */
class PointNetTrainerProgressTest {
    private static PointNetTrainConfig tiny(Path dir) {
        return new PointNetTrainConfig(dir, 12, 4, 32, 2e-3, 5, 1, 64, 5, 0.03);   // 12 steps, a line every 5
    }

    @Test
    void listenerHearsEachLoggedStepInOrderWithTheTotal(@TempDir Path dir) {
        List<StepProgress> seen = new ArrayList<>();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PointNetTrainer.Report r = PointNetTrainer.run(tiny(dir), new PrintStream(log, true, StandardCharsets.UTF_8), seen::add);
        assertEquals(List.of(5L, 10L, 12L), seen.stream().map(StepProgress::step).toList());
        for (StepProgress p : seen) {
            assertEquals(12, p.total());
            assertTrue(Double.isFinite(p.loss()) && p.loss() > 0, "loss " + p.loss());
            assertEquals(List.of("train_accuracy", "lr", "elapsed_s"), List.copyOf(p.metrics().keySet()));
            assertTrue(p.line().startsWith("step " + p.step() + "/12  loss "), p.line());
        }
        assertEquals(12, r.steps());
        String text = log.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("step 5/12"), "a listener replaces the step lines:\n" + text);
        assertTrue(text.contains("held-out accuracy"), "other messages still go to the log:\n" + text);
    }

    @Test
    void withoutAListenerTheStepLinesArePrintedAsBefore(@TempDir Path dir) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PointNetTrainer.run(tiny(dir), new PrintStream(log, true, StandardCharsets.UTF_8));
        List<String> steps = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("step ")).toList();
        assertEquals(3, steps.size(), String.join("\n", steps));
        for (String l : steps) assertTrue(l.matches("step \\d+/12  loss \\d+\\.\\d{4}  train acc \\d\\.\\d{3}  lr \\S+  \\d+\\.\\d s"), l);
    }
}
