package dev.genai4j.models.pointe;

import dev.genai4j.models.check.CheckResult;
import dev.genai4j.models.check.CheckRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parity with every committed Point-E reference case, through the same runner as {@code genai4j check}. */
class PointEFixturesTest {
    static final Path ROOT = Path.of("src/test/resources/fixtures/pointe");

    @ParameterizedTest
    @ValueSource(strings = {"grid_cond_fp32", "grid_cond_bf16", "upsample_fp32"})
    void transformerCasePasses(String name) {
        CheckResult r = check(name);
        assertEquals("output", r.lines().getFirst().name());
        assertTrue(r.allOk(), r.summary());
    }

    @ParameterizedTest
    @ValueSource(strings = {"karras_sampler_fp32", "karras_sampler_churn3_fp32"})
    void samplerCasePasses(String name) {
        CheckResult r = check(name);
        assertEquals(List.of("pred_xstart", "progressive_x_scaled", "sample"),
                r.lines().stream().map(CheckResult.Line::name).sorted().toList());
        assertTrue(r.allOk(), r.summary());
    }

    private static CheckResult check(String name) {
        CheckResult r = CheckRunner.check(ROOT.resolve(name));
        r.lines().forEach(l -> System.out.println(name + " " + l.format()));
        return r;
    }
}
