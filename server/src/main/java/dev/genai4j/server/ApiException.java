package dev.genai4j.server;

import java.util.Locale;

/**
 * A request the server answers with an error status and an OpenAI-style JSON body
 * {@code {"error": {"message", "type", "param", "code"}}}. The message is written for the client:
 * it names the field, the limit and what was sent, and never carries a stack trace.
 *
 * <pre>{@code
 * throw ApiException.badRequest("input", "invalid_type", "'input' must be a string or an array of strings, got a number");
 * }</pre>
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String type, String code, String param, String message, Integer retryAfterSeconds) {
        super(message, null, false, false);   // no stack trace: these are answers, not bugs
        if (status < 400 || status > 599) throw new IllegalArgumentException("ApiException: status must be 4xx or 5xx, got " + status);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400, a field with a wrong value or type. */
    public static ApiException badRequest(String param, String code, String message) {
        return new ApiException(400, "invalid_request_error", code, param, message, null);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "authentication_error", "invalid_api_key", null, message, null);
    }

    public static ApiException forbidden(String param, String code, String message) {
        return new ApiException(403, "permission_error", code, param, message, null);
    }

    public static ApiException notFound(String param, String code, String message) {
        return new ApiException(404, "not_found_error", code, param, message, null);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "invalid_request_error", "request_too_large", null, message, null);
    }

    public static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, "invalid_request_error", "unsupported_media_type", null, message, null);
    }

    /** 503 with {@code Retry-After}: the server is busy or stopping, the same request may succeed later. */
    public static ApiException unavailable(String code, String message, int retryAfterSeconds) {
        return new ApiException(503, "server_busy", code, null, message, retryAfterSeconds);
    }

    public int status() { return status; }

    public String type() { return type; }

    public String code() { return code; }

    public String param() { return param; }

    /** Seconds for the {@code Retry-After} header, or null for none. */
    public Integer retryAfterSeconds() { return retryAfterSeconds; }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ApiException[%d %s/%s%s]: %s", status, type, code, param == null ? "" : " param=" + param, getMessage());
    }
}
