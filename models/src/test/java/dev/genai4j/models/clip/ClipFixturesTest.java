package dev.genai4j.models.clip;

import dev.genai4j.models.check.CheckResult;
import dev.genai4j.models.check.CheckRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parity with every committed CLIP reference case, through the same runner as {@code genai4j check}. */
class ClipFixturesTest {
    static final Path ROOT = Path.of("src/test/resources/fixtures/clip");

    @ParameterizedTest
    @ValueSource(strings = {"eos_rule_fp32", "legacy_eos2_fp32", "gelu_bf16"})
    void modelCasePasses(String name) {
        CheckResult r = CheckRunner.check(ROOT.resolve(name));
        r.lines().forEach(l -> System.out.println(name + " " + l.format()));
        Set<String> names = r.lines().stream().map(CheckResult.Line::name).collect(Collectors.toSet());
        assertEquals(Set.of("image_embeds", "text_embeds", "logits_per_image", "logits_per_text", "vision_pooler_output",
                "text_pooler_output", "vision_last_hidden_state"), names);
        assertTrue(r.allOk(), r.summary());
    }

    @Test
    void preprocessCaseIsExact() {
        CheckResult r = CheckRunner.check(ROOT.resolve("preprocess"));
        assertEquals(1, r.lines().size());
        CheckResult.Line l = r.lines().getFirst();
        assertEquals("pixel_values", l.name());
        assertTrue(l.ok(), l.format());
        // PIL's integer resize reproduced bit for bit: the float pipeline after it is then identical too
        assertEquals(0.0, l.maxAbs(), l.format());
    }
}
