package dev.genai4j.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The UNet bench's line carries what the side-by-side script compares, and bad counts are refused. */
class DiffusionBenchTest {

    @Test
    void oneTinyRunPrintsEveryFigureTheScriptReads() {
        String line = DiffusionBench.run("fashion", 1, 1, 1, 0, 1);
        for (String field : new String[]{"side=ours", "params=1149361", "warmup=0", "iters=1", "sample_images_s=", "train_steps_s=",
                "forward_2B_ms=", "train_step_ms="}) {
            assertTrue(line.contains(field), field + " missing from: " + line);
        }
    }

    @Test
    void refusesNegativeWarmUpAndNoTimedRun() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiffusionBench.run("fashion", 1, 1, 1, -1, 1));
        assertTrue(e.getMessage().contains("warm-up"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DiffusionBench.run("fashion", 1, 1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> DiffusionBench.run("nope", 1, 1, 1, 0, 1));
    }
}
