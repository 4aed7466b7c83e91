package dev.genai4j.models.gliner;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Texts longer than one pass (the fixture model reads 384 words / 512 tokens): the whole text is
 * read as overlapping windows, the last window's spans are exactly those of that window read
 * alone, and entity offsets point at their text (code points, with emoji and CJK in the text).
 */
class GlinerLongTextTest {
    private static Gliner g;

    @BeforeAll
    static void load() { g = Gliner.load(GlinerFixturesTest.ROOT.resolve("bert_lstm_markerV0_fp32")); }

    @AfterAll
    static void close() { g.close(); }

    /** About {@code words} words of varied sentences; emoji and CJK now and then. */
    static String longText(int words) {
        String[] who = {"Marie Curie", "Alan Turing", "Ada Lovelace", "Niels Bohr", "Grace Hopper", "Srinivasa Ramanujan"};
        String[] where = {"Warsaw", "Paris", "Manchester", "Copenhagen", "New York", "東京", "Zürich"};
        String[] what = {"studied radioactivity", "built a machine 🤖", "wrote long notes", "taught physics", "debugged a relay", "proved theorems"};
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (int i = 0; n < words; i++) {
            String s = switch (i % 4) {
                case 0 -> who[i % who.length] + " " + what[(i / 3) % what.length] + " in " + where[i % where.length] + " in " + (1850 + i % 150) + ".";
                case 1 -> "Later, " + who[(i + 2) % who.length] + " visited " + where[(i / 2) % where.length] + " with friends!";
                case 2 -> "Was the meeting in " + where[(i + 3) % where.length] + " on day " + i + " of the year?";
                default -> "Some said 😀 that " + who[(i / 4) % who.length] + " liked " + where[(i + 5) % where.length] + " more than any other city";
            };
            sb.append(s).append(i % 9 == 8 ? "\n\n" : " ");
            n += WordSplitter.split(s).size();
        }
        return sb.append("In the end, Marie Curie returned to Warsaw 🎉 in 1932.").toString();
    }

    @Test
    void twentyThousandWordsAreReadToTheEnd() {
        String text = longText(20_000);
        List<String> labels = List.of("person");
        List<WordSplitter.Word> words = WordSplitter.split(text);
        assertTrue(words.size() >= 20_000, "words: " + words.size());

        // threshold 0, flat: every single-word span is a candidate, so the entities tile every word of the text
        Gliner.Merged merged = g.merge(List.of(text), List.of(labels), 0.0, 16);
        List<Entity> es = Gliner.toEntities(text, words, labels, SpanDecoder.greedy(merged.candidates().getFirst(), true, false));
        int next = 0;
        for (Entity e : es) {
            assertEquals(next, e.wordStart(), "entities tile the words: gap or overlap before " + e);
            next = e.wordEnd() + 1;
            assertEquals(text.substring(text.offsetByCodePoints(0, e.start()), text.offsetByCodePoints(0, e.end())), e.text());
            assertEquals(words.get(e.wordStart()).start(), e.start());
            assertEquals(words.get(e.wordEnd()).end(), e.end());
        }
        assertEquals(words.size(), next, "the last entity ends at the last word");
        Entity last = es.getLast();
        assertTrue(text.endsWith(last.text()), last.toString());
        assertEquals(text.codePointCount(0, text.length()), last.end());

        // the last window's spans (past its overlap with the one before) are those of that window read alone
        List<PassPlanner.Pass> passes = g.plan(List.of(words), List.of(labels));
        assertTrue(passes.size() >= 20_000 / 384 + 1, "windows: " + passes.size());
        PassPlanner.Pass lastPass = passes.getLast(), before = passes.get(passes.size() - 2);
        assertEquals(words.size(), lastPass.to());
        assertTrue(before.to() > lastPass.from(), "windows overlap");
        int fromChar = text.offsetByCodePoints(0, words.get(lastPass.from()).start());
        String tail = text.substring(fromChar);
        List<SpanDecoder.Span> whole = merged.candidates().getFirst();
        List<SpanDecoder.Span> alone = g.merge(List.of(tail), List.of(labels), 0.0, 8).candidates().getFirst();
        Map<String, Double> wholeTail = new HashMap<>();
        for (SpanDecoder.Span s : whole) {
            if (s.start() >= before.to()) wholeTail.put((s.start() - lastPass.from()) + ":" + (s.end() - lastPass.from()) + ":" + s.label(), s.score());
        }
        int compared = 0;
        for (SpanDecoder.Span s : alone) {
            if (s.start() + lastPass.from() < before.to()) continue;
            Double got = wholeTail.remove(s.start() + ":" + s.end() + ":" + s.label());
            assertNotNull(got, "span of the last window alone missing from the whole text: " + s);
            assertEquals(s.score(), got, 1e-5);
            compared++;
        }
        assertTrue(compared > 1000, "compared " + compared);
        assertEquals(Map.of(), wholeTail, "spans past the last overlap that the last window alone does not give");
    }

