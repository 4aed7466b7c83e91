package dev.genai4j.cli;

import dev.genai4j.server.Genai4jServer;
import dev.genai4j.server.Histogram;
import dev.genai4j.server.LoadTest;
import dev.genai4j.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code genai4j bench serve}: a bounded load test of POST /v1/embeddings ({@link LoadTest}). */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
                "Load test on loopback: CLIENTS concurrent callers of POST /v1/embeddings for SECONDS (after a warm-up),",
                "each sending its next request when the last is answered. Prints p50/p90/p99 latency, throughput,",
                "the 503s (intended back-pressure) apart from other 5xx, and heap in use before and after.",
                "Without --url it starts a server in this JVM (default encoder, --queue slots) and reads the heap",
                "after a full GC and the batch sizes from it; with --url the heap is read from the server's /metrics.",
                "Run it on a quiet machine: it uses every core.",
                "",
                "Examples:",
                "  genai4j bench serve --clients 32 --seconds 20",
                "  genai4j bench serve --seconds 5 --queue 8          # small queue: expect 503s, no other 5xx",
                "  genai4j bench serve --url http://127.0.0.1:8080 --api-key KEY"
        })
final class ServeBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", description = "a running server (default: start one in this JVM)")
    URI url;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Bearer key for --url (default: $GENAI4J_API_KEY)")
    String apiKey;

    @Option(names = "--clients", defaultValue = "32", paramLabel = "N", description = "concurrent clients (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--seconds", defaultValue = "20", paramLabel = "S", description = "measured seconds (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "3", paramLabel = "S", description = "unmeasured seconds first (default ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--texts-per-request", defaultValue = "1", paramLabel = "N", description = "texts in each request's input (default ${DEFAULT-VALUE})")
    int textsPerRequest;

    @Option(names = "--model", paramLabel = "NAME", description = "the request's model field (default: the server's default encoder)")
    String model;

    @Option(names = "--queue", defaultValue = "64", paramLabel = "N", description = "in-process server: work-queue slots (default ${DEFAULT-VALUE})")
    int queue;

    @Option(names = "--batch-max-texts", defaultValue = "32", paramLabel = "N", description = "in-process server: texts per forward (default ${DEFAULT-VALUE})")
    int batchMaxTexts;

    @Option(names = "--json", description = "print one JSON object {bench, url, clients, seconds, requests, ok, busy503, …, p50, p99, …} instead of the text")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (seconds <= 0 || seconds > 600 || warmup < 0) {
            spec.commandLine().getErr().println("bench serve: --seconds must be in (0, 600] and --warmup-seconds ≥ 0");
            spec.commandLine().getErr().flush();
            return ExitCodes.USAGE;
        }
        Duration d = Duration.ofMillis((long) (seconds * 1000)), w = Duration.ofMillis((long) (warmup * 1000));
        if (url == null) {
            ServerConfig cfg = ServerConfig.builder().port(0).queueCapacity(queue).batchMaxTexts(batchMaxTexts).build();
            try (Genai4jServer server = Genai4jServer.start(cfg, List.of())) {
                server.context().models().embedding(model);
                if (!json) out.printf(Locale.ROOT, "bench serve: in-process server %s, queue %d, batches ≤ %d texts, %d compute threads%n",
                        server.uri(), queue, batchMaxTexts, dev.genai4j.tensor.Parallel.threads());
                out.flush();
                Histogram reqs = server.metrics().batchRequests();
                long forwards0 = reqs.count();
                double served0 = reqs.sum();
                LoadTest.Report r = LoadTest.run(new LoadTest.Options(server.uri(), null, clients, d, w, textsPerRequest, model), LoadTest::heapAfterGc);
                long forwards = reqs.count() - forwards0;
                double perForward = forwards == 0 ? 0.0 : (reqs.sum() - served0) / forwards;
                if (json) {
                    printJson(out, server.uri(), true, r, JsonResult.of("queue", queue, "batch_max_texts", batchMaxTexts,
                            "threads", dev.genai4j.tensor.Parallel.threads(), "forwards", forwards, "requests_per_forward", perForward));
                } else {
                    out.println(r.summary());
                    out.printf(Locale.ROOT, "batching: %d forwards, %.2f requests per forward on average (warm-up included)%n", forwards, perForward);
                }
                out.flush();
                return r.other5xx() == 0 && r.transportErrors() == 0 ? 0 : 1;
            }
        }
        String key = apiKey != null ? apiKey : System.getenv("GENAI4J_API_KEY");
        URI metrics = url.resolve("/metrics");
        LoadTest.Report r = LoadTest.run(new LoadTest.Options(url, key, clients, d, w, textsPerRequest, model), () -> remoteHeap(metrics, key));
        if (json) {
            printJson(out, url, false, r, java.util.Map.of());
        } else {
            out.println("bench serve: " + url + " (heap as reported by its /metrics, no GC forced)");
            out.println(r.summary());
        }
        out.flush();
        return r.other5xx() == 0 && r.transportErrors() == 0 ? 0 : 1;
    }

    /** The report's figures (the same the text prints, unrounded) as one object; latencies in ms, heap in bytes (-1: unknown). */
    static void printJson(PrintWriter out, URI server, boolean inProcess, LoadTest.Report r, java.util.Map<String, ?> extra) {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var o = mapper.createObjectNode().put("bench", "serve").put("url", server.toString()).put("in_process", inProcess);
        o.setAll((com.fasterxml.jackson.databind.node.ObjectNode) mapper.valueToTree(r));
        extra.forEach((k, v) -> o.set(k, mapper.valueToTree(v)));
        out.println(o.toPrettyString());
    }

    private static long remoteHeap(URI metrics, String key) {
        try {
            var b = java.net.http.HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10));
            if (key != null) b.header("Authorization", "Bearer " + key);
            String text = java.net.http.HttpClient.newHttpClient().send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.split("\n")) {
                if (line.startsWith("genai4j_jvm_heap_used_bytes ")) return Long.parseLong(line.substring(line.indexOf(' ') + 1).strip());
            }
        } catch (Exception e) {
            // no heap figure then
        }
        return -1;
    }
}
