package dev.genai4j.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a request body as one JSON object, strictly: {@code Content-Type: application/json}
 * (415 otherwise), UTF-8, at most {@link Limits#maxBodyBytes()} bytes (413, checked before and while
 * reading), well-formed UTF-8 JSON with no duplicate keys, no trailing data and at most 32 levels
 * of nesting (400 otherwise).
 *
 * <pre>{@code
 * ObjectNode body = json.read(ctx);
 * List<String> texts = Fields.texts(body, "input", limits);
 * }</pre>
 */
public final class RequestJson {
    /** Parses and writes JSON for the whole server. */
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(64).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Limits limits;

    public RequestJson(Limits limits) { this.limits = limits; }

    /** The body as a JSON object, or an {@link ApiException} saying what is wrong with it. */
    public ObjectNode read(Context ctx) { return read(ctx, limits.maxBodyBytes()); }

    /** As {@link #read(Context)} with a body limit of {@code maxBytes} (an image upload's, say) instead of the server's. */
    public ObjectNode read(Context ctx, int maxBytes) {
        checkContentType(ctx.contentType());
        byte[] body = readBytes(ctx, maxBytes);
        if (body.length == 0) throw ApiException.badRequest(null, "invalid_json", "the request body is empty; send a JSON object");
        String text;
        try {
            // RFC 8259: JSON between systems is UTF-8; Jackson alone would also guess UTF-16 and UTF-32
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest(null, "invalid_json", "the request body is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(null, "invalid_json", "the request body is not valid JSON: " + describe(e));
        } catch (IOException e) {
            throw ApiException.badRequest(null, "invalid_json", "the request body could not be read as JSON");
        }
        if (node == null || node.isMissingNode()) throw ApiException.badRequest(null, "invalid_json", "the request body is empty; send a JSON object");
        if (!node.isObject()) {
            throw ApiException.badRequest(null, "invalid_type", "the request body must be a JSON object, got " + Fields.kind(node));
        }
        return (ObjectNode) node;
    }

    static void checkContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw ApiException.unsupportedMediaType("missing Content-Type; send 'Content-Type: application/json'");
        }
        String[] parts = contentType.split(";", -1);
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json")) {
            throw ApiException.unsupportedMediaType("Content-Type must be application/json, got '" + clip(contentType, 80) + "'");
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=") && !p.substring(8).replace("\"", "").equals("utf-8")) {
                throw ApiException.unsupportedMediaType("JSON bodies must be UTF-8, got '" + clip(parts[i].strip(), 80) + "'");
            }
        }
    }

    /**
     * The raw body, 413 when it is (or claims to be) more than {@code max} bytes: the declared length
     * is checked first, then at most max + 1 bytes are read, so a body without Content-Length cannot
     * exceed the limit either.
     */
    public byte[] readBytes(Context ctx, int max) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) throw ApiException.tooLarge("the request body is " + declared + " bytes, more than the limit of " + max);
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) throw ApiException.tooLarge("the request body is more than the limit of " + max + " bytes");
            return b;
        } catch (IOException e) {
            // the client closed the connection or sent fewer bytes than Content-Length promised
            throw ApiException.badRequest(null, "incomplete_body", "the request body ended early or could not be read");
        }
    }

    /** Jackson's message without the source excerpt, plus line and column. */
    private static String describe(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) m = e.getClass().getSimpleName();
        m = clip(m.replace('\n', ' '), 200);
        var loc = e.getLocation();
        return loc == null ? m : m + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    static String clip(String s, int n) { return s.length() <= n ? s : s.substring(0, n) + "…"; }
}
