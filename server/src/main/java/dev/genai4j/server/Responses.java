package dev.genai4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

/** Writes JSON answers with our mapper (Javalin's own JSON mapper is not configured). */
public final class Responses {
    private Responses() {}

    /** 200 with {@code node} as the body. */
    public static void json(Context ctx, JsonNode node) {
        try {
            ctx.status(200).contentType("application/json").result(RequestJson.MAPPER.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing a response failed", e);
        }
    }

    /** The status and JSON error body of {@code e}, plus {@code Retry-After} when it has one. */
    public static void error(Context ctx, ApiException e) {
        if (e.retryAfterSeconds() != null) ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
        if (e.status() == 401) ctx.header("WWW-Authenticate", "Bearer");
        ctx.status(e.status()).contentType("application/json").result(ErrorBodies.of(e));
    }
}
