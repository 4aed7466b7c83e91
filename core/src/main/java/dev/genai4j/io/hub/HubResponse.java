package dev.genai4j.io.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;

/**
 * One answer from the hub after redirects were followed: the final URL, status, headers and
 * (for GET) the body stream, which the caller must close.
 */
record HubResponse(URI uri, int status, HttpHeaders headers, InputStream body) implements AutoCloseable {
    String header(String name) { return headers.firstValue(name).orElse(null); }

    long longHeader(String name) {
        String v = header(name);
        if (v == null) return -1;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    boolean isRedirect() { return status == 301 || status == 302 || status == 303 || status == 307 || status == 308; }

    @Override
    public void close() {
        if (body == null) return;
        try {
            body.close();
        } catch (IOException ignored) {
            // closing a half-read stream only drops the connection
        }
    }
}
