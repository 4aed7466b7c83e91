package dev.genai4j.io.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local imitation of the hub's endpoints on two loopback servers, the hub and an "LFS CDN" on
 * another port (another origin, so the token must not travel there):
 * <ul>
 *   <li>{@code GET /api/models/{org}/{name}/revision/{rev}} → {@code {"sha", "siblings"}};</li>
 *   <li>{@code HEAD|GET /{org}/{name}/resolve/{rev}/{file}}: a small file answers 200 with
 *       {@code ETag} (git blob sha1) and {@code X-Repo-Commit}; an LFS file answers 302 to the CDN with
 *       {@code X-Linked-Etag} (sha256), {@code X-Linked-Size} and {@code X-Repo-Commit};</li>
 *   <li>{@code GET /cdn/{sha256}?X-Amz-Signature=…} on the CDN, with {@code Range} support; it
 *       refuses requests that carry {@code Authorization}, as S3 does for signed URLs.</li>
 * </ul>
 * Knobs: a required token, a byte count after which the next CDN transfer is cut, LFS bytes that
 * do not match their hash, no listing API.
 */
final class FakeHub implements AutoCloseable {
    static final String REPO = "acme/tiny-model";

    /** One request as the servers saw it. */
    record Seen(String server, String method, String path, String range, String authorization) {}

    final HttpServer hub;
    final HttpServer cdn;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    final Map<String, String> refs = new ConcurrentHashMap<>();                    // revision -> commit
    final Map<String, Map<String, byte[]>> trees = new ConcurrentHashMap<>();      // commit -> file -> bytes
    final Map<String, byte[]> lfs = new ConcurrentHashMap<>();                     // sha256 -> bytes served by the CDN
    final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    volatile String requiredToken;
    volatile long cutNextCdnTransferAfter = -1;
    volatile long stallNextCdnTransferAfter = -1;
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
    volatile boolean noApi;
    volatile boolean honourRange = true;
    final AtomicInteger cdnGets = new AtomicInteger();

    FakeHub() throws IOException {
        hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cdn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/", this::handleHub);
        cdn.createContext("/", this::handleCdn);
        hub.setExecutor(pool);
        cdn.setExecutor(pool);
        hub.start();
        cdn.start();
    }

    String endpoint() { return "http://127.0.0.1:" + hub.getAddress().getPort(); }

    String cdnOrigin() { return "http://127.0.0.1:" + cdn.getAddress().getPort(); }

    /** Publishes {@code files} as {@code commit} and points {@code revisions} at it; files over 100 bytes are LFS. */
    void publish(String commit, Map<String, byte[]> files, String... revisions) {
        trees.put(commit, new LinkedHashMap<>(files));
        for (String r : revisions) refs.put(r, commit);
        files.forEach((name, bytes) -> {
            if (isLfs(bytes)) lfs.put(sha256(bytes), bytes);
        });
    }

