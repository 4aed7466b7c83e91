package dev.genai4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genai4j.models.clip.ClipPipeline;
import dev.genai4j.models.clip.ZeroShotClassifier;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code genai4j clip …} on the eos_rule_fp32 fixture model with the WordLevel test tokenizer. */
class ClipCommandTest {
    @TempDir static Path dir;
    static Path model, images;

    @BeforeAll
    static void prepare() throws IOException {
        Path src = Path.of("../models/src/test/resources/fixtures/clip/eos_rule_fp32");
        assertTrue(Files.isDirectory(src), "fixture missing: " + src.toAbsolutePath());
        model = Files.createDirectory(dir.resolve("model"));
        Files.copy(src.resolve("config.json"), model.resolve("config.json"));
        Files.copy(src.resolve("model.safetensors"), model.resolve("model.safetensors"));
        Files.copy(Path.of("../models/src/test/resources/clip/tokenizer.json"), model.resolve("tokenizer.json"));
        images = Files.createDirectory(dir.resolve("images"));
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(30 + 7 * i, 24, BufferedImage.TYPE_3BYTE_BGR);
            Random r = new Random(i);
            for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, r.nextInt(1 << 24));
            ImageIO.write(img, "png", images.resolve("img" + i + ".png").toFile());
        }
    }

    private static String run(int[] rc, String... args) {
        return CliRun.combined(rc, args);
    }

    @Test
    void classifyJsonMatchesTheApi() throws IOException {
        int[] rc = new int[1];
        Path img = images.resolve("img1.png");
        String printed = run(rc, "clip", "classify", "--model", model.toString(), "--labels", "cat, dog,car", "--json", img.toString());
        assertEquals(0, rc[0], printed);
        JsonNode arr = new ObjectMapper().readTree(printed);
        assertEquals(1, arr.size());
        JsonNode preds = arr.get(0).get("predictions");
        assertEquals(3, preds.size());
        try (ClipPipeline clip = ClipPipeline.load(model)) {
            var zs = ZeroShotClassifier.build(clip, List.of("cat", "dog", "car"), ZeroShotClassifier.DEFAULT_TEMPLATES);
            List<ZeroShotClassifier.Prediction> api = zs.classify(clip.embedImageFiles(List.of(img))).getFirst();
            for (int i = 0; i < 3; i++) {
                assertEquals(api.get(i).label(), preds.get(i).get("label").asText());
                assertEquals(api.get(i).probability(), preds.get(i).get("probability").floatValue(), 1e-6f);
            }
        }
        String plain = run(rc, "clip", "classify", "--model", model.toString(), "--labels", "cat,dog", "--top-k", "1", img.toString());
        assertEquals(0, rc[0], plain);
        assertEquals(2, plain.strip().lines().count(), plain);
        assertTrue(plain.lines().skip(1).findFirst().orElseThrow().matches("  0\\.\\d{4}  (cat|dog)"), plain);
    }

    @Test
    void noLabelsAndBadImagesAreClearErrors() throws IOException {
        int[] rc = new int[1];
        String out = run(rc, "clip", "classify", "--model", model.toString(), "--labels", " , ", images.resolve("img0.png").toString());
        assertEquals(2, rc[0], out);
        assertTrue(out.contains("--labels"), out);
        Path bad = Files.writeString(dir.resolve("bad.png"), "not a png");
        out = run(rc, "clip", "classify", "--model", model.toString(), "--labels", "cat", bad.toString());
        assertEquals(ExitCodes.BAD_INPUT, rc[0], out);
        assertTrue(out.contains("bad.png"), out);
    }

    @Test
    void indexThenSearchTextToImageAndImageToText() throws IOException {
        int[] rc = new int[1];
        Path idx = dir.resolve("images.index");
        String out = run(rc, "clip", "index", "--model", model.toString(), images.toString(), "-o", idx.toString());
        assertEquals(0, rc[0], out);
        assertTrue(out.contains("indexed 3 images"), out);
        assertTrue(Files.isRegularFile(idx.resolve("embeddings.safetensors")) && Files.isRegularFile(idx.resolve("keys.json")));

        out = run(rc, "clip", "search", "--model", model.toString(), "--index", idx.toString(), "--json", "-k", "2", "a photo of a dog");
        assertEquals(0, rc[0], out);
        JsonNode hits = new ObjectMapper().readTree(out).get("hits");
        assertEquals(2, hits.size());
        assertTrue(hits.get(0).get("score").floatValue() >= hits.get(1).get("score").floatValue());
        try (ClipPipeline clip = ClipPipeline.load(model)) {
            Tensor q = clip.embedTexts(List.of("a photo of a dog")).embeddings();
            Tensor i = clip.embedImageFiles(List.of(Path.of(hits.get(0).get("key").asText())));
            assertEquals(q.matmul(i.mT()).item(), hits.get(0).get("score").floatValue(), 1e-5f);
        }

        out = run(rc, "clip", "search", "--model", model.toString(), "--index", idx.toString(), "--image", images.resolve("img2.png").toString());
        assertEquals(0, rc[0], out);
        assertTrue(out.lines().findFirst().orElseThrow().matches("1\\.0000  .*img2\\.png"), out);

        Path captions = Files.writeString(dir.resolve("captions.txt"), "a red car\n\na small bird\na green tree\n");
        Path tidx = dir.resolve("captions.index");
        out = run(rc, "clip", "index", "--model", model.toString(), "--texts", captions.toString(), "-o", tidx.toString(), "--json");
        assertEquals(0, rc[0], out);
        JsonNode info = new ObjectMapper().readTree(out);
        assertEquals("text", info.get("kind").asText());
        assertEquals(3, info.get("count").asInt());
        out = run(rc, "clip", "search", "--model", model.toString(), "--index", tidx.toString(), "--image", images.resolve("img0.png").toString());
        assertEquals(0, rc[0], out);
        assertEquals(3, out.strip().lines().count(), out);
        assertTrue(out.contains("a small bird"), out);

        Path mixed = Files.createDirectory(dir.resolve("mixed"));
        Files.copy(images.resolve("img0.png"), mixed.resolve("ok.png"));
        Files.writeString(mixed.resolve("cut.png"), "\u0089PNG broken");
        out = run(rc, "clip", "index", "--model", model.toString(), mixed.toString(), "-o", dir.resolve("mixed.index").toString());
        assertEquals(0, rc[0], out);
        assertTrue(out.contains("indexed 1 images") && out.contains("warning: skipped") && out.contains("cut.png"), out);

        out = run(rc, "clip", "search", "--model", model.toString(), "--index", dir.resolve("nope").toString(), "query");
        assertEquals(ExitCodes.BAD_INPUT, rc[0], out);
        assertTrue(out.contains("keys.json"), out);
    }

    @Test
    void checkPassesEveryClipFixture() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        int[] rc = new int[1];
        try {
            Path root = Path.of("../models/src/test/resources/fixtures/clip");
            run(rc, "check", root.resolve("preprocess").toString(), root.resolve("legacy_eos2_fp32").toString());
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc[0], out.toString());
        assertTrue(out.toString().contains("preprocess: 1/1 tensors ok"), out.toString());
        assertTrue(out.toString().contains("legacy_eos2_fp32: 7/7 tensors ok"), out.toString());
    }

    @Test
    void embedPrintsUnitVectorsAndWarnsOnTruncation() throws IOException {
        int[] rc = new int[1];
        String longText = "a cat on the beach and a dog on the beach and a bird on a boat";
        String out = run(rc, "clip", "embed", "--model", model.toString(), "--image", images.resolve("img0.png").toString(),
                "--json", "a red car", longText);
        assertEquals(0, rc[0], out);
        assertTrue(out.contains("warning: text 2") && out.contains("was truncated"), out);   // stderr, after the JSON
        JsonNode root = new ObjectMapper().readTree(out);
        assertEquals(1, root.get("images").size());
        assertEquals(2, root.get("texts").size());
        assertTrue(root.get("texts").get(1).get("truncated").asBoolean());
        double n = 0;
        for (JsonNode v : root.get("images").get(0).get("embedding")) n += v.asDouble() * v.asDouble();
        assertEquals(1.0, n, 1e-5);
        out = run(rc, "clip", "embed", "--model", model.toString());
        assertEquals(2, rc[0], out);
        assertTrue(out.contains("nothing to embed"), out);
    }
}
