package dev.genai4j.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * The one error body every failure gets, OpenAI-style:
 * {@code {"error": {"message": …, "type": …, "param": …, "code": …}}}. Messages are for the client
 * and never hold a stack trace.
 *
 * <pre>{@code
 * byte[] body = ErrorBodies.of(400, "invalid_request_error", "invalid_json", null, "the request body is not valid JSON");
 * }</pre>
 */
public final class ErrorBodies {
    private ErrorBodies() {}

    public static byte[] of(ApiException e) {
        return of(e.status(), e.type(), e.code(), e.param(), e.getMessage());
    }

    public static byte[] of(int status, String type, String code, String param, String message) {
        ObjectNode root = RequestJson.MAPPER.createObjectNode();
        ObjectNode err = root.putObject("error");
        err.put("message", message == null ? "HTTP " + status : message);
        err.put("type", type);
        if (param == null) err.putNull("param"); else err.put("param", param);
        err.put("code", code);
        try {
            return RequestJson.MAPPER.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            return ("{\"error\":{\"message\":\"HTTP " + status + "\",\"type\":\"server_error\",\"param\":null,\"code\":\"internal_error\"}}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The error type a bare status maps to. */
    public static String typeOf(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 503 -> "server_busy";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    /** A code for a bare status (errors raised by Jetty or Javalin rather than by us). */
    public static String codeOf(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 411 -> "length_required";
            case 413 -> "request_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            case 505 -> "http_version_not_supported";
            default -> status >= 500 ? "internal_error" : "http_" + status;
        };
    }
}
