package dev.genai4j.server;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server's counters, histograms and gauges, written in the Prometheus text format
 * (version 0.0.4) by {@link #render()}. Route labels are the registered paths (or {@code unmatched}),
 * so a client cannot grow the label set by inventing URLs.
 *
 * <pre>{@code
 * metrics.request("/v1/embeddings", "POST", 200, 0.012);
 * String text = metrics.render();   // genai4j_http_requests_total{endpoint="/v1/embeddings",method="POST",status="200"} 1 …
 * }</pre>
 */
public final class Metrics {
    static final double[] LATENCY_BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    static final double[] BATCH_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256};
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

    private final Map<String, LongAdder> requests = new ConcurrentSkipListMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Histogram batchTexts = new Histogram(BATCH_BOUNDS);
    private final Histogram batchRequests = new Histogram(BATCH_BOUNDS);
    private final LongAdder rejected = new LongAdder();
    private final Map<String, Gauge> gauges = new ConcurrentSkipListMap<>();

    private final Map<String, Counter> counters = new ConcurrentSkipListMap<>();

    private record Gauge(String help, LongSupplier value) {}

    private record Counter(String help, LongAdder value) {}

    /** One answered request: route template (or "unmatched"), method, status and seconds taken. */
    public void request(String endpoint, String method, int status, double seconds) {
        String m = METHODS.contains(method) ? method : "OTHER";
        String labels = "endpoint=\"" + escape(endpoint) + "\",method=\"" + m + "\",status=\"" + status + "\"";
        requests.computeIfAbsent(labels, k -> new LongAdder()).increment();
        latency.computeIfAbsent("endpoint=\"" + escape(endpoint) + "\"", k -> new Histogram(LATENCY_BOUNDS)).observe(seconds);
    }

    /** One encoder forward: how many texts it embedded and for how many requests. */
    public void batch(int texts, int requestsInBatch) {
        batchTexts.observe(texts);
        batchRequests.observe(requestsInBatch);
    }

    /** A request turned away because the work queue was full. */
    public void rejected() { rejected.increment(); }

    /** A value read when the metrics are rendered (queue depth, heap, …). */
    public void gauge(String name, String help, LongSupplier value) { gauges.put(name, new Gauge(help, value)); }

    /**
     * A counter an endpoint adds to (e.g. {@code genai4j_generated_tokens_total}); asking twice for a
     * name gives the same counter.
     */
    public LongAdder counter(String name, String help) { return counters.computeIfAbsent(name, k -> new Counter(help, new LongAdder())).value(); }

    public long requestCount(String endpoint, int status) {
        long n = 0;
        String prefix = "endpoint=\"" + escape(endpoint) + "\",";
        String suffix = ",status=\"" + status + "\"";
        for (var e : requests.entrySet()) if (e.getKey().startsWith(prefix) && e.getKey().endsWith(suffix)) n += e.getValue().sum();
        return n;
    }

    public Histogram batchTexts() { return batchTexts; }

    public Histogram batchRequests() { return batchRequests; }

    public long rejectedCount() { return rejected.sum(); }

    /** Everything, in the Prometheus text exposition format. */
    public String render() {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("# HELP genai4j_http_requests_total HTTP requests answered, by route, method and status.\n");
        sb.append("# TYPE genai4j_http_requests_total counter\n");
        for (var e : requests.entrySet()) sb.append("genai4j_http_requests_total{").append(e.getKey()).append("} ").append(e.getValue().sum()).append('\n');
        sb.append("# HELP genai4j_http_request_duration_seconds Time from request start to response, by route.\n");
        sb.append("# TYPE genai4j_http_request_duration_seconds histogram\n");
        for (var e : new TreeMap<>(latency).entrySet()) e.getValue().writeTo(sb, "genai4j_http_request_duration_seconds", e.getKey());
        sb.append("# HELP genai4j_embed_batch_texts Texts embedded by one encoder forward.\n");
        sb.append("# TYPE genai4j_embed_batch_texts histogram\n");
        batchTexts.writeTo(sb, "genai4j_embed_batch_texts", "");
        sb.append("# HELP genai4j_embed_batch_requests Requests served by one encoder forward.\n");
        sb.append("# TYPE genai4j_embed_batch_requests histogram\n");
        batchRequests.writeTo(sb, "genai4j_embed_batch_requests", "");
        sb.append("# HELP genai4j_work_rejected_total Requests answered 503 because the work queue was full.\n");
        sb.append("# TYPE genai4j_work_rejected_total counter\n");
        sb.append("genai4j_work_rejected_total ").append(rejected.sum()).append('\n');
        for (var e : counters.entrySet()) {
            sb.append("# HELP ").append(e.getKey()).append(' ').append(e.getValue().help()).append('\n');
            sb.append("# TYPE ").append(e.getKey()).append(" counter\n");
            sb.append(e.getKey()).append(' ').append(e.getValue().value().sum()).append('\n');
        }
        for (var e : gauges.entrySet()) {
            sb.append("# HELP ").append(e.getKey()).append(' ').append(e.getValue().help()).append('\n');
            sb.append("# TYPE ").append(e.getKey()).append(" gauge\n");
            sb.append(e.getKey()).append(' ').append(e.getValue().value().getAsLong()).append('\n');
        }
        return sb.toString();
    }

    /** Heap in use now, in bytes (for the gauge and the load test). */
    public static long heapUsedBytes() {
        MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        return m.getHeapMemoryUsage().getUsed();
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
