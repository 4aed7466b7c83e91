package dev.genai4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.models.mixtral.GenerationOptions;
import dev.genai4j.models.mixtral.GenerationResult;
import dev.genai4j.models.mixtral.Generator;
import dev.genai4j.models.mixtral.MixtralForCausalLM;
import dev.genai4j.models.mixtral.TopKRouter;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.HfTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code /v1/completions} and {@code /v1/chat/completions} on a tiny random Mixtral: the text is
 * what {@link Generator} makes of the same prompt, usage counts the tokens, max_tokens and stop
 * strings are honoured, streams are framed as OpenAI's (with each token's experts, checked
 * against a full forward), a client that walks away stops its generation, bad requests are 400s.
 */
class GenerationEndpointsTest {
    static URI base;
    static MixtralForCausalLM lm;
    static HfTokenizer tok;

    @BeforeAll
    static void load() {
        base = SharedServer.uri();
        lm = MixtralForCausalLM.load(TestModels.lm());
        tok = HfTokenizer.load(TestModels.lm().resolve("tokenizer.json"));
    }

    @AfterAll
    static void close() {
        tok.close();
        lm.close();
    }

    /** Prompt ids as the server feeds them: BOS first. */
    static int[] ids(String prompt) {
        int[] enc = tok.encode(prompt).ids();
        int[] out = new int[enc.length + 1];
        out[0] = 1;
        System.arraycopy(enc, 0, out, 1, enc.length);
        return out;
    }

    static GenerationResult reference(String prompt, GenerationOptions o) {
        return new Generator(lm, tok).generateIds(List.of(ids(prompt)), o, null);
    }

