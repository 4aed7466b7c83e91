package dev.genai4j.server;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Jetty's own error answers (a request line or header it cannot parse, a URI too long, a
 * failure before Javalin sees the request) in the same JSON shape as ours, instead of Jetty's
 * HTML page, and without Jetty's exception text or stack.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(body(status));
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    private static byte[] body(int status) {
        String message = switch (status) {
            case 400 -> "the HTTP request is malformed";
            case 414 -> "the request URI is too long";
            case 431 -> "the request headers are too large";
            default -> "HTTP " + status;
        };
        return ErrorBodies.of(status, ErrorBodies.typeOf(status), ErrorBodies.codeOf(status), null, message);
    }
}
