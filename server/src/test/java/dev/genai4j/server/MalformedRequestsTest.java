package dev.genai4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Hundreds of generated malformed requests (bad JSON, wrong types, oversized fields and bodies,
 * wrong content types, truncated bodies, broken HTTP, unknown routes and methods): every one gets
 * a 4xx with the JSON error shape and no stack trace, and the server answers correctly afterwards.
 */
class MalformedRequestsTest {
    static URI base;
    static final List<String> POSTS = List.of("/embed", "/v1/embeddings", "/ner", "/fill-mask", "/v1/chat/completions", "/v1/completions",
            "/v1/images/generations");

    /** One answer, from either client. */
    record Outcome(int status, String contentType, String body) {}

    record Case(String name, int expectedStatus, Supplier<Outcome> send) {}

    @BeforeAll
    static void start() { base = SharedServer.uri(); }

    static Outcome post(String path, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return of(Http.send(b.build()));
    }

    static Outcome json(String path, String body) { return post(path, "application/json", body.getBytes(StandardCharsets.UTF_8)); }

    /** Without Content-Length: the body limit must hold while reading. */
    static Outcome chunked(String path, byte[] body) {
        HttpRequest r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        return of(Http.send(r));
    }

    static Outcome method(String method, String path) {
        return of(Http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build()));
    }

    static Outcome raw(String request, boolean closeOutput) {
        RawHttp.Response r = RawHttp.exchange(base, request, closeOutput);
        return new Outcome(r.status(), r.header("content-type"), r.body());
    }

    private static Outcome of(Http.Answer a) { return new Outcome(a.status(), a.header("Content-Type"), a.body()); }

    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        String[] badJson = {"", " ", "{", "}", "[", "{\"text\":", "{\"text\": \"abc}", "nul", "{'text': 'x'}", "{\"text\":\"x\",}",
                "{\"text\":\"x\"} {\"text\":\"y\"}", "{\"text\":\"x\"} trailing", "{\"text\":\"x\",\"text\":\"y\"}", "{text: \"x\"}",
                "{\"text\": \"a\u0001b\"}", "{\"text\": NaN}", "{\"top_k\": 1" + "0".repeat(100) + "}", "[".repeat(100) + "]".repeat(100),
                "{\"a\":" + "{\"a\":".repeat(60) + "1" + "}".repeat(61), "\"just a string\"", "42", "true", "null", "[]", "[{\"text\":\"x\"}]",
                "{\"text\": \"\\ud800\"}", "{\"text\": \"\\x41\"}", "{\"text\": \"tab\there\"}"};
        for (String p : POSTS) {
            for (String b : badJson) cs.add(new Case(p + " bad JSON " + clip(b), 400, () -> json(p, b)));
            cs.add(new Case(p + " invalid UTF-8", 400, () -> post(p, "application/json", new byte[]{'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'})));
            cs.add(new Case(p + " UTF-16 body", 400, () -> post(p, "application/json", "{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_16LE))));
            for (String ct : new String[]{null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                    "application/json; charset=latin1", "application/jsonx", "application/json-patch+json", "text/json", "*/*", ";"}) {
                cs.add(new Case(p + " Content-Type " + ct, 415, () -> post(p, ct, "{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8))));
            }
            byte[] big = ("{\"text\":\"" + "a".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            cs.add(new Case(p + " body over the limit", 413, () -> post(p, "application/json", big)));
            cs.add(new Case(p + " chunked body over the limit", 413, () -> chunked(p, big)));
            cs.add(new Case(p + " unknown field", 400, () -> json(p, "{\"text\":\"x\",\"texts\":null,\"frobnicate\":1}")));
            cs.add(new Case(p + " GET", 405, () -> method("GET", p)));
            cs.add(new Case(p + " PUT", 405, () -> method("PUT", p)));
            cs.add(new Case(p + " DELETE", 405, () -> method("DELETE", p)));
            cs.add(new Case(p + " truncated body", 400, () -> raw("POST " + p + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"text\": \"only part", true)));
        }
        // /embed fields
        for (String b : new String[]{"{}", "{\"text\":1}", "{\"text\":true}", "{\"text\":{}}", "{\"text\":[]}", "{\"text\":[\"a\"]}",
                "{\"text\":\"\"}", "{\"text\":\"   \"}", "{\"text\":null}", "{\"texts\":\"a\"}", "{\"texts\":1}", "{\"texts\":[]}",
                "{\"texts\":[1]}", "{\"texts\":[null]}", "{\"texts\":[[\"a\"]]}", "{\"texts\":[\"a\",\"\"]}", "{\"texts\":{}}",
                "{\"text\":\"a\",\"texts\":[\"b\"]}", "{\"text\":\"a\",\"model\":5}", "{\"text\":\"a\",\"model\":[]}", "{\"text\":\"a\",\"model\":{}}",
                "{\"text\":\"" + "x".repeat(2_001) + "\"}", "{\"texts\":" + strings(17) + "}", "{\"texts\":[\"ok\",\"" + "y".repeat(2_001) + "\"]}",
                "{\"text\":\"a\",\"model\":\"" + "m".repeat(300) + "\"}", "{\"text\":\"a\",\"model\":\"\"}"}) {
            cs.add(new Case("/embed " + clip(b), b.contains("\"model\":\"\"") ? 200 : 400, () -> json("/embed", b)));
        }
        // /v1/embeddings fields
        for (String b : new String[]{"{}", "{\"model\":\"all-minilm-l6-v2\"}", "{\"input\":1}", "{\"input\":true}", "{\"input\":{}}", "{\"input\":[]}",
                "{\"input\":[1,2,3]}", "{\"input\":[[1,2],[3]]}", "{\"input\":[null]}", "{\"input\":[\"\"]}", "{\"input\":\"\"}", "{\"input\":\" \"}",
                "{\"input\":[\"a\",2]}", "{\"input\":\"a\",\"model\":5}", "{\"input\":\"a\",\"encoding_format\":\"binary\"}",
                "{\"input\":\"a\",\"encoding_format\":1}", "{\"input\":\"a\",\"encoding_format\":\"FLOAT\"}", "{\"input\":\"a\",\"dimensions\":\"384\"}",
                "{\"input\":\"a\",\"dimensions\":3.5}", "{\"input\":\"a\",\"dimensions\":10}", "{\"input\":\"a\",\"dimensions\":-1}",
                "{\"input\":\"a\",\"dimensions\":99999999999}", "{\"input\":\"a\",\"user\":5}", "{\"input\":\"a\",\"user\":\"" + "u".repeat(300) + "\"}",
                "{\"input\":\"a\",\"foo\":\"bar\"}", "{\"input\":\"" + "x".repeat(2_001) + "\"}", "{\"input\":" + strings(17) + "}",
                "{\"input\":\"a\",\"model\":\"no-such-model\"}", "{\"input\":\"a\",\"model\":\"../../etc\"}", "{\"input\":\"a\",\"model\":\"/etc\"}",
                "{\"input\":\"a\",\"model\":\"a\\u0000b\"}", "{\"input\":\"a\",\"model\":\"gliner-tiny\"}", "{\"input\":\"a\",\"model\":\"bge-small-en-v1.5x\"}"}) {
            int expected = b.contains("etc") ? 403 : b.contains("no-such") || b.contains("gliner-tiny") || b.contains("v1.5x") ? 404 : 400;
            cs.add(new Case("/v1/embeddings " + clip(b), expected, () -> json("/v1/embeddings", b)));
        }
        // /ner fields
        String t = "\"text\":\"Marie Curie was born in Warsaw.\"";
        for (String b : new String[]{"{" + t + "}", "{" + t + ",\"labels\":\"person\"}", "{" + t + ",\"labels\":[]}", "{" + t + ",\"labels\":[1]}",
                "{" + t + ",\"labels\":[\"\"]}", "{" + t + ",\"labels\":[\"person\",\"person\"]}", "{" + t + ",\"labels\":" + strings(9) + "}",
                "{" + t + ",\"labels\":[\"" + "l".repeat(51) + "\"]}", "{" + t + ",\"labels\":[\"person\"],\"threshold\":\"0.5\"}",
                "{" + t + ",\"labels\":[\"person\"],\"threshold\":-0.1}", "{" + t + ",\"labels\":[\"person\"],\"threshold\":1.5}",
                "{" + t + ",\"labels\":[\"person\"],\"threshold\":true}", "{" + t + ",\"labels\":[\"person\"],\"flat\":\"yes\"}",
                "{" + t + ",\"labels\":[\"person\"],\"flat\":1}", "{" + t + ",\"labels\":[\"person\"],\"multi_label\":\"no\"}",
                "{\"text\":5,\"labels\":[\"person\"]}", "{\"labels\":[\"person\"]}", "{\"texts\":[],\"labels\":[\"person\"]}",
                "{\"texts\":\"x\",\"labels\":[\"person\"]}", "{" + t + ",\"texts\":[\"x\"],\"labels\":[\"person\"]}",
                "{" + t + ",\"labels\":[[\"person\"]]}", "{" + t + ",\"labels\":{\"person\":1}}", "{" + t + ",\"labels\":[\"person\"],\"model\":\"x\"}",
                "{\"text\":\"" + "w ".repeat(1_001) + "\",\"labels\":[\"person\"]}", "{\"texts\":" + strings(17) + ",\"labels\":[\"person\"]}"}) {
            cs.add(new Case("/ner " + clip(b), 400, () -> json("/ner", b)));
        }
        // /fill-mask fields
        for (String b : new String[]{"{}", "{\"text\":5}", "{\"text\":\"no mask here\"}", "{\"text\":\"[MASK]\",\"top_k\":\"5\"}",
                "{\"text\":\"[MASK]\",\"top_k\":0}", "{\"text\":\"[MASK]\",\"top_k\":21}", "{\"text\":\"[MASK]\",\"top_k\":2.5}",
                "{\"text\":\"[MASK]\",\"top_k\":-1}", "{\"text\":\"[MASK]\",\"top_k\":1e10}", "{\"text\":\"[MASK]\",\"top_k\":99999999999999}",
                "{\"text\":[\"[MASK]\"]}", "{\"texts\":[\"[MASK]\"]}", "{\"text\":\"\"}", "{\"text\":\"" + "the ".repeat(600) + "[MASK]\"}"}) {
            cs.add(new Case("/fill-mask " + clip(b), 400, () -> json("/fill-mask", b)));
        }
        // unknown routes, methods, broken HTTP
        for (String b : new String[]{"{\"messages\":\"hi\"}", "{\"messages\":[{\"role\":\"user\",\"content\":5}]}",
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]}", "{\"messages\":[{}]}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":\"9\"}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":-1}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stop\":[\"\"]}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stop\":7}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"seed\":\"s\"}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream_options\":[]}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"tool_calls\":[]}]}"}) {
            cs.add(new Case("/v1/chat/completions " + clip(b), 400, () -> json("/v1/chat/completions", b)));
        }
        for (String b : new String[]{"{}", "{\"prompt\":null}", "{\"prompt\":[1,2,3]}", "{\"prompt\":\"x\",\"n\":3}",
                "{\"prompt\":\"x\",\"top_k\":-5}", "{\"prompt\":\"x\",\"echo\":true}", "{\"prompt\":\"x\",\"max_tokens\":1e3}",
                "{\"prompt\":\"x\",\"repetition_penalty\":0}", "{\"prompt\":\"x\",\"ignore_eos\":1}", "{\"prompt\":\"" + "x".repeat(2_001) + "\"}"}) {
            cs.add(new Case("/v1/completions " + clip(b), 400, () -> json("/v1/completions", b)));
        }
        for (String b : new String[]{"{}", "{\"image\":\"\",\"labels\":[\"cat\"]}", "{\"image\":\"AAAA\",\"labels\":[\"cat\"]}",
                "{\"image\":\"data:image/png,xyz\",\"labels\":[\"cat\"]}", "{\"image\":5,\"labels\":[\"cat\"]}",
                "{\"image\":\"AAAA\",\"labels\":\"cat\"}", "{\"image\":\"AAAA\"}"}) {
            cs.add(new Case("/zero-shot " + clip(b), 400, () -> json("/zero-shot", b)));
        }
        // /v1/images/generations fields (the size and steps cases load the diffusion model: they depend on it)
        String pr = "\"prompt\":\"a photo of a sneaker\"";
        for (String b : new String[]{"{}", "{\"prompt\":\"\"}", "{\"prompt\":\"   \"}", "{\"prompt\":5}", "{\"prompt\":[\"a\"]}",
                "{\"prompt\":\"" + "x".repeat(2_001) + "\"}", "{" + pr + ",\"n\":0}", "{" + pr + ",\"n\":5}", "{" + pr + ",\"n\":\"2\"}",
                "{" + pr + ",\"n\":1.5}", "{" + pr + ",\"n\":-1}", "{" + pr + ",\"size\":\"64x64\"}", "{" + pr + ",\"size\":\"1024x1024\"}",
                "{" + pr + ",\"size\":32}", "{" + pr + ",\"size\":\"32\"}", "{" + pr + ",\"response_format\":\"url\"}",
                "{" + pr + ",\"response_format\":\"png\"}", "{" + pr + ",\"response_format\":1}", "{" + pr + ",\"seed\":\"x\"}",
                "{" + pr + ",\"seed\":1.5}", "{" + pr + ",\"seed\":1e30}", "{" + pr + ",\"seed\":99999999999999999999}", "{" + pr + ",\"steps\":0}",
                "{" + pr + ",\"steps\":-3}", "{" + pr + ",\"steps\":1001}", "{" + pr + ",\"steps\":\"10\"}", "{" + pr + ",\"guidance\":-0.5}",
                "{" + pr + ",\"guidance\":\"3\"}", "{" + pr + ",\"guidance\":1000}", "{" + pr + ",\"guidance\":true}", "{" + pr + ",\"sampler\":\"euler\"}",
                "{" + pr + ",\"sampler\":\"DDIM \"}", "{" + pr + ",\"sampler\":1}", "{" + pr + ",\"quality\":\"hd\"}", "{" + pr + ",\"style\":\"vivid\"}",
                "{" + pr + ",\"model\":5}", "{" + pr + ",\"user\":[]}"}) {
            cs.add(new Case("/v1/images/generations " + clip(b), 400, () -> json("/v1/images/generations", b)));
        }
        cs.add(new Case("/v1/images/generations another model", 404, () -> json("/v1/images/generations", "{" + pr + ",\"model\":\"dall-e-3\"}")));
        // /point-cloud fields (the tiny Point-E model is served; the points case loads it)
        for (String b : new String[]{"{}", "{\"prompt\":\"\"}", "{\"prompt\":\" \"}", "{\"prompt\":5}", "{\"prompt\":[\"a bag\"]}",
                "{\"prompt\":\"a bag\",\"image\":\"AAAA\"}", "{\"image\":\"\"}", "{\"image\":\"AAAA\"}", "{\"image\":\"%%%%\"}", "{\"image\":5}",
                "{\"image\":\"data:image/png,xyz\"}", "{\"prompt\":\"a bag\",\"seed\":\"1\"}", "{\"prompt\":\"a bag\",\"seed\":0.5}",
                "{\"prompt\":\"a bag\",\"guidance\":-1}", "{\"prompt\":\"a bag\",\"guidance\":\"3\"}", "{\"prompt\":\"a bag\",\"points\":0}",
                "{\"prompt\":\"a bag\",\"points\":-4}", "{\"prompt\":\"a bag\",\"points\":2.5}", "{\"prompt\":\"a bag\",\"points\":\"64\"}",
                "{\"prompt\":\"a bag\",\"points\":65}", "{\"prompt\":\"a bag\",\"points\":10}", "{\"prompt\":\"a bag\",\"steps\":0}", "{\"prompt\":\"a bag\",\"steps\":\"5\"}", "{\"prompt\":\"a bag\",\"format\":\"ply\"}", "{\"text\":\"a bag\"}",
                "{\"prompt\":\"" + "x".repeat(2_001) + "\"}"}) {
            cs.add(new Case("/point-cloud " + clip(b), 400, () -> json("/point-cloud", b)));
        }
        for (String q : new String[]{"xml", "PLYX", "", "json,ply"}) {
            cs.add(new Case("/point-cloud ?format=" + q, 400, () -> json("/point-cloud?format=" + q, "{\"prompt\":\"a bag\"}")));
        }
        for (String b : badJson) cs.add(new Case("/point-cloud bad JSON " + clip(b), 400, () -> json("/point-cloud", b)));
        for (String ct : new String[]{null, "text/plain", "multipart/form-data; boundary=x", "image/png"}) {
            cs.add(new Case("/point-cloud Content-Type " + ct, 415, () -> post("/point-cloud", ct, "{\"prompt\":\"a bag\"}".getBytes(StandardCharsets.UTF_8))));
        }
        byte[] hugeCloudBody = ("{\"image\":\"" + "A".repeat(SharedServer.LIMITS.maxImageBytes() * 2) + "\"}").getBytes(StandardCharsets.UTF_8);
        cs.add(new Case("/point-cloud body over the image limit", 413, () -> post("/point-cloud", "application/json", hugeCloudBody)));
        cs.add(new Case("/point-cloud GET", 405, () -> method("GET", "/point-cloud")));
        // /zero-shot takes JSON or a form, with a body limit of its own (the image's)
        byte[] hugeImage = new byte[SharedServer.LIMITS.maxImageBytes() * 2];
        cs.add(new Case("/zero-shot body over the image limit", 413, () -> post("/zero-shot", "multipart/form-data; boundary=b", hugeImage)));
        cs.add(new Case("/zero-shot chunked body over the image limit", 413, () -> chunked("/zero-shot", hugeImage)));
        for (String ct : new String[]{null, "text/plain", "image/png", "application/x-www-form-urlencoded", "multipart/mixed; boundary=b"}) {
            cs.add(new Case("/zero-shot Content-Type " + ct, 415, () -> post("/zero-shot", ct, "{}".getBytes(StandardCharsets.UTF_8))));
        }
        for (String form : new String[]{"", "--b", "--b\r\n", "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--",
                "--b\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nnot an image", "--b\r\nX: y\r\n\r\nx\r\n--b--",
                "--b\r\nContent-Disposition: form-data; name=\"labels\"\r\n\r\ncat\r\n--b--",
                "--b\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nGIF89a\r\n--b\r\nContent-Disposition: form-data; name=\"labels\"\r\n\r\ncat\r\n--b--"}) {
            cs.add(new Case("/zero-shot form " + clip(form), 400, () -> post("/zero-shot", "multipart/form-data; boundary=b", form.getBytes(StandardCharsets.UTF_8))));
        }
        // unknown routes, methods, broken HTTP
        for (String p : new String[]{"/v1", "/v1/embeddingz", "/v1/chat/completion", "/v1/completionz", "/embed/extra", "/EMBED", "/index.html",
                "/v2/embeddings", "/nér", "/" + "a".repeat(2_000), "/health/x", "/v1/models/../../x"}) {
            cs.add(new Case("POST " + clip(p), 404, () -> json(p, "{\"text\":\"x\"}")));
            cs.add(new Case("GET " + clip(p), 404, () -> Outcome404(p)));
        }
        for (String p : new String[]{"/static/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/a/%2e%2e/%2e%2e/b"}) {
            // Jetty refuses ambiguous paths before routing
            cs.add(new Case("raw GET " + p, 400, () -> raw("GET " + p + " HTTP/1.1\r\nHost: x\r\n\r\n", false)));
        }
        cs.add(new Case("POST /health", 405, () -> json("/health", "{}")));
        cs.add(new Case("DELETE /metrics", 405, () -> method("DELETE", "/metrics")));
        cs.add(new Case("PATCH /info", 405, () -> method("PATCH", "/info")));
        // an unknown HTTP version is answered 505 by Jetty (RFC 9110 §15.6.6), in our JSON shape
        cs.add(new Case("garbage request line", 505, () -> raw("HELLO THERE\r\n\r\n", false)));
        cs.add(new Case("bad HTTP version", 505, () -> raw("GET /health HTTP/9.9\r\nHost: x\r\n\r\n", false)));
        cs.add(new Case("header without colon", 400, () -> raw("GET /health HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n", false)));
        cs.add(new Case("non-numeric Content-Length", 400, () -> raw("POST /embed HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ten\r\n\r\n{}", false)));
        cs.add(new Case("two Content-Lengths", 400, () -> raw("POST /embed HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", false)));
        cs.add(new Case("bad chunk size", 400, () -> raw("POST /embed HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n", false)));
        cs.add(new Case("truncated chunked body", 400, () -> raw("POST /embed HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n{\"text\":", true)));
        cs.add(new Case("headers too large", 431, () -> raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n", false)));
        cs.add(new Case("URI too long", 414, () -> raw("GET /" + "u".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", false)));
        cs.add(new Case("missing Host on HTTP/1.1", 400, () -> raw("GET /health HTTP/1.1\r\n\r\n", false)));
        cs.add(new Case("NUL in path", 400, () -> raw("GET /hea%00lth HTTP/1.1\r\nHost: x\r\n\r\n", false)));
        return cs;
    }

    @SuppressWarnings("checkstyle:MethodName")
    private static Outcome Outcome404(String p) {
        return of(Http.send(HttpRequest.newBuilder(base.resolve(p)).timeout(Duration.ofSeconds(60)).GET().build()));
    }

    private static String strings(int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : ",").append("\"s").append(i).append('"');
        return sb.append(']').toString();
    }

    private static String clip(String s) {
        String c = s.replace("\n", "\\n").replace("\r", "\\r");
        return c.length() <= 60 ? c : c.substring(0, 60) + "…(" + s.length() + ")";
    }

    @Test
    void everyMalformedRequestGetsA4xxJsonErrorAndTheServerStaysCorrect() {
        Http.Answer before = Http.post(base, "/embed", Http.json(Map.of("text", "The server must still be right afterwards.")));
        assertEquals(200, before.status(), before.toString());

        List<Case> cases = cases();
        assertTrue(cases.size() >= 200, "only " + cases.size() + " cases");
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            Outcome o;
            try {
                o = c.send().get();
            } catch (RuntimeException e) {
                // Known gap: for a body over the limit, about one run in a few hundred the client sees
                // the connection reset while it is still sending, instead of our 413 (the server stays
                // up). Such a case is sent once more; any other transport failure counts at once.
                if (!c.name().endsWith("over the limit")) {
                    failures.add(c.name() + ": client failed: " + e);
                    continue;
                }
                try {
                    o = c.send().get();
                } catch (RuntimeException again) {
                    failures.add(c.name() + ": client failed twice: " + again);
                    continue;
                }
            }
            String problem = check(c, o);
            if (problem != null) failures.add(c.name() + ": " + problem + " — got " + o.status() + " " + o.contentType() + " " + clip(o.body()));
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases failed:\n" + String.join("\n", failures));

        Http.Answer health = Http.get(base, "/health");
        assertEquals(200, health.status(), health.toString());
        Http.Answer after = Http.post(base, "/embed", Http.json(Map.of("text", "The server must still be right afterwards.")));
        assertEquals(200, after.status(), after.toString());
        assertArrayEquals(Http.floats(before.json().get("embedding")), Http.floats(after.json().get("embedding")), 1e-6f);
        assertEquals(0, SharedServer.get().inFlight(), "requests left counted in flight");
        assertEquals(0, SharedServer.get().context().work().depth(), "work-queue slots leaked");
    }

    /** Null when {@code o} is what {@code c} should get. */
    static String check(Case c, Outcome o) {
        if (c.expectedStatus() == 200) return o.status() == 200 ? null : "expected 200";
        if ((o.status() < 400 || o.status() > 499) && o.status() != 505) return "status is not 4xx";
        if (o.status() != c.expectedStatus()) return "expected " + c.expectedStatus();
        if (o.contentType() == null || !o.contentType().startsWith("application/json")) return "not JSON";
        JsonNode j;
        try {
            j = Http.JSON.readTree(o.body());
        } catch (Exception e) {
            return "body does not parse as JSON";
        }
        JsonNode err = j.get("error");
        if (err == null || !err.isObject()) return "no error object";
        for (String f : new String[]{"message", "type", "code"}) if (!err.path(f).isTextual()) return "error." + f + " is not a string";
        if (!err.has("param")) return "error.param is missing";
        String body = o.body();
        if (body.contains("\tat ") || body.contains("at dev.genai4j") || body.contains("at io.javalin") || body.contains("at org.eclipse")
                || body.contains("Exception")) {
            return "the body leaks a stack trace or exception";
        }
        return null;
    }
}