    static Map<String, Object> body(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static final List<Map<String, String>> MESSAGES = List.of(Map.of("role", "system", "content", "You are terse."),
            Map.of("role", "user", "content", "Tell me about the river."));

    @Test
    void chatCompletionIsTheGeneratorsGreedyTextWithUsage() {
        Http.Answer a = Http.post(base, "/v1/chat/completions", Http.json(body("model", "moe-tiny", "messages", MESSAGES,
                "max_tokens", 12, "temperature", 0, "ignore_eos", true)));
        assertEquals(200, a.status(), a.toString());
        JsonNode j = a.json();
        assertTrue(j.get("id").asText().startsWith("chatcmpl-"), a.body());
        assertEquals("chat.completion", j.get("object").asText());
        assertEquals("moe-tiny", j.get("model").asText());
        assertTrue(j.get("created").isNumber());
        String prompt = "<|system|>\nYou are terse.\n<|user|>\nTell me about the river.\n<|assistant|>\n";
        assertEquals(prompt, ChatTemplate.render(List.of(new ChatTemplate.Message("system", "You are terse."),
                new ChatTemplate.Message("user", "Tell me about the river."))));
        GenerationResult ref = reference(prompt, GenerationOptions.greedy(12).withStopAtEos(false).withStopStrings(ChatTemplate.STOPS));
        JsonNode choice = j.get("choices").get(0);
        assertEquals(0, choice.get("index").asInt());
        assertEquals("assistant", choice.get("message").get("role").asText());
        assertEquals(ref.texts().getFirst(), choice.get("message").get("content").asText());
        assertEquals(GenerationEndpoints.finishReason(ref.reasons().getFirst()), choice.get("finish_reason").asText());
        JsonNode u = j.get("usage");
        assertEquals(ids(prompt).length, u.get("prompt_tokens").asInt());
        assertEquals(ref.tokens().getFirst().length, u.get("completion_tokens").asInt());
        assertEquals(u.get("prompt_tokens").asInt() + u.get("completion_tokens").asInt(), u.get("total_tokens").asInt());
    }

    @Test
    void completionHonoursMaxTokensAndStopStrings() {
        String prompt = "The weather was cold and";
        Http.Answer a = Http.post(base, "/v1/completions", Http.json(body("prompt", prompt, "max_tokens", 20, "temperature", 0, "ignore_eos", true)));
        assertEquals(200, a.status(), a.toString());
        JsonNode j = a.json();
        assertTrue(j.get("id").asText().startsWith("cmpl-"));
        assertEquals("text_completion", j.get("object").asText());
        String text = j.get("choices").get(0).get("text").asText();
        GenerationResult ref = reference(prompt, GenerationOptions.greedy(20).withStopAtEos(false));
        assertEquals(ref.texts().getFirst(), text);
        assertEquals(20, j.get("usage").get("completion_tokens").asInt(), "max_tokens is the number of new tokens");
        assertEquals(ids(prompt).length, j.get("usage").get("prompt_tokens").asInt());
        assertEquals("length", j.get("choices").get(0).get("finish_reason").asText());

        // a stop string from the middle of that text ends it just before its first occurrence
        String stop = text.strip().length() >= 6 ? text.substring(text.length() / 2, text.length() / 2 + 2) : null;
        assertNotNull(stop, "the greedy text is long enough to cut: '" + text + "'");
        Http.Answer s = Http.post(base, "/v1/completions", Http.json(body("prompt", prompt, "max_tokens", 20, "temperature", 0,
                "ignore_eos", true, "stop", List.of(stop))));
        assertEquals(200, s.status(), s.toString());
        assertEquals(text.substring(0, text.indexOf(stop)), s.json().get("choices").get(0).get("text").asText());
        assertEquals("stop", s.json().get("choices").get(0).get("finish_reason").asText());
        assertTrue(s.json().get("usage").get("completion_tokens").asInt() < 20);

        // the default is OpenAI's 16 tokens
        Http.Answer d = Http.post(base, "/v1/completions", Http.json(body("prompt", prompt, "temperature", 0, "ignore_eos", true)));
        assertEquals(16, d.json().get("usage").get("completion_tokens").asInt(), d.body());
    }

    @Test
    void samplingFollowsTheSeed() {
        Map<String, Object> b = body("prompt", "She opened the window", "max_tokens", 10, "temperature", 0.9, "top_p", 0.95, "seed", 1234,
                "ignore_eos", true);
        Http.Answer x = Http.post(base, "/v1/completions", Http.json(b));
        Http.Answer y = Http.post(base, "/v1/completions", Http.json(b));
        assertEquals(200, x.status(), x.toString());
        String text = x.json().get("choices").get(0).get("text").asText();
        assertEquals(text, y.json().get("choices").get(0).get("text").asText());
        GenerationResult ref = reference("She opened the window", GenerationOptions.sampling(10, 0.9f).withTopP(0.95f).withSeed(1234).withStopAtEos(false));
        assertEquals(ref.texts().getFirst(), text);
    }

    /** The events of a stream body: the JSON of each {@code data:} line, "[DONE]" kept as text. */
    static List<String> events(String body) {
        assertTrue(body.endsWith("\n\n"), "every event ends with a blank line");
        List<String> out = new ArrayList<>();
        for (String e : body.split("\n\n")) {
            assertTrue(e.startsWith("data: "), "event '" + e + "'");
            assertFalse(e.contains("\n"), "one line per event");
            out.add(e.substring(6));
        }
        return out;
    }

    @Test
    void chatStreamIsFramedAsOpenAisWithEachTokensExperts() throws Exception {
        int maxTokens = 8;
        Http.Answer a = Http.post(base, "/v1/chat/completions", Http.json(body("messages", MESSAGES, "max_tokens", maxTokens,
                "temperature", 0, "ignore_eos", true, "stream", true, "stream_options", Map.of("include_usage", true))));
        assertEquals(200, a.status(), a.toString());
        assertTrue(a.header("Content-Type").startsWith("text/event-stream"), a.header("Content-Type"));
        List<String> ev = events(a.body());
        assertEquals("[DONE]", ev.getLast());
        List<JsonNode> chunks = new ArrayList<>();
        for (String e : ev.subList(0, ev.size() - 1)) chunks.add(Http.JSON.readTree(e));
        String id = chunks.getFirst().get("id").asText();
        for (JsonNode c : chunks) {
            assertEquals(id, c.get("id").asText(), "one id for the whole stream");
            assertEquals("chat.completion.chunk", c.get("object").asText());
            assertEquals("moe-tiny", c.get("model").asText());
        }
        assertEquals("assistant", chunks.getFirst().get("choices").get(0).get("delta").get("role").asText());
        JsonNode usageChunk = chunks.getLast();
        assertEquals(0, usageChunk.get("choices").size());
        assertEquals(maxTokens, usageChunk.get("usage").get("completion_tokens").asInt());
        JsonNode finish = chunks.get(chunks.size() - 2).get("choices").get(0);
        assertEquals("length", finish.get("finish_reason").asText());
        assertTrue(finish.get("delta").isEmpty());
        List<JsonNode> tokens = chunks.subList(1, chunks.size() - 2);
        assertEquals(maxTokens, tokens.size(), "one chunk per generated token");

        StringBuilder text = new StringBuilder();
        int[] gen = new int[maxTokens];
        for (int i = 0; i < maxTokens; i++) {
            JsonNode ch = tokens.get(i).get("choices").get(0);
            assertTrue(ch.get("finish_reason").isNull());
            text.append(ch.get("delta").get("content").asText());
            gen[i] = ch.get("genai4j_token").asInt();
        }
        String prompt = ChatTemplate.render(List.of(new ChatTemplate.Message("system", "You are terse."), new ChatTemplate.Message("user", "Tell me about the river.")));
        GenerationResult ref = reference(prompt, GenerationOptions.greedy(maxTokens).withStopAtEos(false).withStopStrings(ChatTemplate.STOPS));
        assertEquals(ref.texts().getFirst(), text.toString(), "the deltas add up to the whole text");
        assertArrayEquals(ref.tokens().getFirst(), gen);

        // the experts of each token are where a full forward over prompt + tokens routes it
        int[] p = ids(prompt);
        float[] all = new float[p.length + maxTokens];
        for (int i = 0; i < p.length; i++) all[i] = p[i];
        for (int i = 0; i < maxTokens; i++) all[p.length + i] = gen[i];
        List<TopKRouter.Routing> routings;
        try (var g = NoGrad.enter()) {
            routings = lm.forward(Tensor.of(all, 1, all.length)).routings();
        }
        for (int i = 0; i < maxTokens; i++) {
            JsonNode experts = tokens.get(i).get("choices").get(0).get("genai4j_experts");
            if (i == maxTokens - 1) {
                assertTrue(experts.isNull(), "the last token is never fed back, so it has no routing");
                continue;
            }
            assertEquals(2, experts.size(), "one entry per layer");
            for (int l = 0; l < 2; l++) {
                int[] want = routings.get(l).experts();
                int row = p.length + i;
                assertEquals(List.of(want[row * 2], want[row * 2 + 1]), List.of(experts.get(l).get(0).asInt(), experts.get(l).get(1).asInt()),
                        "token " + i + " layer " + l);
            }
        }
    }

    @Test
    void completionStreamWithoutUsageEndsWithFinishReasonAndDone() throws Exception {
        Http.Answer a = Http.post(base, "/v1/completions", Http.json(body("prompt", "The river", "max_tokens", 5, "temperature", 0,
                "ignore_eos", true, "stream", true)));
        assertEquals(200, a.status(), a.toString());
        List<String> ev = events(a.body());
        assertEquals(5 + 2, ev.size(), "5 tokens, the finish chunk, [DONE]: " + ev);
        JsonNode finish = Http.JSON.readTree(ev.get(5));
        assertEquals("text_completion", finish.get("object").asText());
        assertEquals("length", finish.get("choices").get(0).get("finish_reason").asText());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5; i++) text.append(Http.JSON.readTree(ev.get(i)).get("choices").get(0).get("text").asText());
        assertEquals(reference("The river", GenerationOptions.greedy(5).withStopAtEos(false)).texts().getFirst(), text.toString());
    }