    static boolean isLfs(byte[] bytes) { return bytes.length > 100; }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String gitSha1(byte[] b) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            md.update(("blob " + b.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(md.digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void handleHub(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            seen.add(new Seen("hub", ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Range"),
                    ex.getRequestHeaders().getFirst("Authorization")));
            if (requiredToken != null && !("Bearer " + requiredToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                // the real hub answers 401 RepoNotFound for private repositories; this one echoes the header it got,
                // to prove the client scrubs the token from what it shows
                String got = ex.getRequestHeaders().getFirst("Authorization");
                error(ex, 401, "RepoNotFound", "Invalid credentials in Authorization header: " + got);
                return;
            }
            String prefix = "/" + REPO + "/";
            if (path.startsWith("/api/models/" + REPO + "/revision/")) {
                if (noApi) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                String rev = URLDecoder.decode(path.substring(("/api/models/" + REPO + "/revision/").length()), StandardCharsets.UTF_8);
                String commit = commitOf(rev);
                if (commit == null) {
                    error(ex, 404, "RevisionNotFound", "Invalid rev id: " + rev);
                    return;
                }
                StringBuilder json = new StringBuilder("{\"id\":\"" + REPO + "\",\"sha\":\"" + commit + "\",\"siblings\":[");
                int i = 0;
                for (String f : trees.get(commit).keySet()) json.append(i++ == 0 ? "" : ",").append("{\"rfilename\":\"").append(f).append("\"}");
                json.append("]}");
                byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            } else if (path.startsWith(prefix + "resolve/")) {
                String rest = path.substring((prefix + "resolve/").length());
                int slash = rest.indexOf('/');
                String rev = URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
                String file = URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8);
                String commit = commitOf(rev);
                if (commit == null) {
                    error(ex, 404, "RevisionNotFound", "Invalid rev id: " + rev);
                    return;
                }
                ex.getResponseHeaders().set("X-Repo-Commit", commit);
                byte[] bytes = trees.get(commit).get(file);
                if (bytes == null) {
                    error(ex, 404, "EntryNotFound", "Entry not found");
                    return;
                }
                if (isLfs(bytes)) {
                    String sha = sha256(bytes);
                    ex.getResponseHeaders().set("X-Linked-Etag", "\"" + sha + "\"");
                    ex.getResponseHeaders().set("X-Linked-Size", Long.toString(bytes.length));
                    ex.getResponseHeaders().set("ETag", "W/\"" + gitSha1(bytes) + "\"");
                    ex.getResponseHeaders().set("Location", cdnOrigin() + "/cdn/" + sha + "?X-Amz-Signature=abc123");
                    ex.sendResponseHeaders(302, -1);
                } else {
                    ex.getResponseHeaders().set("ETag", "\"" + gitSha1(bytes) + "\"");
                    serve(ex, bytes, true);
                }
            } else {
                error(ex, 404, null, "no route " + path);
            }
        }
    }

    private void handleCdn(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            seen.add(new Seen("cdn", ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Range"),
                    ex.getRequestHeaders().getFirst("Authorization")));
            if (ex.getRequestHeaders().getFirst("Authorization") != null) {
                error(ex, 400, null, "Only one auth mechanism allowed");
                return;
            }
            if (!"X-Amz-Signature=abc123".equals(ex.getRequestURI().getRawQuery())) {
                error(ex, 403, null, "signature missing");
                return;
            }
            byte[] bytes = lfs.get(path.substring("/cdn/".length()));
            if (bytes == null) {
                error(ex, 404, null, "no such blob");
                return;
            }
            cdnGets.incrementAndGet();
            serve(ex, bytes, honourRange);
        }
    }

    /** Sends {@code bytes} (or the asked Range of them), cutting the connection where a test asked. */
    private void serve(HttpExchange ex, byte[] bytes, boolean ranges) throws IOException {
        int from = 0;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (ranges && range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Integer.parseInt(range.substring(6, range.length() - 1));
            if (from >= bytes.length) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + bytes.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
        }
        int status = from > 0 ? 206 : 200;
        long length = bytes.length - from;
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", Long.toString(length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, length);
        OutputStream out = ex.getResponseBody();
        long cut = cutNextCdnTransferAfter;
        if (cut >= 0 && cut < length) {
            cutNextCdnTransferAfter = -1;
            out.write(bytes, from, (int) cut);
            out.flush();
            // returning with bytes owed: closing the exchange then drops the connection mid-body
            return;
        }
        long stall = stallNextCdnTransferAfter;
        if (stall >= 0 && stall < length) {
            stallNextCdnTransferAfter = -1;
            out.write(bytes, from, (int) stall);
            out.flush();
            try {
                closing.await(20, java.util.concurrent.TimeUnit.SECONDS);   // silent, connection open, until the test ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        out.write(bytes, from, (int) length);
    }

    private String commitOf(String rev) {
        if (trees.containsKey(rev)) return rev;
        return refs.get(rev);
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        if (code != null) ex.getResponseHeaders().set("X-Error-Code", code);
        byte[] body = ("{\"error\":\"" + message.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        hub.stop(0);
        cdn.stop(0);
        pool.shutdownNow();
    }
}
