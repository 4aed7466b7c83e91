package dev.genai4j.models.modernbert;

import dev.genai4j.models.check.CheckResult;
import dev.genai4j.models.check.CheckRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every shared ModernBERT reference case (copied into the test resources) matches within its NOTES.md tolerance. */
class ModernBertFixturesTest {

    static Path fixture(String name) {
        try {
            return Path.of(ModernBertFixturesTest.class.getResource("/fixtures/modernbert/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic_fp32", "classic_bf16", "v5_format_fp32"})
    void matchesReference(String name) {
        CheckResult r = CheckRunner.check(fixture(name));
        r.lines().forEach(l -> System.out.println(name + ": " + l.format()));
        Set<String> names = r.lines().stream().map(CheckResult.Line::name).collect(Collectors.toSet());
        assertEquals(Set.of("last_hidden_state", "logits"), names);
        assertTrue(r.allOk(), r.summary());
    }
}
