package dev.genai4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** On a slice of the real WordNet 3.0 (src/test/resources/wordnet-slice: the synsets of six names and their hypernym chains). */
class SilverNerTest {
    static final Path SLICE = Path.of("src/test/resources/wordnet-slice");

    static SilverNer silver() { return SilverNer.from(WordNetNounGraph.open(SLICE)); }

    @Test
    void hypernymChainOfAClass() {
        WordNetNounGraph g = WordNetNounGraph.open(SLICE);
        WordNetNounGraph.Node einstein = g.node(10954498);
        assertEquals(List.of("Einstein", "Albert Einstein"), einstein.words());
        List<String> chain = g.chain(einstein.instanceOf().getFirst()).stream().map(WordNetNounGraph.Node::head).toList();
        assertEquals(List.of("physicist", "scientist", "person"), chain.subList(0, 3));
        assertEquals("entity", chain.getLast());
    }

    @Test
    void labelsAtThreeGranularities() {
        SilverNer s = silver();
        assertEquals(List.of("physicist", "scientist", "person"), s.labelsOf("Albert Einstein"));
        assertEquals(List.of("national capital", "capital", "location"), s.labelsOf("Warsaw"));
        // Paris is the city (first sense in index.noun), not the Trojan prince nor the Texan town
        assertEquals(List.of("national capital", "capital", "location"), s.labelsOf("Paris"));
        assertEquals(List.of(), s.labelsOf("Marie Curie"));   // not in the slice
    }

    @Test
    void marksMentionsInARealGloss() {
        SilverNer s = silver();
        // the gloss of Einstein's synset, first sentence
        List<String> words = NerWords.split("physicist born in Germany who formulated the special theory of relativity");
        NerExample e = s.annotate(words, "wordnet");
        assertNotNull(e);
        List<String> germany = new ArrayList<>();
        for (NerExample.Span sp : e.ner()) {
            assertEquals(3, sp.start());
            assertEquals(3, sp.end());
            germany.add(sp.label());
        }
        assertEquals("Germany", e.tokens().get(3));
        assertTrue(germany.contains("location"), "Germany is a location: " + germany);
        assertTrue(germany.contains("european country"), "Germany is a European country: " + germany);
        // multi-word names match longest first
        NerExample a = s.annotate(NerWords.split("a theory of Albert Einstein"), "wordnet");
        assertEquals(3, a.ner().getFirst().start());
        assertEquals(4, a.ner().getFirst().end());
        assertEquals("physicist", a.ner().getFirst().label());
    }

    @Test
    void sentenceStartCapitalCountsOnlyForProperNounsFirst() {
        SilverNer s = silver();
        // "bath": the commonest sense is the tub, so a sentence-initial "Bath" is not taken for the town
        assertNull(s.annotate(NerWords.split("Bath salts dissolve in water"), "gcide"));
        NerExample town = s.annotate(NerWords.split("the Roman baths of Bath"), "gcide");
        assertNotNull(town);
        assertEquals(4, town.ner().getFirst().start());
        // Paris's commonest sense is the city: fine at the start
        assertNotNull(s.annotate(NerWords.split("Paris is large"), "gcide"));
        assertNull(s.annotate(NerWords.split("nothing here at all"), "gcide"));
    }

    @Test
    void glossAndGcideSentences() {
        assertEquals(List.of("draw air into, and expel out of, the lungs", "I can breathe better when the air is clean"),
                SilverNer.glossSentences("draw air into, and expel out of, the lungs; \"I can breathe better when the air is clean\""));
        assertEquals(List.of("The capital of France.", "A kind of plaster."),
                SilverNer.gcideSentences("Paris, n.\n1. The capital of France.\n(a) A kind of plaster.\n"));
    }

    @Test
    void splitHoldsOutTypesAndIsSeeded() {
        List<NerExample> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String type = i % 4 == 0 ? "river" : i % 4 == 1 ? "composer" : "city";
            all.add(new NerExample(List.of("text", "number", "X" + i), List.of(new NerExample.Span(2, 2, type),
                    new NerExample.Span(2, 2, type.equals("composer") ? "person" : "location")), "test"));
        }
        all.add(all.getFirst());   // a duplicate text is dropped
        SilverNer.SplitConfig c = new SilverNer.SplitConfig(3, 0.1, 0.1, 1, 10, 60);
        SilverNer.Dataset d = SilverNer.split(all, c);
        // only "river" (50 texts) and "composer" (50) fit [10, 60]; "city" (100) and coarse labels never qualify
        assertEquals(1, d.heldOutTypes().size());
        String held = d.heldOutTypes().getFirst();
        assertTrue(held.equals("river") || held.equals("composer"), held);
        assertEquals(50, d.zeroShot().size());
        for (NerExample e : d.zeroShot()) assertEquals(List.of(held), e.ner().stream().map(NerExample.Span::label).toList());
        for (List<NerExample> part : List.of(d.train(), d.dev(), d.test())) {
            for (NerExample e : part) assertTrue(e.ner().stream().noneMatch(sp -> sp.label().equals(held)));
        }
        assertEquals(150, d.train().size() + d.dev().size() + d.test().size());
        assertTrue(d.dev().size() > 3 && d.test().size() > 3, d.dev().size() + " / " + d.test().size());
        assertEquals(d, SilverNer.split(all, c));
    }

    @Test
    void gliNerJsonRoundTrip(@TempDir Path dir) throws Exception {
        List<NerExample> ex = List.of(new NerExample(List.of("born", "in", "Germany"), List.of(new NerExample.Span(2, 2, "country")), "wordnet"));
        Path f = dir.resolve("train.json");
        NerJson.write(f, ex);
        assertTrue(java.nio.file.Files.readString(f).contains("{\"tokenized_text\":[\"born\",\"in\",\"Germany\"],\"ner\":[[2,2,\"country\"]]"));
        assertEquals(ex, NerJson.read(f));
        java.nio.file.Files.writeString(f, "[{\"tokenized_text\": [\"a\"], \"ner\": [[0, 3, \"x\"]]}]");
        DataException bad = assertThrows(DataException.class, () -> NerJson.read(f));
        assertTrue(bad.getMessage().contains("example 0"), bad.getMessage());
    }
}
