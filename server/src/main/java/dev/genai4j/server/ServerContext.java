package dev.genai4j.server;

/**
 * What an endpoint needs from the server: its configuration, the shared models, the bounded work
 * queue (take a slot around any model work), the metrics and the strict body reader.
 *
 * <pre>{@code
 * ObjectNode body = context.json().read(ctx);
 * try (WorkQueue.Slot slot = context.work().admit()) { … model work … }
 * }</pre>
 */
public record ServerContext(ServerConfig config, ModelCatalog models, WorkQueue work, Metrics metrics, RequestJson json) {
    public Limits limits() { return config.limits(); }
}
