package dev.genai4j.models.modernbert;

import dev.genai4j.models.check.CheckResult;
import dev.genai4j.models.check.CheckRunner;
import dev.genai4j.models.check.FixtureCase;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
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

    /** The tensor-op attention (what training runs) matches the reference too, not only the fused kernel. */
    @ParameterizedTest
    @ValueSource(strings = {"classic_fp32", "classic_bf16", "v5_format_fp32"})
    void tensorPathMatchesReference(String name) {
        FixtureCase c = FixtureCase.load(fixture(name));
        Tensor ids = ModernBertCheck.matrix(c.inputs().get("input_ids"), "input_ids", c);
        Tensor mask = ModernBertCheck.matrix(c.inputs().get("attention_mask"), "attention_mask", c);
        try (var mlm = ModernBertForMaskedLM.load(c.dir()); var g = NoGrad.enter()) {
            mlm.model().fusedAttention(false);
            var out = mlm.forward(ids, mask);
            assertWithin(c, "last_hidden_state", out.lastHiddenState());
            assertWithin(c, "logits", out.logits());
        }
    }

    private static void assertWithin(FixtureCase c, String name, Tensor ours) {
        float[] e = c.expected().get(name).toFloatArray(), a = ours.toFloatArray();
        assertEquals(e.length, a.length, name);
        int compared = 0;
        for (int i = 0; i < e.length; i++) {
            if (Float.isNaN(e[i])) continue;     // implementation-defined (padded query rows)
            compared++;
            assertTrue(Math.abs(a[i] - e[i]) <= c.atol() + c.rtol() * Math.abs(e[i]), name + "[" + i + "]: " + a[i] + " vs " + e[i]);
        }
        assertTrue(compared > 0, name);
    }
}
