package dev.genai4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RlCommandTest {
    private static String run(int[] rc, String... args) {
        return CliRun.combined(rc, args);
    }

    @Test
    void helpListsMethodsRewardsAndAnExample() {
        int[] rc = new int[1];
        String help = run(rc, "rl", "--help");
        assertEquals(0, rc[0]);
        for (String s : new String[]{"sft ", "ddpo-sf", "ddpo-is", "dpok", "jpeg", "clip", "classifier", "preference", "--textnorm",
                "--lora-rank", "Example:  genai4j rl --method"}) {
            assertTrue(help.contains(s), s + " in\n" + help);
        }
    }

    @Test
    void badArgumentsAreClearUsageErrorsBeforeAnythingLoads(@TempDir Path dir) {
        int[] rc = new int[1];
        String o = dir.toString();
        String reward = run(rc, "rl", "--method", "ddpo-sf", "--reward", "aesthetic", "-o", o);
        assertEquals(2, rc[0], reward);
        assertTrue(reward.contains("unknown reward 'aesthetic'; valid rewards: jpeg, clip, classifier, classifier-p, preference, noise"), reward);
        String method = run(rc, "rl", "--method", "ppo", "--reward", "jpeg", "-o", o);
        assertEquals(2, rc[0], method);
        assertTrue(method.contains("unknown method 'ppo'; valid methods: sft, ddpo-sf, ddpo-is, dpok"), method);
        String guidance = run(rc, "rl", "--method", "dpok", "--reward", "jpeg", "-o", o, "--guidance", "-1");
        assertEquals(2, rc[0], guidance);
        assertTrue(guidance.contains("guidance must be a finite number ≥ 0, got -1"), guidance);
        String steps = run(rc, "rl", "--method", "dpok", "--reward", "jpeg", "-o", o, "--steps", "0");
        assertEquals(2, rc[0], steps);
        assertTrue(steps.contains("--steps must be ≥ 1, got 0"), steps);
        String lora = run(rc, "rl", "--method", "dpok", "--reward", "jpeg", "-o", o, "--lora-rank", "-1");
        assertEquals(2, rc[0], lora);
        assertTrue(lora.contains("--lora-rank must be ≥ 0"), lora);
        String cls = run(rc, "rl", "--method", "dpok", "--reward", "jpeg", "-o", o, "--classes", "hat");
        assertEquals(2, rc[0], cls);
        assertTrue(cls.contains("unknown class 'hat'"), cls);
    }
}
