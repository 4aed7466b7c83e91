package dev.genai4j.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;

/**
 * The one strict JSON reader/writer of the io package. Checkpoint files are untrusted input, so
 * parsing caps nesting depth and number/string length (no stack overflow, no giant BigInteger),
 * rejects duplicate keys (two definitions of one tensor would be ambiguous) and trailing
 * garbage, and turns every failure into a {@link CheckpointException} naming the file.
 */
final class Json {
    private Json() {}

    /** Deepest nesting we accept; real headers and configs nest 3–5 levels. */
    static final int MAX_DEPTH = 64;

    private static final JsonMapper MAPPER = JsonMapper.builder(
                    JsonFactory.builder()
                            .streamReadConstraints(StreamReadConstraints.builder()
                                    .maxNestingDepth(MAX_DEPTH)
                                    .maxNumberLength(400)
                                    .maxNameLength(1 << 20)
                                    .maxStringLength(1 << 26)
                                    .build())
                            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                            // Python's json.dump writes NaN / Infinity / -Infinity, so HF configs may hold them
                            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            // `"key": value` as Python's json.dump writes it, not Jackson's `"key" : value`
            .defaultPrettyPrinter(new DefaultPrettyPrinter().withSeparators(
                    Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)))
            .build();

    static JsonMapper mapper() { return MAPPER; }

    /**
     * Parses one JSON value from {@code bytes} (UTF-8).
     *
     * @param what names the document in errors, e.g. {@code "header of /m/model.safetensors"}
     */
    static JsonNode parse(byte[] bytes, String what, java.util.function.Function<String, ? extends CheckpointException> error) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw withCause(error.apply("invalid JSON in " + what + ": " + firstLine(e.getMessage())), e);
        } catch (RuntimeException e) {
            // Jackson documents only IOException for bad input; this guard keeps that promise
            // for our callers should a corner case of an untrusted file slip through as another type.
            throw withCause(error.apply("invalid JSON in " + what + ": " + e), e);
        }
        if (node == null || node.isMissingNode()) throw error.apply("empty JSON document in " + what);
        return node;
    }

    private static CheckpointException withCause(CheckpointException e, Throwable cause) {
        e.initCause(cause);
        return e;
    }

    private static String firstLine(String s) {
        if (s == null) return "(no detail)";
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    /** A JSON type name for messages: "a string", "an array" … */
    static String typeOf(JsonNode n) {
        if (n == null || n.isMissingNode()) return "nothing";
        if (n.isNull()) return "null";
        if (n.isTextual()) return "the string \"" + abbreviate(n.textValue()) + "\"";
        if (n.isBoolean()) return "the boolean " + n.booleanValue();
        if (n.isIntegralNumber()) return "the integer " + abbreviate(n.asText());
        if (n.isNumber()) return "the number " + abbreviate(n.asText());
        if (n.isArray()) return "an array of " + n.size();
        if (n.isObject()) return "an object";
        return n.getNodeType().toString();
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
