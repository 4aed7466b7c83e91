package dev.genai4j.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A client nobody here wrote: the npm {@code openai} package (version pinned by the committed
 * package-lock.json, installed with {@code npm ci} into target/npm) calls {@code /v1/embeddings}
 * with an API key, in its default base64 encoding and in float, and its vectors are MiniLM's; and it
 * calls {@code /v1/chat/completions} (whole and streamed) and {@code /v1/completions} on the tiny
 * Mixtral, whose text is the generator's; and {@code images.generate} on the shipped diffusion model.
 * Node.js and npm are required: without them this test fails and says how to install them.
 */
class OpenAiNodeClientTest {
    static final String KEY = "sk-node-client-test";
    static Genai4jServer server;

    @BeforeAll
    static void start() {
        server = Genai4jServer.start(ServerConfig.builder().port(0).apiKey(KEY).modelRoot(TestModels.root()).lmModel("moe-tiny").build(), List.of());
    }

    @AfterAll
    static void stop() { server.stop(); }

    /** Runs {@code node script OUT} against the server and parses OUT. */
    static com.fasterxml.jackson.databind.JsonNode runNode(String script) throws Exception {
        Path dir = installClient();
        Path out = dir.resolve(script + ".json");
        Files.deleteIfExists(out);
        Path log = dir.resolve(script + ".log");
        ProcessBuilder pb = new ProcessBuilder("node", script, out.toString()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("GENAI4J_BASE_URL", server.uri() + "/v1");
        pb.environment().put("OPENAI_API_KEY", KEY);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node did not finish in 120 s");
        assertEquals(0, p.exitValue(), "node " + script + " failed:\n" + Files.readString(log));
        return Http.JSON.readTree(Files.readString(out));
    }

    @Test
    void theOpenAiNpmClientGetsMiniLmEmbeddings() throws Exception {
        var j = runNode("embeddings.mjs");
        List<String> texts = List.of("A cat sits on the mat.", "Stock markets fell sharply today.");
        float[][] expected = TestModels.reference().embed(texts);
        for (String format : List.of("base64", "float")) {
            var r = j.get(format);
            assertEquals("all-minilm-l6-v2", r.get("model").asText(), format);
            assertEquals(2, r.get("data").size(), format);
            assertTrue(r.get("usage").get("prompt_tokens").asInt() > 0, format);
            for (int i = 0; i < 2; i++) {
                assertEquals(i, r.get("data").get(i).get("index").asInt());
                assertArrayEquals(expected[i], Http.floats(r.get("data").get(i).get("embedding")), 1e-5f, format + " text " + i);
            }
        }
        // the client asks for base64 unless told otherwise, and decodes it itself
        assertEquals("[\"base64\",\"float\"]", j.get("sentFormats").toString());
        assertEquals(401, j.get("wrongKeyStatus").asInt(), "the client surfaces our 401 as an AuthenticationError");
        assertEquals("invalid_api_key", j.get("wrongKeyCode").asText());
    }

    @Test
    void theOpenAiNpmClientGeneratesImages() throws Exception {
        var j = runNode("images.mjs");
        var data = j.get("images").get("data");
        assertEquals(2, data.size(), j.toString());
        assertTrue(j.get("images").get("created").asLong() > 0);
        Http.Answer ours = Http.post(server.uri(), "/v1/images/generations", Http.json(java.util.Map.of("prompt", "a photo of a sneaker", "n", 2,
                "seed", 4, "steps", 4)), "Authorization", "Bearer " + KEY);
        for (int i = 0; i < 2; i++) {
            var img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(data.get(i).get("b64_json").asText())));
            assertEquals(32, img.getWidth());
            assertEquals(32, img.getHeight());
            var want = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(
                    ours.json().get("data").get(i).get("b64_json").asText())));
            assertTrue(ImageGenerationEndpointTest.maxDiff(want, img) <= 1, "the client's image " + i + " is the server's for the same seed");
        }
        assertEquals(400, j.get("badSizeStatus").asInt());
        assertTrue(j.get("badSizeMessage").asText().contains("32x32"), j.get("badSizeMessage").asText());
    }

    @Test
    void theOpenAiNpmClientChatsAndStreamsWithTheMixtral() throws Exception {
        var j = runNode("chat.mjs");
        var whole = j.get("whole");
        assertEquals("chat.completion", whole.get("object").asText());
        assertEquals("moe-tiny", whole.get("model").asText());
        String content = whole.get("choices").get(0).get("message").get("content").asText();
        assertEquals(10, whole.get("usage").get("completion_tokens").asInt());
        String prompt = ChatTemplate.render(List.of(new ChatTemplate.Message("system", "You are terse."),
                new ChatTemplate.Message("user", "Tell me about the river.")));
        try (var lm = dev.genai4j.models.mixtral.MixtralForCausalLM.load(TestModels.lm());
             var tok = dev.genai4j.text.HfTokenizer.load(TestModels.lm().resolve("tokenizer.json"))) {
            var o = dev.genai4j.models.mixtral.GenerationOptions.greedy(10).withStopAtEos(false).withStopStrings(ChatTemplate.STOPS);
            assertEquals(new dev.genai4j.models.mixtral.Generator(lm, tok).generate(List.of(prompt), o, null).texts().getFirst(), content);
        }
        // the client's async iterator yields our chunks: role, one per token, the finish, the usage
        StringBuilder streamed = new StringBuilder();
        int tokenChunks = 0;
        for (var chunk : j.get("chunks")) {
            assertEquals("chat.completion.chunk", chunk.get("object").asText());
            var choices = chunk.get("choices");
            if (choices.isEmpty()) continue;
            var c = choices.get(0);
            if (c.has("genai4j_token")) tokenChunks++;
            if (c.get("delta").has("content")) streamed.append(c.get("delta").get("content").asText());
        }
        assertEquals(content, streamed.toString(), "the stream adds up to the non-streamed answer");
        assertEquals(10, tokenChunks);
        var chunks = j.get("chunks");
        assertEquals("assistant", chunks.get(0).get("choices").get(0).get("delta").get("role").asText());
        assertEquals("length", chunks.get(chunks.size() - 2).get("choices").get(0).get("finish_reason").asText());
        assertEquals(10, chunks.get(chunks.size() - 1).get("usage").get("completion_tokens").asInt());
        assertEquals(5, j.get("completion").get("usage").get("completion_tokens").asInt());
        assertEquals("text_completion", j.get("completion").get("object").asText());
        assertEquals(400, j.get("badStatus").asInt(), "the client raises our 400 as a BadRequestError");
        assertEquals("empty_array", j.get("badCode").asText());
    }

    /** target/npm with package.json, package-lock.json and the scripts, plus node_modules from 'npm ci' (once per build folder). */
    static Path installClient() throws IOException, InterruptedException {
        Path src = Path.of(System.getProperty("genai4j.node.src", "src/test/node"));
        Path dir = Files.createDirectories(Path.of(System.getProperty("genai4j.npm.dir", "target/npm")));
        requireTool("node", "--version");
        requireTool("npm", "--version");
        boolean lockChanged = !Files.exists(dir.resolve("package-lock.json"))
                || Files.mismatch(src.resolve("package-lock.json"), dir.resolve("package-lock.json")) != -1;
        for (String f : List.of("package.json", "package-lock.json", "embeddings.mjs", "chat.mjs", "images.mjs", "ui.mjs")) {
            Files.copy(src.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (lockChanged || !Files.isRegularFile(dir.resolve("node_modules/openai/package.json"))
                || !Files.isRegularFile(dir.resolve("node_modules/playwright-core/package.json"))) {
            Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("npm-ci.log").toFile()).start();
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "npm ci did not finish in 300 s");
            assertEquals(0, p.exitValue(), "npm ci in " + dir + " failed (is the npm registry reachable?):\n"
                    + Files.readString(dir.resolve("npm-ci.log")));
        }
        return dir;
    }

    private static void requireTool(String tool, String arg) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(tool, arg).redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) fail(tool + " " + arg + " failed: " + v);
        } catch (IOException e) {
            fail("'" + tool + "' is not installed, and this test runs the real npm 'openai' client against the server: "
                    + "install Node.js and npm (Debian: apt-get install nodejs npm; .ci/run does this)", e);
        }
    }
}
