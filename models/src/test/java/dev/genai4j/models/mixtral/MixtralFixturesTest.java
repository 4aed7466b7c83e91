package dev.genai4j.models.mixtral;

import dev.genai4j.models.check.CheckResult;
import dev.genai4j.models.check.CheckRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shared Mixtral reference case (copied into the test resources) matches within its NOTES.md
 * tolerance: logits, router logits of both layers, the auxiliary loss and the greedy tokens (exact).
 */
class MixtralFixturesTest {
    @ParameterizedTest
    @ValueSource(strings = {"single_fp32", "single_bf16", "batch2_leftpad_fp32"})
    void matchesReference(String name) {
        CheckResult r = CheckRunner.check(MixtralTesting.fixture(name));
        r.lines().forEach(l -> System.out.println(name + ": " + l.format()));
        Set<String> names = r.lines().stream().map(CheckResult.Line::name).collect(Collectors.toSet());
        assertEquals(Set.of("logits", "router_logits.0", "router_logits.1", "aux_loss", "greedy_tokens"), names);
        assertTrue(r.allOk(), r.summary());
    }
}
