package dev.genai4j.cli;

import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 'genai4j serve' and 'genai4j bench serve': help with examples, and clear exit-2 errors before listening. */
class ServeCommandTest {
    private static String run(int[] rc, String... args) {
        return CliRun.combined(rc, args);
    }

    @Test
    void helpShowsExamples() {
        int[] rc = new int[1];
        String serve = run(rc, "serve", "--help");
        assertEquals(0, rc[0]);
        assertTrue(serve.contains("Examples") && serve.contains("/v1/embeddings") && serve.contains("GENAI4J_API_KEY"), serve);
        assertTrue(serve.contains("--lm") && serve.contains("--clip") && serve.contains("/v1/chat/completions") && serve.contains("browser UI"), serve);
        assertTrue(serve.contains("--diffusion") && serve.contains("--pointe") && serve.contains("/v1/images/generations")
                && serve.contains("/point-cloud") && serve.contains("--max-images"), serve);
        String bench = run(rc, "bench", "serve", "--help");
        assertEquals(0, rc[0]);
        assertTrue(bench.contains("--clients") && bench.contains("Examples"), bench);
    }

    @Test
    void badModelFoldersFailBeforeListening() {
        int[] rc = new int[1];
        String text = run(rc, "serve", "--port", "0", "--ner-model", "/no/such/gliner");
        assertEquals(2, rc[0], text);
        assertTrue(text.contains("--ner-model /no/such/gliner: no such folder"), text);
        text = run(rc, "serve", "--port", "0", "--lm", "/no/such/moe");
        assertEquals(2, rc[0], text);
        assertTrue(text.contains("--lm /no/such/moe: no such folder"), text);
        text = run(rc, "serve", "--port", "0", "--clip", "/no/such/clip");
        assertEquals(2, rc[0], text);
        assertTrue(text.contains("--clip /no/such/clip: no such folder"), text);
        text = run(rc, "serve", "--port", "0", "--diffusion", "/no/such/diffusion");
        assertEquals(2, rc[0], text);
        assertTrue(text.contains("--diffusion /no/such/diffusion: no such folder"), text);
        text = run(rc, "serve", "--port", "0", "--pointe", "/no/such/pointe");
        assertEquals(2, rc[0], text);
        assertTrue(text.contains("--pointe /no/such/pointe: no such folder"), text);
        text = run(rc, "serve", "--port", "0", "--max-images", "0");
        assertEquals(2, rc[0], text);
        assertTrue(text.contains("every limit must be positive"), text);
        text = run(rc, "serve", "--port", "0", "--model-root", "/no/such/root");
        assertEquals(2, rc[0], text);
        assertTrue(text.contains("model root /no/such/root is not a folder"), text);
        text = run(rc, "bench", "serve", "--seconds", "0");
        assertEquals(2, rc[0], text);
    }
}
