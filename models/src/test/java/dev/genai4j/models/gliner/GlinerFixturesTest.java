package dev.genai4j.models.gliner;

import dev.genai4j.models.check.CheckResult;
import dev.genai4j.models.check.CheckRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parity with every committed GLiNER reference case: the three output tensors and the decoded entities. */
class GlinerFixturesTest {
    static final Path ROOT = Path.of("src/test/resources/fixtures/gliner");

    @ParameterizedTest
    @ValueSource(strings = {"bert_lstm_markerV0_fp32", "bert_lstm_markerV0_bf16", "bert36_projection_fp32", "modernbert_lstm_markerV0_fp32", "modernbert_lstm_token_level_fp32", "biencoder_modernbert_bert_fp32"})
    void casePasses(String name) {
        CheckResult r = CheckRunner.check(ROOT.resolve(name));
        r.lines().forEach(l -> System.out.println(name + " " + l.format()));
        assertEquals(4, r.lines().size(), "span_logits (or token_logits), words_embedding, prompts_embedding, entities");
        assertTrue(r.lines().stream().anyMatch(l -> l.name().equals("entities")), "entities compared");
        assertTrue(r.allOk(), r.summary());
    }

    /** GLiNER on a DeBERTa-v3 backbone ({@code encoder_config.model_type: deberta-v2}): the shared gliner-deberta cases. */
    @ParameterizedTest
    @ValueSource(strings = {"deberta_lstm_markerV0_fp32"})
    void debertaCasePasses(String name) {
        CheckResult r = CheckRunner.check(Path.of("src/test/resources/fixtures/gliner-deberta").resolve(name));
        r.lines().forEach(l -> System.out.println(name + " " + l.format()));
        assertEquals(4, r.lines().size(), "span_logits, words_embedding, prompts_embedding, entities");
        assertTrue(r.allOk(), r.summary());
    }
}
