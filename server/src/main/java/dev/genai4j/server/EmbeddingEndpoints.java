package dev.genai4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Sentence embeddings through the shared, batched encoders.
 *
 * <p>{@code POST /embed}: {@code {"text": "…"}} → {@code {"model", "dimensions", "embedding": [...]}},
 * or {@code {"texts": [...]}} → {@code {"model", "dimensions", "embeddings": [[...], ...]}};
 * optional {@code "model"}.
 *
 * <p>{@code POST /v1/embeddings}, as OpenAI's: {@code {"input": "…" | ["…", …], "model",
 * "encoding_format": "float" | "base64", "dimensions"?, "user"?}} → {@code {"object": "list",
 * "data": [{"object": "embedding", "index", "embedding"}], "model", "usage": {"prompt_tokens",
 * "total_tokens"}}}; base64 is the little-endian float32 bytes. Token-id inputs are refused.
 */
final class EmbeddingEndpoints implements ServerExtension {
    private static final Set<String> EMBED_FIELDS = Set.of("text", "texts", "model");
    private static final Set<String> OPENAI_FIELDS = Set.of("input", "model", "encoding_format", "dimensions", "user");

    @Override
    public void register(Routes r, ServerContext c) {
        r.post("/embed", ctx -> {
            ObjectNode body = c.json().read(ctx);
            Fields.allowOnly(body, EMBED_FIELDS);
            boolean one = Fields.has(body, "text");
            if (one == Fields.has(body, "texts")) {
                throw ApiException.badRequest(one ? "texts" : "text", "missing_parameter", "send either 'text' (a string) or 'texts' (an array of strings), exactly one");
            }
            List<String> texts = one ? List.of(Fields.text(body, "text", c.limits())) : Fields.texts(body.get("texts"), "texts", c.limits());
            String model = Fields.optionalString(body, "model", 255);
            try (WorkQueue.Slot slot = c.work().admit()) {
                EmbeddingModel m = c.models().embedding(model);
                EmbeddingBatcher.Result res = ModelCalls.await("embedding", m.batcher().submit(texts));
                ObjectNode out = RequestJson.MAPPER.createObjectNode();
                out.put("model", m.id());
                out.put("dimensions", m.dimensions());
                if (one) {
                    floats(out.putArray("embedding"), res.vectors()[0]);
                } else {
                    ArrayNode all = out.putArray("embeddings");
                    for (float[] v : res.vectors()) floats(all.addArray(), v);
                }
                Responses.json(ctx, out);
            }
        });
        r.post("/v1/embeddings", ctx -> {
            ObjectNode body = c.json().read(ctx);
            Fields.allowOnly(body, OPENAI_FIELDS);
            List<String> texts = input(body.get("input"), c.limits());
            String model = Fields.optionalString(body, "model", 255);
            String format = Fields.optionalString(body, "encoding_format", 16);
            if (format == null) format = "float";
            if (!format.equals("float") && !format.equals("base64")) {
                throw ApiException.badRequest("encoding_format", "invalid_value", "'encoding_format' must be 'float' or 'base64', got '" + format + "'");
            }
            Fields.optionalString(body, "user", 256);
            try (WorkQueue.Slot slot = c.work().admit()) {
                EmbeddingModel m = c.models().embedding(model);
                int dims = Fields.integer(body, "dimensions", m.dimensions(), 1, Integer.MAX_VALUE);
                if (dims != m.dimensions()) {
                    throw ApiException.badRequest("dimensions", "invalid_value", "model '" + m.id() + "' gives " + m.dimensions()
                            + " dimensions and cannot shorten them; got 'dimensions': " + dims);
                }
                EmbeddingBatcher.Result res = ModelCalls.await("embedding", m.batcher().submit(texts));
                ObjectNode out = RequestJson.MAPPER.createObjectNode();
                out.put("object", "list");
                ArrayNode data = out.putArray("data");
                for (int i = 0; i < res.vectors().length; i++) {
                    ObjectNode d = data.addObject();
                    d.put("object", "embedding");
                    d.put("index", i);
                    if (format.equals("base64")) d.put("embedding", base64(res.vectors()[i]));
                    else floats(d.putArray("embedding"), res.vectors()[i]);
                }
                out.put("model", m.id());
                out.putObject("usage").put("prompt_tokens", res.tokens()).put("total_tokens", res.tokens());
                Responses.json(ctx, out);
            }
        });
    }

    /** OpenAI's {@code input}: a string or an array of strings; token arrays are refused with a reason. */
    static List<String> input(JsonNode n, Limits limits) {
        if (n == null || n.isNull()) throw ApiException.badRequest("input", "missing_parameter", "'input' is required");
        if (n.isTextual()) return List.of(Fields.checkText(n.textValue(), "input", limits));
        if (n.isArray() && !n.isEmpty() && (n.get(0).isIntegralNumber() || n.get(0).isArray())) {
            throw ApiException.badRequest("input", "unsupported_input", "token-id input is not supported; send 'input' as a string or an array of strings");
        }
        if (!n.isArray()) throw ApiException.badRequest("input", "invalid_type", "'input' must be a string or an array of strings, got " + Fields.kind(n));
        return Fields.texts(n, "input", limits);
    }

    private static void floats(ArrayNode a, float[] v) {
        for (float x : v) a.add(x);
    }

    static String base64(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return Base64.getEncoder().encodeToString(b.array());
    }
}
