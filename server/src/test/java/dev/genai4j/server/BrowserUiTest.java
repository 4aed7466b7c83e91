package dev.genai4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The browser UI end to end, in headless Chromium (Debian's {@code chromium}, driven by the npm
 * {@code playwright-core} with {@code executablePath}; script {@code src/test/node/ui.mjs}) against
 * the shared test server: a sentence typed into the NER page comes back with highlighted entities,
 * an uploaded image gets label score bars, a generation streams in coloured by expert; fill-mask
 * and similarity render. What the page shows is compared with what the API answers for the same
 * input; two generated images are shown; a point cloud is drawn by three.js, turned by a drag and downloaded as PLY. Screenshots land in {@code target/screenshots/} for a person to look at.
 *
 * <p>Needs chromium ({@code scripts/install-chromium.sh}, which .ci/run calls) and node + npm.
 * Without chromium the test is skipped with a message, unless {@code CI} is set: then it fails.
 */
class BrowserUiTest {
    static Path chromium() {
        String env = System.getenv("CHROMIUM");
        for (String c : env != null ? List.of(env) : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(c))) return Path.of(c);
        }
        return null;
    }

    static final List<String> SHOTS = List.of("ner.png", "zero-shot.png", "generate.png", "fill-mask.png", "similarity.png", "txt2img.png",
            "pointcloud.png");

    @Test
    void nerZeroShotAndGenerationWorkInChromium() throws Exception {
        Path browser = chromium();
        String ci = System.getenv("CI");
        if (browser == null) {
            assertTrue(ci == null || ci.isBlank() || ci.equals("false"), "CI is set but chromium is missing: .ci/run installs it with "
                    + "scripts/install-chromium.sh (apt-get install chromium); this test must run in CI");
            Assumptions.abort("chromium is not installed (apt-get install -y chromium, or bash scripts/install-chromium.sh); "
                    + "skipping the browser UI test outside CI");
        }
        Path dir = OpenAiNodeClientTest.installClient();
        Path shots = Files.createDirectories(Path.of("target", "screenshots").toAbsolutePath());
        for (String f : SHOTS) Files.deleteIfExists(shots.resolve(f));
        Path image = dir.resolve("noise.png");
        Files.write(image, ZeroShotEndpointTest.noisePng(48, 40, 11));
        Path out = dir.resolve("ui.json");
        Files.deleteIfExists(out);
        Path log = dir.resolve("ui.log");
        var base = SharedServer.uri();
        Process p = new ProcessBuilder("node", "ui.mjs", base.toString(), browser.toString(), shots.toString(), image.toString(), out.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("node ui.mjs did not finish in 180 s:\n" + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), "node ui.mjs failed:\n" + Files.readString(log));
        JsonNode r = Http.JSON.readTree(Files.readString(out));
        assertEquals(0, r.get("pageErrors").size(), "errors in the page: " + r.get("pageErrors"));

        // NER: the highlighted spans are the API's entities for the same input, each coloured
        String text = "Barack Obama met Angela Merkel at the Brandenburg Gate in Berlin on Tuesday.";
        Http.Answer ner = Http.post(base, "/ner", Http.json(Map.of("text", text, "labels", List.of("person", "organization", "location"), "threshold", 0.3)));
        JsonNode want = ner.json().get("entities");
        JsonNode got = r.get("entities");
        assertTrue(want.size() > 0, ner.body());
        assertEquals(want.size(), got.size(), got.toString());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).get("text").asText(), got.get(i).get("text").asText());
            assertEquals(want.get(i).get("label").asText(), got.get(i).get("label").asText());
            assertNotEquals("rgba(0, 0, 0, 0)", got.get(i).get("background").asText(), "highlighted");
        }
        assertTrue(r.get("nerText").asText().startsWith("Barack"), r.get("nerText").asText());

        // zero-shot: the bars are the API's scores, in its order
        Http.Answer zs = Http.post(base, "/zero-shot", Http.json(Map.of("image", java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(image)),
                "labels", List.of("cat", "dog", "car"))));
        JsonNode scores = r.get("scores");
        assertEquals(3, scores.size());
        for (int i = 0; i < 3; i++) {
            JsonNode p0 = zs.json().get("predictions").get(i);
            assertEquals(p0.get("label").asText(), scores.get(i).get("label").asText());
            assertEquals(String.format(java.util.Locale.ROOT, "%.1f%%", p0.get("score").asDouble() * 100), scores.get(i).get("value").asText());
        }
        assertTrue(r.get("previewShown").asBoolean(), "the uploaded image is previewed");

        // generation: the streamed tokens are the API's greedy completion, every routed token coloured
        Http.Answer gen = Http.post(base, "/v1/completions", Http.json(Map.of("prompt", "The river", "max_tokens", 24, "temperature", 0)));
        JsonNode tokens = r.get("tokens");
        assertEquals(gen.json().get("usage").get("completion_tokens").asInt(), tokens.size(), r.get("genStatus").asText());
        StringBuilder streamed = new StringBuilder();
        List<Boolean> routed = new ArrayList<>();
        for (JsonNode t : tokens) {
            streamed.append(t.get("text").asText());
            routed.add(t.get("routed").asBoolean());
            if (t.get("routed").asBoolean()) assertNotEquals("rgba(0, 0, 0, 0)", t.get("background").asText(), "coloured by expert: " + t);
        }
        assertEquals(gen.json().get("choices").get(0).get("text").asText(), streamed.toString());
        assertFalse(routed.getLast(), "the last token has no routing");
        assertEquals(2, r.get("layers").asInt(), "one colouring per layer of the tiny Mixtral");
        assertTrue(r.get("genStatus").asText().contains("finished"), r.get("genStatus").asText());

        assertEquals("187", r.get("threeRevision").asText(), "three.js from npm is in the jar and loads in the page");
        assertEquals("function", r.get("orbitControls").asText());
        assertEquals(5, r.get("fillMaskRows").asInt(), "top 5 for the one mask");
        JsonNode m = r.get("matrix");
        assertEquals(16, m.size(), "4 × 4 similarities");
        for (int i = 0; i < 4; i++) assertEquals(1.0, m.get(i * 5).asDouble(), 0.011, "a sentence is its own nearest");
        // text to image: the two images the page shows are the API's PNGs for the same request, upscaled with crisp pixels
        JsonNode images = r.get("images");
        assertEquals(2, images.size(), r.get("imgStatus").asText());
        Http.Answer api = Http.post(base, "/v1/images/generations", Http.json(Map.of("prompt", "a photo of a sneaker", "n", 2, "seed", 3, "guidance", 3, "steps", 5)));
        for (int i = 0; i < 2; i++) {
            JsonNode img = images.get(i);
            assertEquals(32, img.get("naturalWidth").asInt(), img.toString());
            assertEquals(32, img.get("naturalHeight").asInt(), img.toString());
            assertTrue(img.get("shownWidth").asDouble() >= 96, "shown upscaled: " + img);
            assertEquals("pixelated", img.get("rendering").asText());
            byte[] shown = java.util.Base64.getDecoder().decode(img.get("src").asText().substring("data:image/png;base64,".length()));
            byte[] apiPng = java.util.Base64.getDecoder().decode(api.json().get("data").get(i).get("b64_json").asText());
            assertTrue(ImageGenerationEndpointTest.maxDiff(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(shown)),
                    javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(apiPng))) <= 1, "image " + i + " is the API's for the same seed");
        }
        assertTrue(r.get("imgStatus").asText().contains("2 images"), r.get("imgStatus").asText());
        // text to 3D: the tiny Point-E's cloud drawn by three.js (pixels off the background, in several colours),
        // turned by a mouse drag through OrbitControls, and offered as a PLY file of the same count
        assertTrue(r.get("pcStatus").asText().startsWith(TestModels.POINTE_POINTS + " points in "), r.get("pcStatus") + " " + r.get("pcError"));
        JsonNode before = r.get("cloudBefore"), after = r.get("cloudAfter");
        assertTrue(before.get("width").asInt() > 300 && before.get("height").asInt() > 300, before.toString());
        assertTrue(before.get("offBackground").asInt() > 500, "the cloud is drawn: " + before);
        assertTrue(before.get("colours").asInt() > 10, "coloured points: " + before);
        assertNotEquals(before.get("hash").asInt(), after.get("hash").asInt(), "dragging turns the view: " + before + " → " + after);
        assertTrue(after.get("offBackground").asInt() > 500, after.toString());
        assertTrue(r.get("pcWarnings").toString().contains("the shipped Fashion-MNIST model"), r.get("pcWarnings").toString());
        assertTrue(r.get("pcSourceShown").asBoolean(), "the drawn image is shown beside the cloud");
        JsonNode ply = r.get("ply");
        assertEquals("point-cloud.ply", ply.get("name").asText());
        assertTrue(ply.get("header").asText().startsWith("ply\nformat binary_little_endian 1.0\n"), ply.toString());
        assertTrue(ply.get("header").asText().contains("element vertex " + TestModels.POINTE_POINTS + "\n"), ply.toString());
        assertEquals(ply.get("header").asText().length() + 15 * TestModels.POINTE_POINTS, ply.get("bytes").asInt(), "3 floats and 3 bytes a point");
        for (String f : SHOTS) {
            assertTrue(Files.size(shots.resolve(f)) > 1000, f + " was saved");
        }
    }
}
