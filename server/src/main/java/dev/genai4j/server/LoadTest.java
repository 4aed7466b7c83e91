package dev.genai4j.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * A bounded load test of {@code POST /v1/embeddings}: {@code clients} concurrent callers, each
 * sending its next request as soon as the last is answered, for {@code duration} after a warm-up.
 * Reports latency percentiles, throughput, the 503s (intended back-pressure) apart from other
 * 5xx (bugs), and the heap before and after.
 *
 * <pre>{@code
 * LoadTest.Report r = LoadTest.run(new LoadTest.Options(server.uri(), null, 32, Duration.ofSeconds(20),
 *         Duration.ofSeconds(3), 1, null), LoadTest::heapAfterGc);
 * System.out.println(r.summary());
 * }</pre>
 */
public final class LoadTest {
    /** Texts of mixed length (3 to ~60 words), sent round-robin. */
    static final List<String> TEXTS = List.of(
            "Hello world.",
            "A cat sits on the mat.",
            "Stock markets fell sharply today as investors weighed the latest inflation figures.",
            "The quick brown fox jumps over the lazy dog near the quiet river bank in the early morning light.",
            "Embeddings map sentences to vectors so that similar meanings end up close together.",
            "¿Dónde está la biblioteca más cercana?",
            "In 1905 Albert Einstein published four papers that changed physics: on the photoelectric effect, Brownian motion, "
                    + "special relativity and the equivalence of mass and energy. Each would have been enough for a career, and together "
                    + "they made that year famous as his annus mirabilis, a phrase still used for it today.",
            "Ein kurzer Satz auf Deutsch.");

    /**
     * @param base             server root, e.g. http://127.0.0.1:8080
     * @param apiKey           sent as Bearer when non-null
     * @param clients          concurrent callers
     * @param duration         measured time
     * @param warmup           time before measuring (loads the model, warms the JIT)
     * @param textsPerRequest  texts in each request's {@code input}
     * @param model            the {@code model} field, or null for the server's default
     */
    public record Options(URI base, String apiKey, int clients, Duration duration, Duration warmup, int textsPerRequest, String model) {
        public Options {
            if (clients < 1 || textsPerRequest < 1) throw new IllegalArgumentException("LoadTest: clients and texts per request must be ≥ 1");
        }
    }

    /** What one run measured; latencies in milliseconds over the answered requests. */
    public record Report(int clients, double seconds, long requests, long ok, long busy503, long other5xx, long other4xx, long transportErrors,
                         double throughput, double textsPerSecond, double p50, double p90, double p99, double max,
                         long heapBefore, long heapAfter) {
        public String summary() {
            return String.format(Locale.ROOT,
                    "%d clients for %.1f s: %d requests (%.1f req/s, %.1f texts/s); 200: %d, 503: %d, other 5xx: %d, 4xx: %d, transport errors: %d%n"
                            + "latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n"
                            + "heap used: before %.1f MiB, after %.1f MiB (%+.1f MiB)",
                    clients, seconds, requests, throughput, textsPerSecond, ok, busy503, other5xx, other4xx, transportErrors,
                    p50, p90, p99, max, heapBefore / 1048576.0, heapAfter / 1048576.0, (heapAfter - heapBefore) / 1048576.0);
        }
    }

    private record ClientResult(long[] latencies, int n, long ok, long busy, long other5xx, long other4xx, long errors) {}

    private LoadTest() {}

    /** Runs the test; {@code heap} is read before and after (e.g. {@link #heapAfterGc} for an in-process server). */
    public static Report run(Options o, LongSupplier heap) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = o.base().resolve("/v1/embeddings");
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < TEXTS.size(); i++) {
            StringBuilder sb = new StringBuilder("{\"input\":[");
            for (int k = 0; k < o.textsPerRequest(); k++) {
                if (k > 0) sb.append(',');
                sb.append(RequestJson.MAPPER.valueToTree(TEXTS.get((i + k) % TEXTS.size())).toString());
            }
            sb.append(']');
            if (o.model() != null) sb.append(",\"model\":").append(RequestJson.MAPPER.valueToTree(o.model()).toString());
            bodies.add(sb.append('}').toString());
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // warm-up: same load, not measured
            drive(pool, client, uri, o, bodies, System.nanoTime() + o.warmup().toNanos());
            long heapBefore = heap.getAsLong();
            long t0 = System.nanoTime();
            List<ClientResult> results = drive(pool, client, uri, o, bodies, t0 + o.duration().toNanos());
            double seconds = (System.nanoTime() - t0) / 1e9;
            long heapAfter = heap.getAsLong();
            int total = 0;
            long ok = 0, busy = 0, other5xx = 0, other4xx = 0, errors = 0;
            for (ClientResult r : results) {
                total += r.n();
                ok += r.ok();
                busy += r.busy();
                other5xx += r.other5xx();
                other4xx += r.other4xx();
                errors += r.errors();
            }
            long[] all = new long[total];
            int at = 0;
            for (ClientResult r : results) {
                System.arraycopy(r.latencies(), 0, all, at, r.n());
                at += r.n();
            }
            Arrays.sort(all);
            long requests = ok + busy + other5xx + other4xx + errors;
            return new Report(o.clients(), seconds, requests, ok, busy, other5xx, other4xx, errors, requests / seconds,
                    ok * o.textsPerRequest() / seconds, pct(all, 0.50), pct(all, 0.90), pct(all, 0.99), total == 0 ? 0 : all[total - 1] / 1e6,
                    heapBefore, heapAfter);
        }
    }

    private static List<ClientResult> drive(ExecutorService pool, HttpClient client, URI uri, Options o, List<String> bodies, long deadline)
            throws InterruptedException {
        List<Future<ClientResult>> fs = new ArrayList<>();
        for (int c = 0; c < o.clients(); c++) {
            int first = c;
            fs.add(pool.submit(() -> oneClient(client, uri, o, bodies, first, deadline)));
        }
        List<ClientResult> out = new ArrayList<>();
        for (Future<ClientResult> f : fs) {
            try {
                out.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("load test client failed", e.getCause());
            }
        }
        return out;
    }

    private static ClientResult oneClient(HttpClient client, URI uri, Options o, List<String> bodies, int first, long deadline) {
        long[] lat = new long[1024];
        int n = 0;
        long ok = 0, busy = 0, other5xx = 0, other4xx = 0, errors = 0;
        for (int i = first; System.nanoTime() < deadline; i++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i % bodies.size())));
            if (o.apiKey() != null) b.header("Authorization", "Bearer " + o.apiKey());
            long t = System.nanoTime();
            int status;
            try {
                status = client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                errors++;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
            lat[n++] = System.nanoTime() - t;
            if (status == 200) ok++;
            else if (status == 503) busy++;
            else if (status >= 500) other5xx++;
            else other4xx++;
            if (status == 503) {
                try {
                    Thread.sleep(10);   // back off a little, as a client honouring Retry-After would
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return new ClientResult(lat, n, ok, busy, other5xx, other4xx, errors);
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    /** Heap in use after a full collection (for an in-process server: "is memory flat?"). */
    public static long heapAfterGc() {
        System.gc();
        System.gc();
        return Metrics.heapUsedBytes();
    }
}
