package dev.genai4j.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes no well-behaved client would (truncated bodies, broken request lines and headers)
 * over a plain socket and reads back the first response, with Content-Length or chunked framing.
 */
final class RawHttp {
    /** Status 0 means the server closed the connection without answering. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }

        @Override
        public String toString() { return status + " " + headers + " " + body; }
    }

    private RawHttp() {}

    /** Writes {@code request}, half-closes when {@code closeOutput}, and reads one response. */
    static Response exchange(URI base, byte[] request, boolean closeOutput) {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            if (closeOutput) s.shutdownOutput();
            return read(s.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException("raw exchange with " + base + " failed: " + e, e);
        }
    }

    static Response exchange(URI base, String request, boolean closeOutput) {
        return exchange(base, request.getBytes(StandardCharsets.ISO_8859_1), closeOutput);
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine;
        try {
            statusLine = line(in);
        } catch (SocketTimeoutException e) {
            return new Response(0, Map.of(), "(timeout)");
        }
        if (statusLine == null || statusLine.isEmpty()) return new Response(0, Map.of(), "");
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h; (h = line(in)) != null && !h.isEmpty(); ) {
            int c = h.indexOf(':');
            headers.put(h.substring(0, c).strip().toLowerCase(Locale.ROOT), h.substring(c + 1).strip());
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int n; (n = Integer.parseInt(line(in).split(";")[0].strip(), 16)) > 0; ) {
                b.write(in.readNBytes(n));
                line(in);
            }
            body = b.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') if (c != '\r') b.write(c);
        if (c == -1 && b.size() == 0) return null;
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
