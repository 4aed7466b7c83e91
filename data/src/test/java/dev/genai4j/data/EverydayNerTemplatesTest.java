package dev.genai4j.data;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

class EverydayNerTemplatesTest {
    static NerExample ex(String text, NerExample.Span... spans) { return new NerExample(List.of(text.split(" ")), List.of(spans), "wordnet"); }

    static final List<NerExample> TRAIN = List.of(
            ex("Einstein was a physicist", new NerExample.Span(0, 0, "physicist"), new NerExample.Span(0, 0, "person")),
            ex("the city of Warsaw", new NerExample.Span(3, 3, "national capital"), new NerExample.Span(3, 3, "location")),
            // lower-case span words are not a name as written in prose; a 5-word span is too long
            ex("a rare sort of person", new NerExample.Span(4, 4, "person")),
            ex("The Very Long Name Here", new NerExample.Span(0, 4, "location")),
            ex("the Battle of Hastings", new NerExample.Span(1, 3, "battle")));

    @Test
    void namesComeFromTrainingSpansWithAllTheirLabels() {
        EverydayNerTemplates t = EverydayNerTemplates.from(TRAIN);
        assertEquals(Map.of("person", 1, "location", 1, "organization", 0, "event", 0), t.nameCounts());
        Set<String> seen = new TreeSet<>();
        Random rng = new Random(3);
        for (int i = 0; i < 200; i++) {
            NerExample e = t.sample(rng);
            assertTrue(Character.isUpperCase(e.tokens().getFirst().codePointAt(0)), e.text());
            assertEquals("template", e.source());
            for (NerExample.Span s : e.ner()) {
                String name = String.join(" ", e.tokens().subList(s.start(), s.end() + 1));
                seen.add(name + "=" + s.label());
                // frames with organization or event slots are skipped: no such names here
                assertTrue(name.equals("Einstein") || name.equals("Warsaw"), name);
            }
        }
        // every label of a name travels with it; nothing that is not in the training split appears
        assertEquals(Set.of("Einstein=physicist", "Einstein=person", "Warsaw=national capital", "Warsaw=location"), seen);
    }

    @Test
    void noNamesAtAllIsAnError() {
        DataException e = assertThrows(DataException.class, () -> EverydayNerTemplates.from(List.of(TRAIN.get(4))));
        assertTrue(e.getMessage().contains("names no person"), e.getMessage());
    }

    @Test
    void framesAvoidTheVerbsOfTheTenTestSentences() {
        // DefaultGlinerTest's sentences stay a held-out check: none of their verbs (or "professor") in a frame
        Set<String> held = Set.of("born", "moved", "spent", "grew", "sailed", "wrote", "exiled", "professor", "led");
        for (String f : EverydayNerTemplates.FRAMES) {
            for (String w : f.split(" ")) assertFalse(held.contains(w.toLowerCase()), f);
        }
    }
}
