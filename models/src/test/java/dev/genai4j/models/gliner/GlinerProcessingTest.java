package dev.genai4j.models.gliner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.text.HfTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our text processing rebuilds the reference's collated inputs, and the whole API reproduces its entities. */
class GlinerProcessingTest {
    static final Path ROOT = GlinerFixturesTest.ROOT;

    @ParameterizedTest
    @ValueSource(strings = {"bert_lstm_markerV0_fp32", "bert36_projection_fp32", "modernbert_lstm_markerV0_fp32", "modernbert_lstm_token_level_fp32", "biencoder_modernbert_bert_fp32"})
    void processorRebuildsReferenceInputs(String name) {
        Path dir = ROOT.resolve(name);
        JsonNode in = JsonConfig.read(dir.resolve("inputs.json")).tree();
        GlinerConfig cfg = GlinerConfig.from(JsonConfig.read(dir.resolve("gliner_config.json")));
        List<List<WordSplitter.Word>> words = new ArrayList<>();
        for (int b = 0; b < in.get("texts").size(); b++) {
            List<WordSplitter.Word> ws = WordSplitter.split(in.get("texts").get(b).asText());
            assertEquals(in.get("words").get(b).size(), ws.size(), "word count of text " + b);
            for (int i = 0; i < ws.size(); i++) {
                assertEquals(in.get("words").get(b).get(i).asText(), ws.get(i).text());
                assertEquals(in.get("word_start_chars").get(b).get(i).asInt(), ws.get(i).start());
                assertEquals(in.get("word_end_chars").get(b).get(i).asInt(), ws.get(i).end());
            }
            words.add(ws);
        }
        List<String> labels = new ArrayList<>();
        in.get("labels").forEach(l -> labels.add(l.asText()));
        try (HfTokenizer tok = HfTokenizer.load(dir)) {
            GlinerBatch batch = GlinerProcessor.collate(tok, cfg, words, labels).batch();
            for (int b = 0; b < batch.batchSize(); b++) {
                assertArrayEquals(ints(in.get("input_ids").get(b)), batch.inputIds()[b], "input_ids " + b);
                assertArrayEquals(ints(in.get("attention_mask").get(b)), batch.attentionMask()[b], "attention_mask " + b);
                assertArrayEquals(ints(in.get("words_mask").get(b)), batch.wordsMask()[b], "words_mask " + b);
                assertEquals(in.get("text_lengths").get(b).get(0).asInt(), batch.textLengths()[b]);
                assertArrayEquals(ints(in.get("span_mask").get(b)), batch.spanMask()[b], "span_mask " + b);
                for (int s = 0; s < batch.spanIdx()[b].length; s++) {
                    assertArrayEquals(ints(in.get("span_idx").get(b).get(s)), batch.spanIdx()[b][s], "span_idx " + b + "/" + s);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bert_lstm_markerV0_fp32", "bert_lstm_markerV0_bf16", "bert36_projection_fp32", "modernbert_lstm_markerV0_fp32", "modernbert_lstm_token_level_fp32", "biencoder_modernbert_bert_fp32"})
    void apiReproducesReferenceEntities(String name) {
        Path dir = ROOT.resolve(name);
        JsonNode in = JsonConfig.read(dir.resolve("inputs.json")).tree();
        JsonNode exp = JsonConfig.read(dir.resolve("expected_entities.json")).tree();
        List<String> texts = new ArrayList<>(), labels = new ArrayList<>();
        in.get("texts").forEach(t -> texts.add(t.asText()));
        in.get("labels").forEach(l -> labels.add(l.asText()));
        try (Gliner g = Gliner.load(dir)) {
            List<List<Entity>> got = g.extractBatch(texts, labels, ExtractOptions.defaults().withThreshold(exp.get("threshold").asDouble()));
            int total = 0;
            for (int b = 0; b < texts.size(); b++) {
                JsonNode want = exp.get("entities").get(b);
                assertEquals(want.size(), got.get(b).size(), "entities in text " + b + ": " + got.get(b));
                for (int i = 0; i < want.size(); i++) {
                    Entity e = got.get(b).get(i);
                    assertEquals(want.get(i).get("start").asInt(), e.start());
                    assertEquals(want.get(i).get("end").asInt(), e.end());
                    assertEquals(want.get(i).get("text").asText(), e.text());
                    assertEquals(want.get(i).get("label").asText(), e.label());
                    assertEquals(want.get(i).get("score").asDouble(), e.score(), 1e-4);
                    total++;
                }
                // one text alone gives the same entities as in the batch (padding does not leak)
                List<Entity> alone = g.extract(texts.get(b), labels, ExtractOptions.defaults().withThreshold(exp.get("threshold").asDouble()));
                assertEquals(got.get(b).size(), alone.size());
                for (int i = 0; i < alone.size(); i++) assertEquals(got.get(b).get(i).score(), alone.get(i).score(), 1e-5);
            }
            assertTrue(total > 0);
        }
    }

    @Test
    void badInputsGiveClearErrorsOrNoEntities() {
        try (Gliner g = Gliner.load(ROOT.resolve("bert_lstm_markerV0_fp32"))) {
            ExtractOptions o = ExtractOptions.defaults();
            assertTrue(assertThrows(IllegalArgumentException.class, () -> g.extract("Paris", List.of(), o)).getMessage().contains("no labels"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> g.extract("Paris", List.of("city", " "), o)).getMessage().contains("empty label"));
            // duplicates are dropped, the first kept: the same entities as without them
            assertEquals(g.extract("Paris is a city in France", List.of("city", "country"), o.withThreshold(0.0)),
                    g.extract("Paris is a city in France", List.of("city", "country", "city"), o.withThreshold(0.0)));
            assertEquals(List.of(), g.extract("  \n\t ", List.of("city"), o));
            assertEquals(List.of(), g.extract("", List.of("city"), o));
            // emoji (outside the BMP) and CJK: offsets in code points, text cut correctly
            List<Entity> es = g.extract("😀 東京 Zürich 😀 x", List.of("person", "location"), ExtractOptions.defaults().withThreshold(0.0).nestedNer());
            assertTrue(!es.isEmpty());
            String text = "😀 東京 Zürich 😀 x";
            for (Entity e : es) {
                int from = text.offsetByCodePoints(0, e.start()), to = text.offsetByCodePoints(0, e.end());
                assertEquals(text.substring(from, to), e.text());
            }
        }
    }

    private static int[] ints(JsonNode n) {
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = n.get(i).asInt();
        return out;
    }
}
