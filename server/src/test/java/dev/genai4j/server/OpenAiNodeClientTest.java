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
 * with an API key, in its default base64 encoding and in float, and its vectors are MiniLM's.
 * Node.js and npm are required: without them this test fails and says how to install them.
 */
class OpenAiNodeClientTest {
    static final String KEY = "sk-node-client-test";
    static Genai4jServer server;

    @BeforeAll
    static void start() {
        server = Genai4jServer.start(ServerConfig.builder().port(0).apiKey(KEY).build(), List.of());
    }

    @AfterAll
    static void stop() { server.stop(); }

    @Test
    void theOpenAiNpmClientGetsMiniLmEmbeddings() throws Exception {
        Path dir = installClient();
        Path out = dir.resolve("result.json");
        Files.deleteIfExists(out);
        ProcessBuilder pb = new ProcessBuilder("node", "embeddings.mjs", out.toString()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("node.log").toFile());
        pb.environment().put("GENAI4J_BASE_URL", server.uri() + "/v1");
        pb.environment().put("OPENAI_API_KEY", KEY);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node did not finish in 120 s");
        String log = Files.readString(dir.resolve("node.log"));
        assertEquals(0, p.exitValue(), "node embeddings.mjs failed:\n" + log);

        var j = Http.JSON.readTree(Files.readString(out));
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

    /** target/npm with package.json, package-lock.json and the script, plus node_modules from 'npm ci' (once per build folder). */
    static Path installClient() throws IOException, InterruptedException {
        Path src = Path.of(System.getProperty("genai4j.node.src", "src/test/node"));
        Path dir = Files.createDirectories(Path.of(System.getProperty("genai4j.npm.dir", "target/npm")));
        requireTool("node", "--version");
        requireTool("npm", "--version");
        boolean lockChanged = !Files.exists(dir.resolve("package-lock.json"))
                || Files.mismatch(src.resolve("package-lock.json"), dir.resolve("package-lock.json")) != -1;
        for (String f : List.of("package.json", "package-lock.json", "embeddings.mjs")) {
            Files.copy(src.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (lockChanged || !Files.isRegularFile(dir.resolve("node_modules/openai/package.json"))) {
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
