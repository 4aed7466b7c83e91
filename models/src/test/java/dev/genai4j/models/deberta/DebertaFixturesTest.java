package dev.genai4j.models.deberta;

import dev.genai4j.io.SafetensorsFile;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.models.check.CheckResult;
import dev.genai4j.models.check.CheckRunner;
import dev.genai4j.models.check.FixtureCase;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every shared DeBERTa-v2 reference case (copied into the test resources) matches within its NOTES.md tolerance. */
class DebertaFixturesTest {
    static final Path ROOT = Path.of("src/test/resources/fixtures/deberta_v2");

    @ParameterizedTest
    @ValueSource(strings = {"v3_buckets16_fp32", "v3_buckets16_maxrel24_bf16", "v3_hub_config_buckets256_fp32"})
    void matchesReference(String name) {
        CheckResult r = CheckRunner.check(ROOT.resolve(name));
        r.lines().forEach(l -> System.out.println(name + ": " + l.format()));
        assertEquals(1, r.lines().size());
        assertEquals("last_hidden_state", r.lines().getFirst().name());
        assertTrue(r.allOk(), r.summary());
    }

    /** The bucketed i − j equals the reference's relative_position table, log buckets and all. */
    @ParameterizedTest
    @ValueSource(strings = {"v3_buckets16_fp32", "v3_buckets16_maxrel24_bf16", "v3_hub_config_buckets256_fp32"})
    void relativePositionsMatchReference(String name) {
        FixtureCase c = FixtureCase.load(ROOT.resolve(name));
        DebertaV2Config config = DebertaV2Config.from(c.config());
        try (SafetensorsFile f = SafetensorsFile.open(ROOT.resolve(name).resolve("intermediates.safetensors"))) {
            Tensor expected = f.get("relative_position");                                      // [T, T]
            int t = expected.size(0);
            int[] ours = RelativePositions.table(t, t, config.positionBuckets(), config.maxRelativePositions());
            float[] e = expected.toFloatArray();
            for (int i = 0; i < e.length; i++) assertEquals((int) e[i], ours[i], "relative_position[" + i / t + ", " + i % t + "]");
        }
    }

    /** The tensor-op path (what training runs) gives the reference's output too, not only the inference kernel. */
    @ParameterizedTest
    @ValueSource(strings = {"v3_buckets16_fp32", "v3_buckets16_maxrel24_bf16", "v3_hub_config_buckets256_fp32"})
    void gradientPathMatchesReference(String name) {
        FixtureCase c = FixtureCase.load(ROOT.resolve(name));
        Tensor ids = DebertaCheck.matrix(c, "input_ids", true), mask = DebertaCheck.matrix(c, "attention_mask", false);
        try (SafetensorsWeights w = Weights.open(c.dir())) {
            DebertaV2Model m = DebertaV2Model.load(w, DebertaV2Config.from(c.config()));
            Tensor out = m.forward(ids, mask, null);                                             // grad enabled: tensor ops
            float[] e = c.expected().get("last_hidden_state").toFloatArray(), a = out.toFloatArray();
            int compared = 0;
            for (int i = 0; i < e.length; i++) {
                if (Float.isNaN(e[i])) continue;   // padded query rows: implementation-defined
                compared++;
                assertTrue(Math.abs(a[i] - e[i]) <= c.atol() + c.rtol() * Math.abs(e[i]), "[" + i + "] " + a[i] + " vs " + e[i]);
            }
            assertTrue(compared > 0);
        }
    }
}
