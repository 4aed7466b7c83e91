package dev.genai4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code genai4j search} with the real MiniLM: a corpus file plus --doc, JSON shape and order, clear errors. */
class SearchCommandTest {
    private static String[] run(int[] rc, String... args) {
        return CliRun.outErr(rc, args);
    }

    @Test
    void corpusAndDocsAreSearchedAndJsonListsHitsBestFirst(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("faq.txt");
        Files.writeString(corpus, "To reset your password, open Settings and choose 'Forgot password'.\n\n"
                + "Refunds are issued within 14 days of receiving the returned item.\n");
        int[] rc = new int[1];
        String[] r = run(rc, "search", "--corpus", corpus.toString(), "--doc", "The train to Berlin leaves at 9:15.",
                "--top", "2", "--json", "when do I get my money back?", "I forgot my login");
        assertEquals(0, rc[0], r[1]);
        JsonNode results = new ObjectMapper().readTree(r[0]).get("results");
        assertEquals(2, results.size());
        assertEquals("when do I get my money back?", results.get(0).get("query").asText());
        assertEquals(1, results.get(0).get("hits").get(0).get("index").asInt(), r[0]);   // blank line skipped: refunds is document 1
        assertEquals(0, results.get(1).get("hits").get(0).get("index").asInt(), r[0]);
        for (JsonNode q : results) {
            assertEquals(2, q.get("hits").size());
            assertTrue(q.get("hits").get(0).get("score").asDouble() >= q.get("hits").get(1).get("score").asDouble());
        }
    }

    @Test
    void missingDocumentsOrCorpusGiveOneLineErrors(@TempDir Path dir) {
        int[] rc = new int[1];
        String[] r = run(rc, "search", "a query");
        assertEquals(2, rc[0]);
        assertTrue(r[1].startsWith("search: no documents"), r[1]);
        r = run(rc, "search", "--corpus", dir.resolve("nope.txt").toString(), "a query");
        assertEquals(ExitCodes.MISSING, rc[0]);
        assertTrue(r[1].contains("cannot read corpus") && r[1].contains("nope.txt"), r[1]);
        r = run(rc, "search", "--doc", "something", "--top", "0", "a query");
        assertEquals(2, rc[0]);
        assertTrue(r[1].contains("--top"), r[1]);
    }
}
