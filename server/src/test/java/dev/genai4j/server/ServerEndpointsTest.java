package dev.genai4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.models.bert.Embedder;
import dev.genai4j.models.gliner.Entity;
import dev.genai4j.models.gliner.ExtractOptions;
import dev.genai4j.models.gliner.Gliner;
import dev.genai4j.models.modernbert.FillMask;
import dev.genai4j.text.HfTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Each endpoint's shape and values, against the models called directly. */
class ServerEndpointsTest {
    /** Unit vectors and probabilities: agreement to 1e-6 is the same computation (observed: ≤ 1e-7). */
    static final float TOL = 1e-6f;
    static URI base;
    static final List<String> TEXTS = List.of("A cat sits on the mat.", "Stock markets fell sharply today.", "Le chat est sur le tapis.");

    /** The reference: MiniLM loaded apart from the server's copy. */
    static Embedder embedder;

    @BeforeAll
    static void start() {
        base = SharedServer.uri();
        embedder = TestModels.reference();
    }

    @Test
    void healthInfoAndModels() {
        Http.Answer h = Http.get(base, "/health");
        assertEquals(200, h.status(), h.toString());
        assertEquals("ok", h.json().get("status").asText());

        Http.Answer info = Http.get(base, "/info");
        assertEquals(200, info.status());
        assertEquals("0.1.0-SNAPSHOT", info.json().get("version").asText());
        assertTrue(info.json().get("threads").get("compute").asInt() >= 1);
        assertEquals("all-minilm-l6-v2", info.json().get("default_embedding_model").asText());
        assertEquals(SharedServer.LIMITS.maxTexts(), info.json().get("limits").get("max_texts").asInt());
        assertTrue(info.json().get("routes").toString().contains("POST /v1/embeddings"), info.body());

        Http.Answer models = Http.get(base, "/v1/models");
        assertEquals(200, models.status());
        assertEquals("list", models.json().get("object").asText());
        List<String> ids = models.json().get("data").findValuesAsText("id");
        assertEquals(List.of("all-minilm-l6-v2", "gliner-tiny", "modernbert-tiny", "moe-tiny", "clip-tiny", "diffusion-fashion-mnist", "pointe-tiny"), ids);
        for (JsonNode m : models.json().get("data")) {
            assertEquals("model", m.get("object").asText());
            assertEquals("genai4j", m.get("owned_by").asText());
            assertTrue(m.get("created").isNumber());
        }
    }

    @Test
    void embedEqualsTheEmbedder() {
        float[][] expected = embedder.embed(TEXTS);
        Http.Answer many = Http.post(base, "/embed", Http.json(Map.of("texts", TEXTS)));
        assertEquals(200, many.status(), many.toString());
        assertEquals("all-minilm-l6-v2", many.json().get("model").asText());
        assertEquals(384, many.json().get("dimensions").asInt());
        JsonNode vs = many.json().get("embeddings");
        assertEquals(TEXTS.size(), vs.size());
        // one request alone in its forward: the Embedder's computation (up to the Vector API's unordered
        // lane reductions, which differ between interpreted and compiled code in the last bits)
        for (int i = 0; i < TEXTS.size(); i++) assertArrayEquals(expected[i], Http.floats(vs.get(i)), TOL, "text " + i);

        float[] single = embedder.embed(List.of(TEXTS.get(1)))[0];
        Http.Answer one = Http.post(base, "/embed", Http.json(Map.of("text", TEXTS.get(1), "model", "all-minilm-l6-v2")));
        assertEquals(200, one.status(), one.toString());
        assertArrayEquals(single, Http.floats(one.json().get("embedding")), TOL);
    }

