package dev.genai4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code genai4j models download} and {@code --model hf:...} against a loopback imitation of the
 * hub serving the models module's tiny ModernBERT fixture; never the real internet.
 */
class HubCliTest {
    static final String COMMIT = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
    static final String TOKEN = "hf_cliSECRET42token";

    @TempDir static Path cache;
    @TempDir static Path folder;
    static HttpServer server;
    static final Map<String, byte[]> files = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        FillMaskCommandTest.prepare(folder);
        for (String f : new String[]{"config.json", "model.safetensors", "tokenizer.json"}) files.put(f, Files.readAllBytes(folder.resolve(f)));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", HubCliTest::handle);
        server.start();
    }

    @AfterAll
    static void stop() { server.stop(0); }

    /** API listing and resolve URLs of one repository, acme/tiny-mlm, which needs the token. */
    private static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("X-Error-Code", "RepoNotFound");
                send(ex, 401, ("{\"error\":\"bad token " + ex.getRequestHeaders().getFirst("Authorization") + "\"}").getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (path.equals("/api/models/acme/tiny-mlm/revision/main")) {
                send(ex, 200, ("{\"sha\":\"" + COMMIT + "\",\"siblings\":[{\"rfilename\":\"config.json\"},{\"rfilename\":\"model.safetensors\"},"
                        + "{\"rfilename\":\"tokenizer.json\"}]}").getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/acme/tiny-mlm/resolve/") && files.containsKey(path.substring(path.lastIndexOf('/') + 1))) {
                byte[] b = files.get(path.substring(path.lastIndexOf('/') + 1));
                ex.getResponseHeaders().set("X-Repo-Commit", COMMIT);
                ex.getResponseHeaders().set("ETag", "\"" + sha256(b) + "\"");
                send(ex, 200, b);
            } else {
                ex.getResponseHeaders().set("X-Error-Code", "RepoNotFound");
                send(ex, 404, "{\"error\":\"Repository not found\"}".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String endpoint() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

    private static String run(int[] rc, String... args) {
        return CliRun.combined(rc, args);
    }

    @Test
    void downloadThenUseTheModelByIdOffline() throws IOException {
        int[] rc = new int[1];
        String printed = run(rc, "models", "download", "hf:acme/tiny-mlm", "--hub-endpoint", endpoint(), "--cache-dir", cache.toString(),
                "--token", TOKEN, "--json");
        assertEquals(0, rc[0], printed);
        JsonNode j = new ObjectMapper().readTree(printed);
        Path snap = cache.resolve("models--acme--tiny-mlm/snapshots/" + COMMIT);
        assertEquals(snap.toString(), j.get("folder").asText());
        assertEquals("[\"config.json\",\"model.safetensors\",\"tokenizer.json\"]", j.get("files").toString());
        assertEquals(COMMIT, Files.readString(cache.resolve("models--acme--tiny-mlm/refs/main")));
        assertTrue(Files.isSymbolicLink(snap.resolve("model.safetensors")));

        String text = "the capital of france is [MASK] .";
        String byPath = run(rc, "fill-mask", "--model", folder.toString(), "--top-k", "3", "--json", text);
        assertEquals(0, rc[0], byPath);
        String byId = run(rc, "fill-mask", "--model", "hf:acme/tiny-mlm", "--offline", "--cache-dir", cache.toString(), "--top-k", "3", "--json", text);
        assertEquals(0, rc[0], byId);
        assertEquals(byPath, byId);

        // the network is gone: the message says --offline would work, with exit code 1 (a runtime failure)
        String down = run(rc, "models", "download", "hf:acme/tiny-mlm", "--hub-endpoint", "http://127.0.0.1:" + deadPort(),
                "--cache-dir", cache.toString(), "--quiet-download");
        assertEquals(ExitCodes.FAILURE, rc[0], down);
        assertTrue(down.contains("cannot reach") && down.contains("--offline") && down.contains(snap.toString()), down);
    }

    @Test
    void errorsAreShortTypedAndNeverShowTheToken() {
        int[] rc = new int[1];
        String wrong = run(rc, "models", "download", "hf:acme/tiny-mlm", "--hub-endpoint", endpoint(), "--cache-dir", cache.toString(),
                "--token", "hf_wrongSECRET99");
        assertEquals(2, rc[0], wrong);
        assertTrue(wrong.contains("HTTP 401") && wrong.contains("RepoNotFound"), wrong);
        assertFalse(wrong.contains("hf_wrongSECRET99"), wrong);
        assertFalse(wrong.contains("Exception"), wrong);

        String missing = run(rc, "models", "download", "hf:acme/not-here", "--offline", "--cache-dir", cache.toString());
        assertEquals(ExitCodes.MISSING, rc[0], missing);
        assertTrue(missing.contains("not in the hub cache"), missing);

        String traversal = run(rc, "models", "download", "hf:../../etc", "--cache-dir", cache.toString());
        assertEquals(2, rc[0], traversal);
        assertTrue(traversal.contains("hub repository"), traversal);

        String ner = run(rc, "ner", "--model", "hf:acme/not-here", "--offline", "--cache-dir", cache.toString(), "--labels", "person", "Ada");
        assertEquals(ExitCodes.MISSING, rc[0], ner);
        assertTrue(ner.startsWith("ner: hf:acme/not-here@main is not in the hub cache"), ner);
    }

    static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
