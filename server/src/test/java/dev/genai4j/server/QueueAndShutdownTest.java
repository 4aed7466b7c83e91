package dev.genai4j.server;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The bounded work queue answers 503 + Retry-After when full, and a stop lets the requests in flight
 * finish while turning new ones away. A plugged-in route holds work-queue slots until released,
 * which also shows that extensions get the same plumbing as the built-in routes.
 */
class QueueAndShutdownTest {
    /** A thread per client: the common pool may have fewer threads than there are clients to hold open at once. */
    static final java.util.concurrent.ExecutorService CLIENTS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    /** An extension whose POST /hold takes a slot and waits for {@code release}. */
    static final class Hold implements ServerExtension {
        final CountDownLatch entered;
        final CountDownLatch release = new CountDownLatch(1);

        Hold(int holders) { entered = new CountDownLatch(holders); }

        @Override
        public void register(Routes routes, ServerContext context) {
            routes.post("/hold", ctx -> {
                try (WorkQueue.Slot slot = context.work().admit()) {
                    entered.countDown();
                    if (!release.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                    ctx.status(200).contentType("application/json").result("{\"held\":true}");
                }
            });
        }
    }

    @Test
    void fullQueueAnswers503WithRetryAfter() throws Exception {
        Hold hold = new Hold(2);
        try (Genai4jServer s = Genai4jServer.start(ServerConfig.builder().port(0).queueCapacity(2).retryAfterSeconds(3).build(), List.of(hold))) {
            var h1 = CompletableFuture.supplyAsync(() -> Http.post(s.uri(), "/hold", "{}"), CLIENTS);
            var h2 = CompletableFuture.supplyAsync(() -> Http.post(s.uri(), "/hold", "{}"), CLIENTS);
            assertTrue(hold.entered.await(30, TimeUnit.SECONDS), "holders did not start");
            assertEquals(2, s.context().work().depth());

            for (String p : List.of("/v1/embeddings", "/embed")) {
                Http.Answer busy = Http.post(s.uri(), p, Http.json(Map.of(p.equals("/embed") ? "text" : "input", "hello")));
                assertEquals(503, busy.status(), busy.toString());
                assertEquals("3", busy.header("Retry-After"));
                assertEquals("queue_full", busy.json().get("error").get("code").asText());
            }
            assertEquals(200, Http.get(s.uri(), "/health").status(), "cheap routes need no slot");
            assertTrue(Http.get(s.uri(), "/metrics").body().contains("genai4j_work_rejected_total 2\n"));

            hold.release.countDown();
            assertEquals(200, h1.get(30, TimeUnit.SECONDS).status());
            assertEquals(200, h2.get(30, TimeUnit.SECONDS).status());
            assertEquals(0, s.context().work().depth());
            Http.Answer ok = Http.post(s.uri(), "/v1/embeddings", Http.json(Map.of("input", "hello")));
            assertEquals(200, ok.status(), "served again once slots are free: " + ok);
        }
    }

    @Test
    void stopFinishesRequestsInFlightAndRefusesNewOnes() throws Exception {
        Hold hold = new Hold(1);
        Genai4jServer s = Genai4jServer.start(ServerConfig.builder().port(0).build(), List.of(hold));
        var inFlight = CompletableFuture.supplyAsync(() -> Http.post(s.uri(), "/hold", "{}"), CLIENTS);
        assertTrue(hold.entered.await(30, TimeUnit.SECONDS));
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(s::stop, CLIENTS);
        // the stop waits for the held request; meanwhile new requests are told to come back
        Http.Answer refused = null;
        for (int i = 0; i < 200 && (refused == null || refused.status() != 503); i++) {
            refused = Http.get(s.uri(), "/health");
            if (refused.status() != 503) Thread.sleep(10);
        }
        assertEquals(503, refused.status(), refused.toString());
        assertEquals("shutting_down", refused.json().get("error").get("code").asText());
        assertNotNull(refused.header("Retry-After"));
        assertFalse(stopping.isDone(), "stop returned with a request in flight");

        hold.release.countDown();
        Http.Answer finished = inFlight.get(30, TimeUnit.SECONDS);
        assertEquals(200, finished.status(), "the in-flight request completes: " + finished);
        assertEquals("{\"held\":true}", finished.body());
        stopping.get(30, TimeUnit.SECONDS);
        assertThrows(Exception.class, () -> Http.get(s.uri(), "/health"), "nothing listens after stop");
    }
}
