package dev.genai4j.models.bert;

import dev.genai4j.text.TokenizerException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Search over a few texts with the real MiniLM: the right document first, order and k, prefixes, bad input. */
class SemanticSearchTest {
    static final List<String> DOCS = List.of(
            "To reset your password, open Settings and choose 'Forgot password'.",
            "Our office is closed on public holidays.",
            "The recipe needs two eggs, flour and a cup of milk.",
            "Refunds are issued within 14 days of receiving the returned item.",
            "The train to Berlin leaves from platform 4 at 9:15.");

    @Test
    void eachQueryFindsItsDocumentFirstAndScoresAreSortedAndConsistent() {
        try (Embedder e = Embedder.load(RealEncoders.folder(EmbedderTest.NAME))) {
            SemanticSearch s = SemanticSearch.index(e, SemanticSearch.Prefixes.NONE, DOCS);
            List<String> queries = List.of("I forgot my login credentials", "when do I get my money back?",
                    "what ingredients for pancakes", "departure time of the Berlin train");
            int[] expected = {0, 3, 2, 4};
            List<List<SemanticSearch.Hit>> all = s.searchAll(queries, 3);
            for (int q = 0; q < queries.size(); q++) {
                List<SemanticSearch.Hit> hits = all.get(q);
                assertEquals(3, hits.size());
                assertEquals(expected[q], hits.getFirst().index(), queries.get(q) + " -> " + hits);
                assertEquals(DOCS.get(expected[q]), hits.getFirst().text());
                for (int i = 1; i < hits.size(); i++) assertTrue(hits.get(i - 1).score() >= hits.get(i).score(), hits.toString());
                // a score is the cosine of the two embeddings, whatever the batch they were embedded in
                float[][] v = e.embed(List.of(queries.get(q), DOCS.get(expected[q])));
                assertEquals(Embedder.cosine(v[0], v[1]), hits.getFirst().score(), 1e-5);
            }
            assertEquals(DOCS.size(), s.search("anything at all", 50).size(), "k larger than the corpus returns every document");
        }
    }

    @Test
    void prefixesFollowTheModelAndBadInputIsRejected() {
        assertEquals(SemanticSearch.Prefixes.E5, SemanticSearch.Prefixes.forModel("e5-small-v2"));
        assertEquals(SemanticSearch.Prefixes.BGE, SemanticSearch.Prefixes.forModel("/models/bge-small-en-v1.5"));
        assertEquals(SemanticSearch.Prefixes.NONE, SemanticSearch.Prefixes.forModel("all-minilm-l6-v2"));
        try (Embedder e = Embedder.load(RealEncoders.folder(EmbedderTest.NAME))) {
            assertThrows(TokenizerException.class, () -> SemanticSearch.index(e, SemanticSearch.Prefixes.NONE, List.of()));
            var blank = assertThrows(TokenizerException.class, () -> SemanticSearch.index(e, SemanticSearch.Prefixes.NONE, List.of("ok", " ")));
            assertTrue(blank.getMessage().contains("document 1"), blank.getMessage());
            SemanticSearch s = SemanticSearch.index(e, SemanticSearch.Prefixes.NONE, DOCS);
            assertThrows(TokenizerException.class, () -> s.search("  ", 1));
            assertThrows(IllegalArgumentException.class, () -> s.search("fine", 0));
        }
    }
}
