package dev.genai4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A java.net.http client for the tests: JSON in, status + headers + parsed JSON out. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One answer; {@code json} is null when the body is not JSON. */
    record Answer(int status, HttpResponse<String> response, JsonNode json) {
        String header(String name) { return response.headers().firstValue(name).orElse(null); }

        String body() { return response.body(); }

        @Override
        public String toString() { return status + " " + response.body(); }
    }

    private Http() {}

    static Answer get(URI base, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120)).GET();
        if (headers.length > 0) b.headers(headers);
        return send(b.build());
    }

    static Answer post(URI base, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return send(b.build());
    }

    static Answer send(HttpRequest r) {
        try {
            HttpResponse<String> res = CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
            JsonNode j = null;
            try {
                j = JSON.readTree(res.body());
            } catch (IOException ignored) {
                // not JSON: left null, tests assert on it
            }
            return new Answer(res.statusCode(), res, j);
        } catch (IOException e) {
            throw new UncheckedIOException("request " + r.method() + " " + r.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] floats(JsonNode arr) {
        float[] f = new float[arr.size()];
        for (int i = 0; i < f.length; i++) f[i] = arr.get(i).floatValue();
        return f;
    }
}