    @Test
    void badRequestsAre400sWithJsonErrors() {
        List<Object[]> cases = List.of(
                new Object[]{"/v1/chat/completions", body("model", "moe-tiny"), "messages", "missing_parameter"},
                new Object[]{"/v1/chat/completions", body("messages", List.of()), "messages", "empty_array"},
                new Object[]{"/v1/chat/completions", body("messages", List.of(Map.of("role", "tool", "content", "x"))), "messages[0].role", "invalid_value"},
                new Object[]{"/v1/chat/completions", body("messages", List.of(Map.of("role", "user"))), "messages[0].content", "missing_parameter"},
                new Object[]{"/v1/chat/completions", body("messages", MESSAGES, "n", 2), "n", "unsupported_value"},
                new Object[]{"/v1/chat/completions", body("messages", MESSAGES, "max_tokens", 0), "max_tokens", "out_of_range"},
                new Object[]{"/v1/chat/completions", body("messages", MESSAGES, "max_tokens", SharedServer.LIMITS.maxNewTokens() + 1), "max_tokens", "out_of_range"},
                new Object[]{"/v1/chat/completions", body("messages", MESSAGES, "temperature", 3), "temperature", "out_of_range"},
                new Object[]{"/v1/chat/completions", body("messages", MESSAGES, "top_p", 0), "top_p", "out_of_range"},
                new Object[]{"/v1/chat/completions", body("messages", MESSAGES, "stream", "yes"), "stream", "invalid_type"},
                new Object[]{"/v1/chat/completions", body("messages", MESSAGES, "stream_options", Map.of("include_usage", true)), "stream_options", "invalid_value"},
                new Object[]{"/v1/chat/completions", body("messages", MESSAGES, "logprobs", true), "logprobs", "unknown_parameter"},
                new Object[]{"/v1/chat/completions", body("messages", MESSAGES, "stop", List.of("a", "b", "c", "d", "e")), "stop", "too_many_stops"},
                new Object[]{"/v1/completions", body("prompt", 42), "prompt", "invalid_type"},
                new Object[]{"/v1/completions", body("prompt", List.of("a", "b")), "prompt", "unsupported_input"},
                new Object[]{"/v1/completions", body("prompt", "  "), "prompt", "empty_text"},
                new Object[]{"/v1/completions", body("prompt", "x", "seed", 1.5), "seed", "invalid_type"},
                new Object[]{"/v1/completions", body("prompt", "x", "presence_penalty", 0.5), "presence_penalty", "unsupported_value"},
                new Object[]{"/v1/completions", body("prompt", "日".repeat(1500)), "prompt", "context_length_exceeded"});
        for (Object[] c : cases) {
            Http.Answer a = Http.post(base, (String) c[0], Http.json(c[1]));
            assertEquals(400, a.status(), c[1] + " → " + a);
            assertEquals(c[3], a.json().get("error").get("code").asText(), a.toString());
            assertEquals(c[2], a.json().get("error").get("param").asText(), a.toString());
            assertFalse(a.body().contains("at dev.genai4j"), "no stack trace");
        }
        Http.Answer other = Http.post(base, "/v1/chat/completions", Http.json(body("model", "gpt-4o", "messages", MESSAGES)));
        assertEquals(404, other.status(), other.toString());
        assertEquals("model_not_found", other.json().get("error").get("code").asText());
        Http.Answer notJson = Http.post(base, "/v1/completions", "{\"prompt\": ");
        assertEquals(400, notJson.status());
        assertEquals("invalid_json", notJson.json().get("error").get("code").asText());
    }