    @Test
    void openAiEmbeddingsShapeFloatAndBase64() {
        float[][] expected = embedder.embed(TEXTS);
        int tokens = 0;
        try (HfTokenizer tok = HfTokenizer.load(TestModels.miniLm().resolve("tokenizer.json"))) {
            for (String t : TEXTS) tokens += tok.encode(t).length();
        }
        Http.Answer f = Http.post(base, "/v1/embeddings", Http.json(Map.of("input", TEXTS, "model", "all-minilm-l6-v2")));
        assertEquals(200, f.status(), f.toString());
        JsonNode j = f.json();
        assertEquals("list", j.get("object").asText());
        assertEquals("all-minilm-l6-v2", j.get("model").asText());
        assertEquals(tokens, j.get("usage").get("prompt_tokens").asInt());
        assertEquals(tokens, j.get("usage").get("total_tokens").asInt());
        assertEquals(TEXTS.size(), j.get("data").size());
        for (int i = 0; i < TEXTS.size(); i++) {
            JsonNode d = j.get("data").get(i);
            assertEquals("embedding", d.get("object").asText());
            assertEquals(i, d.get("index").asInt());
            assertArrayEquals(expected[i], Http.floats(d.get("embedding")), TOL);
        }

        Http.Answer b = Http.post(base, "/v1/embeddings", Http.json(Map.of("input", TEXTS.getFirst(), "model", "all-minilm-l6-v2",
                "encoding_format", "base64")));
        assertEquals(200, b.status(), b.toString());
        String s = b.json().get("data").get(0).get("embedding").asText();
        ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(s)).order(ByteOrder.LITTLE_ENDIAN);
        float[] decoded = new float[384];
        for (int i = 0; i < decoded.length; i++) decoded[i] = buf.getFloat();
        assertFalse(buf.hasRemaining());
        float[] firstAlone = embedder.embed(List.of(TEXTS.getFirst()))[0];
        assertArrayEquals(firstAlone, decoded, TOL);
    }

    @Test
    void unknownAndOutsideModelsAreRefused() {
        Http.Answer unknown = Http.post(base, "/v1/embeddings", Http.json(Map.of("input", "x", "model", "text-embedding-3-small")));
        assertEquals(404, unknown.status(), unknown.toString());
        assertEquals("model_not_found", unknown.json().get("error").get("code").asText());
        assertEquals("model", unknown.json().get("error").get("param").asText());
        for (String evil : List.of("../server-models", "../../pom.xml", "/etc", "gliner-tiny/../../..", "./../classes")) {
            Http.Answer a = Http.post(base, "/embed", Http.json(Map.of("text", "x", "model", evil)));
            assertEquals(403, a.status(), evil + " → " + a);
            assertEquals("model_outside_roots", a.json().get("error").get("code").asText());
        }
        // a folder under the root that is not an encoder
        Http.Answer notEncoder = Http.post(base, "/embed", Http.json(Map.of("text", "x", "model", "gliner-tiny")));
        assertEquals(404, notEncoder.status(), notEncoder.toString());
    }

    @Test
    void nerEqualsGlinerWithCharacterOffsets() {
        String text = "Barack Obama met Angela Merkel at the Brandenburg Gate in Berlin on Tuesday.";
        List<String> labels = List.of("person", "organization", "location");
        List<Entity> expected;
        try (Gliner g = Gliner.load(TestModels.gliner())) {
            expected = g.extract(text, labels, ExtractOptions.defaults().withThreshold(0.3));
        }
        assertFalse(expected.isEmpty(), "the fixture finds entities at 0.3");
        Http.Answer a = Http.post(base, "/ner", Http.json(Map.of("text", text, "labels", labels, "threshold", 0.3, "flat", true)));
        assertEquals(200, a.status(), a.toString());
        assertEquals("gliner-tiny", a.json().get("model").asText());
        JsonNode es = a.json().get("entities");
        assertEquals(expected.size(), es.size(), a.body());
        for (int i = 0; i < expected.size(); i++) {
            Entity e = expected.get(i);
            JsonNode n = es.get(i);
            assertEquals(e.start(), n.get("start").asInt());
            assertEquals(e.end(), n.get("end").asInt());
            assertEquals(e.label(), n.get("label").asText());
            assertEquals(e.score(), n.get("score").asDouble(), TOL);
            assertEquals(text.substring(e.start(), e.end()), n.get("text").asText(), "offsets index the text (ASCII here)");
        }
        Http.Answer batch = Http.post(base, "/ner", Http.json(Map.of("texts", List.of(text, "nothing here"), "labels", labels, "threshold", 0.3)));
        assertEquals(200, batch.status(), batch.toString());
        assertEquals(2, batch.json().get("results").size());
        JsonNode first = batch.json().get("results").get(0).get("entities");
        assertEquals(es.size(), first.size(), batch.body());
        for (int i = 0; i < es.size(); i++) {
            assertEquals(es.get(i).get("start"), first.get(i).get("start"));
            assertEquals(es.get(i).get("end"), first.get(i).get("end"));
            assertEquals(es.get(i).get("label"), first.get(i).get("label"));
            // padded to the longer text in one batch: the same scores up to float rounding
            assertEquals(es.get(i).get("score").asDouble(), first.get(i).get("score").asDouble(), TOL);
        }
    }

    @Test
    void fillMaskEqualsFillMask() {
        String text = "the capital of france is [MASK] .";
        List<FillMask.Prediction> expected;
        try (FillMask fm = FillMask.load(TestModels.fillMask())) {
            expected = fm.predict(text, 3).getFirst();
        }
        Http.Answer a = Http.post(base, "/fill-mask", Http.json(Map.of("text", text, "top_k", 3)));
        assertEquals(200, a.status(), a.toString());
        JsonNode preds = a.json().get("predictions");
        assertEquals(1, preds.size());
        assertEquals(3, preds.get(0).size());
        for (int i = 0; i < 3; i++) {
            JsonNode p = preds.get(0).get(i);
            assertEquals(expected.get(i).tokenId(), p.get("token").asInt());
            assertEquals(expected.get(i).text(), p.get("token_str").asText());
            assertEquals(expected.get(i).sequence(), p.get("sequence").asText());
            assertEquals(expected.get(i).score(), p.get("score").floatValue(), TOL);
        }
        Http.Answer noMask = Http.post(base, "/fill-mask", Http.json(Map.of("text", "the capital of france")));
        assertEquals(400, noMask.status(), noMask.toString());
        assertTrue(noMask.json().get("error").get("message").asText().contains("no mask token"), noMask.body());
    }

    @Test
    void metricsAreInPrometheusTextFormat() {
        Http.post(base, "/embed", Http.json(Map.of("text", "count me")));
        Http.get(base, "/no/such/route");
        Http.Answer m = Http.get(base, "/metrics");
        assertEquals(200, m.status());
        assertTrue(m.header("Content-Type").startsWith("text/plain; version=0.0.4"), m.header("Content-Type"));
        String t = m.body();
        assertTrue(t.contains("# TYPE genai4j_http_requests_total counter"), t);
        assertTrue(t.matches("(?s).*genai4j_http_requests_total\\{endpoint=\"/embed\",method=\"POST\",status=\"200\"} [1-9][0-9]*\n.*"), t);
        assertTrue(t.matches("(?s).*genai4j_http_requests_total\\{endpoint=\"unmatched\",method=\"GET\",status=\"404\"} [1-9][0-9]*\n.*"), t);
        assertTrue(t.contains("genai4j_http_request_duration_seconds_bucket{endpoint=\"/embed\",le=\"+Inf\"}"), t);
        assertTrue(t.contains("# TYPE genai4j_embed_batch_texts histogram"), t);
        assertTrue(t.contains("genai4j_work_queue_depth "), t);
        assertTrue(t.contains("genai4j_work_queue_capacity 64\n"), t);
        // every sample line is "name{labels} value" or "name value"
        for (String line : t.split("\n")) {
            if (line.startsWith("#")) continue;
            assertTrue(line.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*})? (-?[0-9.eE+-]+|\\+Inf)"), "bad sample line: " + line);
        }
    }
}
