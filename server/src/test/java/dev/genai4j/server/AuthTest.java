package dev.genai4j.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * With an API key: 401 JSON without the right Bearer token on every route but /health; the key never
 * appears in answers or logs. This server has no NER / fill-mask model, so those say how to configure one.
 */
class AuthTest {
    static final String KEY = "sk-test-7f3a9c1e5b";
    static Genai4jServer server;
    static URI base;
    static final ByteArrayOutputStream ERR = new ByteArrayOutputStream();
    static PrintStream originalErr;

    @BeforeAll
    static void start() {
        // slf4j-simple writes to System.err: capture it to check the key is not logged
        originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(ERR, originalErr), true));
        server = Genai4jServer.start(ServerConfig.builder().port(0).apiKey(KEY).build(), List.of());
        base = server.uri();
    }

    @AfterAll
    static void stop() {
        server.stop();
        System.setErr(originalErr);
    }

    @Test
    void routesNeedTheKey() {
        String body = Http.json(Map.of("input", "hello"));
        for (String[] h : new String[][]{{}, {"Authorization", "Bearer wrong"}, {"Authorization", "Basic " + KEY}, {"Authorization", KEY},
                {"Authorization", "Bearer " + KEY + "x"}, {"Authorization", "Bearer " + KEY.substring(1)}, {"Authorization", "Bearer "}}) {
            Http.Answer a = Http.post(base, "/v1/embeddings", body, h);
            assertEquals(401, a.status(), List.of(h) + " → " + a);
            assertEquals("authentication_error", a.json().get("error").get("type").asText());
            assertEquals("Bearer", a.header("WWW-Authenticate"));
            assertFalse(a.body().contains(KEY), "the key must not be echoed");
        }
        for (String p : List.of("/info", "/metrics", "/v1/models", "/no/such/route")) {
            assertEquals(401, Http.get(base, p).status(), p + " without a key");
        }
        assertEquals(200, Http.get(base, "/health").status(), "/health stays open for load balancers");

        Http.Answer ok = Http.post(base, "/v1/embeddings", body, "Authorization", "Bearer " + KEY);
        assertEquals(200, ok.status(), ok.toString());
        assertEquals(384, ok.json().get("data").get(0).get("embedding").size());
        assertEquals(200, Http.get(base, "/info", "Authorization", "bearer " + KEY).status(), "the scheme is case-insensitive");
        assertEquals("bearer", Http.get(base, "/info", "Authorization", "Bearer " + KEY).json().get("auth").asText());
        assertEquals(404, Http.get(base, "/no/such/route", "Authorization", "Bearer " + KEY).status());
        // this server has no NER or fill-mask model: the answer says how to configure one
        Http.Answer ner = Http.post(base, "/ner", Http.json(Map.of("text", "Marie Curie", "labels", List.of("person"))), "Authorization", "Bearer " + KEY);
        assertEquals(404, ner.status(), ner.toString());
        assertEquals("model_not_configured", ner.json().get("error").get("code").asText());
        assertTrue(ner.json().get("error").get("message").asText().contains("genai4j serve --ner-model DIR"), ner.body());
        Http.Answer fm = Http.post(base, "/fill-mask", Http.json(Map.of("text", "a [MASK]")), "Authorization", "Bearer " + KEY);
        assertEquals(404, fm.status(), fm.toString());
        assertTrue(fm.json().get("error").get("message").asText().contains("--fill-mask-model DIR"), fm.body());
        assertFalse(ERR.toString().contains(KEY), "the key appeared in the log");
        assertFalse(server.context().config().toString().contains(KEY));
    }

    /** Writes to two streams. */
    static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a, b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) { this.a = a; this.b = b; }

        @Override
        public void write(int c) throws java.io.IOException { a.write(c); b.write(c); }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException { a.write(buf, off, len); b.write(buf, off, len); }
    }
}
