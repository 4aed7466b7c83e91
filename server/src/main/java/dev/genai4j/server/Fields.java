package dev.genai4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Typed access to the fields of a request object. Each getter either returns a value that is
 * safe to hand to a model or throws a 400 {@link ApiException} whose {@code param} is the field
 * and whose message says what was expected and what came.
 *
 * <pre>{@code
 * Fields.allowOnly(body, Set.of("text", "top_k"));
 * String text = Fields.text(body, "text", limits);
 * int k = Fields.integer(body, "top_k", 5, 1, limits.maxTopK());
 * }</pre>
 */
public final class Fields {
    private Fields() {}

    /** "a string", "a number", … for messages. */
    public static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) return "nothing";
        if (n.isNull()) return "null";
        if (n.isTextual()) return "a string";
        if (n.isBoolean()) return "a boolean";
        if (n.isNumber()) return "a number";
        if (n.isArray()) return "an array";
        if (n.isObject()) return "an object";
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    /** 400 {@code unknown_parameter} for any field outside {@code allowed}. */
    public static void allowOnly(ObjectNode body, Set<String> allowed) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ApiException.badRequest(RequestJson.clip(f, 60), "unknown_parameter", "unrecognized request field '"
                        + RequestJson.clip(f, 60) + "'; this endpoint takes " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    /** True when the field is present and not null. */
    public static boolean has(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        return n != null && !n.isNull();
    }

    /** An optional string (null when absent or null). */
    public static String optionalString(ObjectNode body, String field, int maxChars) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw ApiException.badRequest(field, "invalid_type", "'" + field + "' must be a string, got " + kind(n));
        String s = n.textValue();
        if (s.length() > maxChars) {
            throw ApiException.badRequest(field, "string_too_long", "'" + field + "' is " + s.length() + " characters, more than the limit of " + maxChars);
        }
        return s;
    }

    /** A required, non-blank text within the text-length limit. */
    public static String text(ObjectNode body, String field, Limits limits) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) throw ApiException.badRequest(field, "missing_parameter", "'" + field + "' is required");
        if (!n.isTextual()) throw ApiException.badRequest(field, "invalid_type", "'" + field + "' must be a string, got " + kind(n));
        return checkText(n.textValue(), field, limits);
    }

    /** A non-empty array of texts, each checked as by {@link #text}, at most {@link Limits#maxTexts()} of them. */
    public static List<String> texts(JsonNode n, String field, Limits limits) {
        if (n == null || n.isNull()) throw ApiException.badRequest(field, "missing_parameter", "'" + field + "' is required");
        if (!n.isArray()) throw ApiException.badRequest(field, "invalid_type", "'" + field + "' must be an array of strings, got " + kind(n));
        if (n.isEmpty()) throw ApiException.badRequest(field, "empty_array", "'" + field + "' is empty; send at least one text");
        if (n.size() > limits.maxTexts()) {
            throw ApiException.badRequest(field, "too_many_texts", "'" + field + "' has " + n.size() + " texts, more than the limit of " + limits.maxTexts());
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode t = n.get(i);
            String where = field + "[" + i + "]";
            if (!t.isTextual()) throw ApiException.badRequest(where, "invalid_type", "'" + where + "' must be a string, got " + kind(t));
            out.add(checkText(t.textValue(), where, limits));
        }
        return out;
    }

    /** A number in [min, max], or {@code dflt} when absent. */
    public static double number(ObjectNode body, String field, double dflt, double min, double max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return dflt;
        if (!n.isNumber()) throw ApiException.badRequest(field, "invalid_type", "'" + field + "' must be a number, got " + kind(n));
        double v = n.doubleValue();
        if (!(v >= min && v <= max)) {
            throw ApiException.badRequest(field, "out_of_range", "'" + field + "' must be between " + min + " and " + max + ", got " + n.asText());
        }
        return v;
    }

    /** An integer in [min, max], or {@code dflt} when absent. */
    public static int integer(ObjectNode body, String field, int dflt, int min, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return dflt;
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw ApiException.badRequest(field, "invalid_type", "'" + field + "' must be an integer, got " + (n.isNumber() ? RequestJson.clip(n.asText(), 40) : kind(n)));
        }
        int v = n.intValue();
        if (v < min || v > max) throw ApiException.badRequest(field, "out_of_range", "'" + field + "' must be between " + min + " and " + max + ", got " + v);
        return v;
    }

    /** A seed: any integer that fits in 64 bits, or {@code dflt} when absent. */
    public static long seed(ObjectNode body, String field, long dflt) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return dflt;
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiException.badRequest(field, "invalid_type", "'" + field + "' must be an integer of at most 64 bits, got "
                    + (n.isNumber() ? RequestJson.clip(n.asText(), 40) : kind(n)));
        }
        return n.longValue();
    }

    /** One of {@code allowed} (exact spelling), or {@code dflt} when absent. */
    public static String choice(ObjectNode body, String field, String dflt, java.util.List<String> allowed) {
        String v = optionalString(body, field, 100);
        if (v == null) return dflt;
        if (!allowed.contains(v)) {
            throw ApiException.badRequest(field, "invalid_value", "'" + field + "' must be one of " + allowed + ", got '" + RequestJson.clip(v, 40) + "'");
        }
        return v;
    }

    /** A boolean, or {@code dflt} when absent. */
    public static boolean bool(ObjectNode body, String field, boolean dflt) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return dflt;
        if (!n.isBoolean()) throw ApiException.badRequest(field, "invalid_type", "'" + field + "' must be true or false, got " + kind(n));
        return n.booleanValue();
    }

    /**
     * A text a model may take: not blank, within the length limit, and well-formed UTF-16 (an
     * unpaired surrogate, possible through a JSON {@code \\ud800} escape, cannot be tokenized).
     */
    public static String checkText(String s, String field, Limits limits) {
        if (s.isBlank()) throw ApiException.badRequest(field, "empty_text", "'" + field + "' is empty or only whitespace");
        if (s.length() > limits.maxTextChars()) {
            throw ApiException.badRequest(field, "text_too_long", "'" + field + "' is " + s.length() + " characters, more than the limit of " + limits.maxTextChars());
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiException.badRequest(field, "invalid_text", "'" + field + "' has an unpaired UTF-16 surrogate at index " + i);
            }
        }
        return s;
    }
}
