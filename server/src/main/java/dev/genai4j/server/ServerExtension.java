package dev.genai4j.server;

/**
 * A set of endpoints plugged into the server (generation, images, … as those families land).
 * Its routes get everything the built-in ones do: the API key check, metrics by route, JSON
 * errors, the body limit through {@link RequestJson}, graceful shutdown; model work should take a
 * {@link WorkQueue} slot.
 *
 * <pre>{@code
 * ServerExtension chat = (routes, context) -> routes.post("/v1/chat/completions", ctx -> {
 *     ObjectNode body = context.json().read(ctx);
 *     try (WorkQueue.Slot slot = context.work().admit()) { … }
 * });
 * Genai4jServer server = Genai4jServer.start(config, List.of(chat));
 * }</pre>
 */
@FunctionalInterface
public interface ServerExtension {
    /** Adds this extension's routes; called once, before the server starts listening. */
    void register(Routes routes, ServerContext context);
}
