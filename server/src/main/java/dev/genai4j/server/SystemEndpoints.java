package dev.genai4j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.tensor.Parallel;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health} (200 {@code {"status":"ok"}}, 503 while draining), {@code GET /info}
 * (version, models, threads, limits), {@code GET /metrics} (Prometheus text) and
 * {@code GET /v1/models} (OpenAI list shape).
 */
final class SystemEndpoints implements ServerExtension {
    private final BooleanSupplier draining;
    private final long startedMillis = System.currentTimeMillis();
    private List<String> routes = List.of();

    SystemEndpoints(BooleanSupplier draining) { this.draining = draining; }

    /** The routes the whole server has, listed in {@code /info}. */
    void routes(List<String> all) { routes = all; }

    static String version() {
        String v = SystemEndpoints.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    @Override
    public void register(Routes r, ServerContext c) {
        r.get("/health", ctx -> {
            if (draining.getAsBoolean()) throw ApiException.unavailable("shutting_down", "the server is shutting down", c.config().retryAfterSeconds());
            Responses.json(ctx, RequestJson.MAPPER.createObjectNode().put("status", "ok"));
        });
        r.get("/info", ctx -> Responses.json(ctx, info(c)));
        r.get("/metrics", ctx -> ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(c.metrics().render()));
        r.get("/v1/models", ctx -> {
            ObjectNode root = RequestJson.MAPPER.createObjectNode().put("object", "list");
            ArrayNode data = root.putArray("data");
            for (ModelCatalog.ModelInfo m : c.models().list()) {
                data.addObject().put("id", m.id()).put("object", "model").put("created", startedMillis / 1000).put("owned_by", "genai4j");
            }
            Responses.json(ctx, root);
        });
    }

    private ObjectNode info(ServerContext c) {
        ObjectNode o = RequestJson.MAPPER.createObjectNode();
        o.put("name", "genai4j");
        o.put("version", version());
        o.put("java", Runtime.version().toString());
        o.put("uptime_seconds", (System.currentTimeMillis() - startedMillis) / 1000);
        ObjectNode threads = o.putObject("threads");
        threads.put("compute", Parallel.threads());
        threads.put("processors", Runtime.getRuntime().availableProcessors());
        ArrayNode models = o.putArray("models");
        for (ModelCatalog.ModelInfo m : c.models().list()) models.addObject().put("id", m.id()).put("task", m.task()).put("loaded", m.loaded());
        o.put("default_embedding_model", c.models().defaultEmbeddingId());
        ObjectNode queue = o.putObject("queue");
        queue.put("capacity", c.work().capacity());
        queue.put("depth", c.work().depth());
        ObjectNode batching = o.putObject("batching");
        batching.put("max_texts", c.config().batchMaxTexts());
        batching.put("max_wait_micros", c.config().batchMaxWaitMicros());
        Limits l = c.limits();
        o.putObject("limits").put("max_body_bytes", l.maxBodyBytes()).put("max_text_chars", l.maxTextChars()).put("max_texts", l.maxTexts())
                .put("max_labels", l.maxLabels()).put("max_label_chars", l.maxLabelChars()).put("max_top_k", l.maxTopK())
                .put("max_new_tokens", l.maxNewTokens()).put("max_image_bytes", l.maxImageBytes()).put("max_image_pixels", l.maxImagePixels())
                .put("max_generated_images", l.maxGeneratedImages());
        o.put("auth", c.config().apiKey() != null ? "bearer" : "none");
        ArrayNode rs = o.putArray("routes");
        routes.forEach(rs::add);
        return o;
    }
}