    @Test
    void aTextThatFitsGivesTheSameEntitiesAloneOrBatchedWithALongOne() {
        String shortText = "Alan Turing 🤖 worked in Manchester and 東京 in 1950.";
        List<String> labels = List.of("person", "location");
        ExtractOptions o = ExtractOptions.defaults().withThreshold(0.2).nestedNer();
        List<Entity> alone = g.extract(shortText, labels, o);
        List<List<Entity>> batched = g.extractBatchPerText(List.of(longText(500), shortText, "  "),
                List.of(List.of("date"), labels, labels), o.withBatchSize(3));
        assertEquals(3, batched.size());
        assertEquals(List.of(), batched.get(2));
        assertEquals(alone.size(), batched.get(1).size());
        for (int i = 0; i < alone.size(); i++) {
            Entity a = alone.get(i), b = batched.get(1).get(i);
            assertEquals(List.of(a.start(), a.end(), a.text(), a.label()), List.of(b.start(), b.end(), b.text(), b.label()));
            assertEquals(a.score(), b.score(), 1e-5);
        }
        assertTrue(batched.getFirst().stream().allMatch(e -> e.label().equals("date")));
        assertThrows(IllegalArgumentException.class, () -> g.extractBatchPerText(List.of("a", "b"), List.of(labels), o));
    }

    @Test
    void windowsFitTheBudgetCoverEverySpanAndBreakAtSentences() {
        // 30 sentences of 9 words + "." = 300 words; varied token counts
        List<WordSplitter.Word> words = new ArrayList<>();
        int[] tokens = new int[300];
        for (int i = 0; i < 300; i++) {
            boolean end = i % 10 == 9;
            words.add(new WordSplitter.Word(end ? "." : "w" + i, i, i + 1));
            tokens[i] = end ? 1 : 1 + (i * 7) % 4;
        }
        int maxWords = 37, budget = 70, overlap = 5;
        List<TextChunker.Chunk> cs = TextChunker.plan(words, tokens, maxWords, budget, overlap);
        assertEquals(0, cs.getFirst().from());
        assertEquals(300, cs.getLast().to());
        for (int c = 0; c < cs.size(); c++) {
            TextChunker.Chunk ch = cs.get(c);
            assertTrue(ch.size() <= maxWords, ch.toString());
            int t = 0;
            for (int i = ch.from(); i < ch.to(); i++) t += tokens[i];
            assertTrue(t <= budget, ch + " has " + t + " tokens");
            if (c + 1 < cs.size()) {
                TextChunker.Chunk nx = cs.get(c + 1);
                assertTrue(nx.from() > ch.from() && nx.from() <= ch.to() - overlap, ch + " then " + nx);
                assertEquals(".", words.get(ch.to() - 1).text(), "window " + ch + " ends at a sentence end");
                assertEquals(".", words.get(nx.from() - 1).text(), "window " + nx + " starts a sentence");
            }
        }
        // every span of up to overlap + 1 words lies inside one window
        for (int s = 0; s < 300; s++) {
            for (int e = s; e < Math.min(300, s + overlap + 1); e++) {
                int fs = s, fe = e;
                assertTrue(cs.stream().anyMatch(ch -> ch.from() <= fs && fe < ch.to()), "span " + s + ".." + e);
            }
        }
        // no sentence ends: windows break at the last word that fits
        List<WordSplitter.Word> plain = new ArrayList<>();
        for (int i = 0; i < 100; i++) plain.add(new WordSplitter.Word("w", i, i + 1));
        List<TextChunker.Chunk> ps = TextChunker.plan(plain, new int[100], 30, 1000, 4);
        assertEquals(List.of(new TextChunker.Chunk(0, 30), new TextChunker.Chunk(26, 56), new TextChunker.Chunk(52, 82), new TextChunker.Chunk(78, 100)), ps);
    }
}
