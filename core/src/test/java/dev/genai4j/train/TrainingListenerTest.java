package dev.genai4j.train;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TrainingListenerTest {
    @Test
    void printingWritesTheTrainersLineAsItWas() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TrainingListener.printing(log).onStep(new StepProgress(3, 10, 0.5, Map.of("lr", 1e-3), "step 3/10  loss 0.5000"));
        assertEquals("step 3/10  loss 0.5000" + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void andThenTellsBothInOrder() {
        List<String> seen = new ArrayList<>();
        TrainingListener a = p -> seen.add("a" + p.step()), b = p -> seen.add("b" + p.step());
        a.andThen(b).onStep(new StepProgress(7, 9, 1, null, null));
        TrainingListener.none().onStep(new StepProgress(8, 9, 1, null, null));
        assertEquals(List.of("a7", "b7"), seen);
    }

    @Test
    void metricsKeepTheirOrderAndAreCopied() {
        Map<String, Double> m = StepProgress.metrics("lr", 2e-4, "tokens_per_s", 1500, "accuracy", 0.25f);
        assertEquals(List.of("lr", "tokens_per_s", "accuracy"), List.copyOf(m.keySet()));
        assertEquals(1500.0, m.get("tokens_per_s"));
        StepProgress p = new StepProgress(1, 2, 0.1, m, "x");
        m.put("later", 1.0);
        assertFalse(p.metrics().containsKey("later"));
        assertThrows(UnsupportedOperationException.class, () -> p.metrics().put("y", 1.0));
    }

    @Test
    void badInputIsRefusedWithTheValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> new StepProgress(-1, 5, 0, null, ""));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        var odd = assertThrows(IllegalArgumentException.class, () -> StepProgress.metrics("lr"));
        assertTrue(odd.getMessage().contains("pairs"), odd.getMessage());
    }
}