    @Test
    void aClientThatDisconnectsStopsItsGeneration() throws Exception {
        try (Genai4jServer s = Genai4jServer.start(ServerConfig.builder().port(0).modelRoot(TestModels.root()).lmModel("moe-tiny")
                .limits(Limits.defaults().withMaxNewTokens(4000)).build(), List.of())) {
            var cancelled = s.metrics().counter("genai4j_generations_cancelled_total", "");
            var generated = s.metrics().counter("genai4j_generated_tokens_total", "");
            String json = Http.json(body("prompt", "The river", "max_tokens", 4000, "temperature", 0, "ignore_eos", true, "stream", true));
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            try (Socket sock = new Socket(s.uri().getHost(), s.port())) {
                OutputStream out = sock.getOutputStream();
                out.write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(bytes);
                out.flush();
                InputStream in = sock.getInputStream();
                String seen = "";
                while (!seen.contains("data: ")) seen += (char) in.read();   // the stream has begun
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (cancelled.sum() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(1, cancelled.sum(), "the generation noticed the client had gone");
            assertTrue(generated.sum() < 4000, "it stopped early: " + generated.sum() + " tokens");
            while (s.context().work().depth() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(0, s.context().work().depth(), "its work-queue slot is free again");
            Http.Answer after = Http.post(s.uri(), "/v1/completions", Http.json(body("prompt", "The river", "max_tokens", 3, "temperature", 0)));
            assertEquals(200, after.status(), "the model is free for the next request: " + after);
        }
    }
}
