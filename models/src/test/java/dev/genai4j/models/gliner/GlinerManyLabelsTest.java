package dev.genai4j.models.gliner;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Label sets too large for one prompt run as several passes whose spans are merged. */
class GlinerManyLabelsTest {
    private static Gliner g;

    @BeforeAll
    static void load() { g = Gliner.load(GlinerFixturesTest.ROOT.resolve("bert_lstm_markerV0_fp32")); }

    @AfterAll
    static void close() { g.close(); }

    @Test
    void thousandsOfLabelsRunInGroupsAndEachGroupScoresAsIfAlone() {
        String text = "Grace Hopper 🐛 found a moth in a relay at Harvard in 1947 and 東京 was far away.";
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 1500; i++) labels.add("t" + i);
        List<WordSplitter.Word> words = WordSplitter.split(text);
        List<PassPlanner.Pass> passes = g.plan(List.of(words), List.of(labels));
        assertTrue(passes.size() > 10, "passes " + passes.size());
        // groups are consecutive, cover every label once, and each fits its share of the 512 tokens
        int next = 0;
        for (PassPlanner.Pass p : passes) {
            assertEquals(next, p.labelOffset());
            assertEquals(labels.subList(p.labelOffset(), p.labelOffset() + p.labels().size()), p.labels());
            assertEquals(0, p.from());
            assertEquals(words.size(), p.to());
            next += p.labels().size();
        }
        assertEquals(labels.size(), next);

        Gliner.Merged all = g.merge(List.of(text), List.of(labels), 0.0, 8);
        Map<String, Double> merged = new HashMap<>();
        for (SpanDecoder.Span s : all.candidates().getFirst()) merged.put(s.start() + ":" + s.end() + ":" + s.label(), s.score());
        // two groups, each run on its own, score the same spans the same
        for (PassPlanner.Pass p : List.of(passes.getFirst(), passes.get(passes.size() / 2))) {
            List<SpanDecoder.Span> alone = g.merge(List.of(text), List.of(p.labels()), 0.0, 8).candidates().getFirst();
            assertEquals(words.size() * 12 - 66, alone.size() / p.labels().size(), "every span inside the text, threshold 0");
            for (SpanDecoder.Span s : alone) {
                Double got = merged.get(s.start() + ":" + s.end() + ":" + (s.label() + p.labelOffset()));
                assertNotNull(got, s.toString());
                assertEquals(s.score(), got, 1e-5);
            }
        }
        List<Entity> es = Gliner.toEntities(text, words, labels, SpanDecoder.greedy(all.candidates().getFirst(), true, false));
        assertTrue(!es.isEmpty());
        for (Entity e : es) {
            assertTrue(new HashSet<>(labels).contains(e.label()), e.label());
            assertEquals(text.substring(text.offsetByCodePoints(0, e.start()), text.offsetByCodePoints(0, e.end())), e.text());
        }
    }

    /** A bi-encoder's labels cost no text tokens: they are split by count only, and each scores as if alone. */
    @Test
    void biEncoderSplitsLabelsByCountAndEachScoresAlone() {
        try (Gliner bi = Gliner.load(GlinerFixturesTest.ROOT.resolve("biencoder_modernbert_bert_fp32"))) {
            String text = "Ada Lovelace wrote notes in London in 1843.";
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < 300; i++) labels.add("kind " + i);
            List<PassPlanner.Pass> passes = bi.plan(List.of(WordSplitter.split(text)), List.of(labels));
            assertEquals(List.of(0, 128, 256), passes.stream().map(PassPlanner.Pass::labelOffset).toList());
            Map<String, Double> merged = new HashMap<>();
            for (SpanDecoder.Span s : bi.merge(List.of(text), List.of(labels), 0.0, 4).candidates().getFirst()) {
                merged.put(s.start() + ":" + s.end() + ":" + s.label(), s.score());
            }
            for (int l : new int[] {5, 200, 299}) {
                List<SpanDecoder.Span> alone = bi.merge(List.of(text), List.of(List.of(labels.get(l))), 0.0, 4).candidates().getFirst();
                assertTrue(!alone.isEmpty());
                for (SpanDecoder.Span s : alone) assertEquals(s.score(), merged.get(s.start() + ":" + s.end() + ":" + l), 1e-5, s.toString());
            }
        }
    }

    @Test
    void aLabelTooLongForThePromptIsAClearError() {
        String huge = "very ".repeat(300) + "long label";
        String msg = assertThrows(IllegalArgumentException.class, () -> g.extract("Paris", List.of("city", huge), ExtractOptions.defaults())).getMessage();
        assertTrue(msg.contains("needs 302 tokens") && msg.contains("at most 255"), msg);
    }
}
