package dev.genai4j.server;

import dev.genai4j.models.bert.Embedder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Concurrent encoder requests share one forward: with room for 6 texts and a long wait, 6 parallel
 * single-text requests fill exactly one batch (seen in the metrics), and each caller gets the
 * vector the Embedder gives its text alone.
 */
class BatchingTest {
    /** A thread per client: the common pool may have fewer threads than there are clients to hold open at once. */
    static final java.util.concurrent.ExecutorService CLIENTS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    @Test
    void concurrentRequestsShareOneForwardAndGetTheirOwnVectors() throws Exception {
        List<String> texts = List.of("short", "a somewhat longer sentence about cats", "Stock markets fell sharply today.",
                "¿Dónde está la biblioteca?", "x", "Ein Satz auf Deutsch.");
        float[][] alone = new float[texts.size()][];
        Embedder e = TestModels.reference();
        for (int i = 0; i < texts.size(); i++) alone[i] = e.embed(List.of(texts.get(i)))[0];
        // the batch closes when all 6 texts are in, so the long wait never runs out while they are coming
        ServerConfig cfg = ServerConfig.builder().port(0).batchMaxTexts(texts.size()).batchMaxWaitMicros(30_000_000).build();
        try (Genai4jServer s = Genai4jServer.start(cfg, List.of())) {
            s.context().models().embedding(null);   // load first, so the requests arrive together
            List<CompletableFuture<Http.Answer>> fs = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                String body = Http.json(i % 2 == 0 ? Map.of("input", texts.get(i)) : Map.of("input", List.of(texts.get(i))));
                fs.add(CompletableFuture.supplyAsync(() -> Http.post(s.uri(), "/v1/embeddings", body), CLIENTS));
            }
            for (int i = 0; i < texts.size(); i++) {
                Http.Answer a = fs.get(i).get(60, TimeUnit.SECONDS);
                assertEquals(200, a.status(), a.toString());
                float[] got = Http.floats(a.json().get("data").get(0).get("embedding"));
                // padded to the longest text of the batch: equal up to float rounding
                assertArrayEquals(alone[i], got, 1e-5f, "text " + i + " differs from its unbatched vector");
            }
            Metrics m = s.metrics();
            assertEquals(1, m.batchRequests().count(), "forwards run");
            assertEquals(texts.size(), (long) m.batchRequests().sum(), "requests in that forward");
            assertEquals(texts.size(), (long) m.batchTexts().sum());
            String prom = Http.get(s.uri(), "/metrics").body();
            assertTrue(prom.contains("genai4j_embed_batch_requests_bucket{le=\"4\"} 0\n"), prom);
            assertTrue(prom.contains("genai4j_embed_batch_requests_bucket{le=\"8\"} 1\n"), prom);
            assertTrue(prom.contains("genai4j_embed_batch_requests_sum 6\n"), prom);
        }
    }

    @Test
    void aRequestThatWouldOverflowTheBatchOpensTheNext() throws Exception {
        ServerConfig cfg = ServerConfig.builder().port(0).batchMaxTexts(4).batchMaxWaitMicros(0).build();
        try (Genai4jServer s = Genai4jServer.start(cfg, List.of())) {
            List<String> ten = new ArrayList<>();
            for (int i = 0; i < 10; i++) ten.add("text number " + i);
            Http.Answer a = Http.post(s.uri(), "/embed", Http.json(Map.of("texts", ten)));
            assertEquals(200, a.status(), a.toString());
            assertEquals(10, a.json().get("embeddings").size());
            // larger than a batch: it runs alone, whole
            assertEquals(1, s.metrics().batchRequests().count());
            assertEquals(10, (long) s.metrics().batchTexts().sum());
        }
    }
}
