package dev.genai4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A response of server-sent events as OpenAI streams them: {@code data: {json}\n\n} per event and
 * {@code data: [DONE]\n\n} at the end, each flushed at once. A write that fails means the client
 * has gone: {@link #send} then answers false and {@link #isClosed()} true, so the caller can stop
 * the work it was streaming.
 *
 * <pre>{@code
 * SseStream sse = SseStream.open(ctx);
 * if (!sse.send(chunk)) generator.cancel();
 * sse.done();
 * }</pre>
 */
public final class SseStream {
    private final OutputStream out;
    private volatile boolean closed;

    private SseStream(OutputStream out) { this.out = out; }

    /** Sends the 200 and the event-stream headers now. */
    public static SseStream open(Context ctx) {
        ctx.status(200);
        var res = ctx.res();
        res.setContentType("text/event-stream; charset=utf-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");   // a proxy in front must not hold the tokens back
        try {
            SseStream s = new SseStream(res.getOutputStream());
            s.out.flush();
            return s;
        } catch (IOException e) {
            SseStream s = new SseStream(OutputStream.nullOutputStream());
            s.closed = true;
            return s;
        }
    }

    /** One {@code data:} event; false when the client is gone. */
    public boolean send(JsonNode event) {
        try {
            return write("data: " + RequestJson.MAPPER.writeValueAsString(event) + "\n\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing an event failed", e);
        }
    }

    /** The closing {@code data: [DONE]}. */
    public boolean done() { return write("data: [DONE]\n\n"); }

    public boolean isClosed() { return closed; }

    private boolean write(String s) {
        if (closed) return false;
        try {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException e) {
            closed = true;   // the client closed the connection
            return false;
        }
    }
}
