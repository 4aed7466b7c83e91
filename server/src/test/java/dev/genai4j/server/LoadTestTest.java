package dev.genai4j.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** The load-test tool itself, briefly (the real 32-client, 20 s run is 'genai4j bench serve'). */
class LoadTestTest {
    @Test
    void aShortRunCountsEveryAnswerAndOrdersThePercentiles() throws Exception {
        var o = new LoadTest.Options(SharedServer.uri(), null, 4, Duration.ofMillis(800), Duration.ZERO, 2, null);
        LoadTest.Report r = LoadTest.run(o, Metrics::heapUsedBytes);
        assertTrue(r.requests() > 0, r.summary());
        assertEquals(r.requests(), r.ok(), "every request answered 200: " + r.summary());
        assertEquals(0, r.other5xx() + r.other4xx() + r.transportErrors() + r.busy503(), r.summary());
        assertTrue(r.p50() > 0 && r.p50() <= r.p90() && r.p90() <= r.p99() && r.p99() <= r.max(), r.summary());
        assertEquals(r.ok() * 2 / r.seconds(), r.textsPerSecond(), 1e-9);
        assertTrue(r.heapBefore() > 0 && r.heapAfter() > 0);
        assertTrue(r.summary().contains("p99"), r.summary());
    }
}
