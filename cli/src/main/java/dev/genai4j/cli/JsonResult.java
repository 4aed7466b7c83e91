package dev.genai4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command's {@code --json} result: named values in order, printed as one JSON object on the
 * command's stdout. Non-finite numbers become null (JSON has no NaN).
 * <pre>{@code
 * JsonResult.print(out, JsonResult.of("points", 1024, "output", "cloud.ply", "seconds", 12.5));
 * // {"points": 1024, "output": "cloud.ply", "seconds": 12.5}
 * }</pre>
 */
final class JsonResult {
    private JsonResult() {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Name, value pairs in order ({@code Map.of} refuses nulls and loses the order); NaN and infinities become null. */
    static Map<String, Object> of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("JsonResult.of: expected name, value pairs, got " + namesAndValues.length);
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object v = namesAndValues[i + 1];
            if (v instanceof Double d && !Double.isFinite(d) || v instanceof Float f && !Float.isFinite(f)) v = null;
            if (v instanceof java.nio.file.Path p) v = p.toString();
            m.put((String) namesAndValues[i], v);
        }
        return m;
    }

    static void print(PrintWriter out, Map<String, ?> result) {
        try {
            out.println(JSON.writeValueAsString(result));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write the JSON result: " + e.getMessage(), e);
        }
        out.flush();
    }
}
