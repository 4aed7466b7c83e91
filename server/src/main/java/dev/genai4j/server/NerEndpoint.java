package dev.genai4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.gliner.Entity;
import dev.genai4j.models.gliner.ExtractOptions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /ner}: zero-shot entities with the configured GLiNER model.
 * {@code {"text": "…" | "texts": [...], "labels": ["person", …], "threshold": 0.5, "flat": true,
 * "multi_label": false}} → {@code {"model", "entities": [{"start", "end", "text", "label", "score"}]}}
 * for {@code text}, or {@code {"model", "results": [{"entities": [...]}, …]}} for {@code texts}.
 * {@code start}/{@code end} are code-point offsets into the text, end exclusive (Python's indexing).
 */
final class NerEndpoint implements ServerExtension {
    private static final Set<String> FIELDS = Set.of("text", "texts", "labels", "threshold", "flat", "multi_label");

    @Override
    public void register(Routes r, ServerContext c) {
        r.post("/ner", ctx -> {
            ObjectNode body = c.json().read(ctx);
            Fields.allowOnly(body, FIELDS);
            boolean one = Fields.has(body, "text");
            if (one == Fields.has(body, "texts")) {
                throw ApiException.badRequest(one ? "texts" : "text", "missing_parameter", "send either 'text' (a string) or 'texts' (an array of strings), exactly one");
            }
            List<String> texts = one ? List.of(Fields.text(body, "text", c.limits())) : Fields.texts(body.get("texts"), "texts", c.limits());
            List<String> labels = labels(body.get("labels"), c.limits());
            double threshold = Fields.number(body, "threshold", 0.5, 0.0, 1.0);
            ExtractOptions options = new ExtractOptions(threshold, Fields.bool(body, "flat", true), Fields.bool(body, "multi_label", false));
            try (WorkQueue.Slot slot = c.work().admit()) {
                List<List<Entity>> found = c.models().withNer(g -> ModelCalls.run("ner", () -> g.extractBatch(texts, labels, options)));
                ObjectNode out = RequestJson.MAPPER.createObjectNode();
                out.put("model", c.models().list().stream().filter(m -> m.task().equals("ner")).findFirst().map(ModelCatalog.ModelInfo::id).orElse(""));
                if (one) {
                    entities(out.putArray("entities"), found.getFirst());
                } else {
                    ArrayNode results = out.putArray("results");
                    for (List<Entity> es : found) entities(results.addObject().putArray("entities"), es);
                }
                Responses.json(ctx, out);
            }
        });
    }

    static List<String> labels(JsonNode n, Limits limits) {
        if (n == null || n.isNull()) throw ApiException.badRequest("labels", "missing_parameter", "'labels' is required: the entity types to find, e.g. [\"person\", \"location\"]");
        if (!n.isArray()) throw ApiException.badRequest("labels", "invalid_type", "'labels' must be an array of strings, got " + Fields.kind(n));
        if (n.isEmpty()) throw ApiException.badRequest("labels", "empty_array", "'labels' is empty; name at least one entity type");
        if (n.size() > limits.maxLabels()) {
            throw ApiException.badRequest("labels", "too_many_labels", "'labels' has " + n.size() + " entries, more than the limit of " + limits.maxLabels());
        }
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            String where = "labels[" + i + "]";
            JsonNode l = n.get(i);
            if (!l.isTextual()) throw ApiException.badRequest(where, "invalid_type", "'" + where + "' must be a string, got " + Fields.kind(l));
            String s = Fields.checkText(l.textValue(), where, limits).strip();
            if (s.length() > limits.maxLabelChars()) {
                throw ApiException.badRequest(where, "label_too_long", "'" + where + "' is " + s.length() + " characters, more than the limit of " + limits.maxLabelChars());
            }
            if (!seen.add(s)) throw ApiException.badRequest(where, "duplicate_label", "label '" + RequestJson.clip(s, 60) + "' appears twice");
            out.add(s);
        }
        return out;
    }

    private static void entities(ArrayNode a, List<Entity> es) {
        for (Entity e : es) {
            a.addObject().put("start", e.start()).put("end", e.end()).put("text", e.text()).put("label", e.label()).put("score", e.score());
        }
    }
}
