package dev.genai4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.models.clip.ClipPipeline;
import dev.genai4j.models.clip.ImageFiles;
import dev.genai4j.models.clip.ZeroShotClassifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code POST /zero-shot} with the tiny CLIP fixture: a multipart upload and a base64 JSON body give
 * the scores {@link ZeroShotClassifier} gives for the same image and labels; oversized, unreadable,
 * truncated and ill-formed uploads are 4xx JSON errors.
 */
class ZeroShotEndpointTest {
    static final String BOUNDARY = "----genai4jTestBoundary7MA4YWxk";
    static URI base;
    static byte[] png;

    @BeforeAll
    static void start() throws IOException {
        base = SharedServer.uri();
        png = noisePng(48, 40, 11);
    }

    static byte[] noisePng(int w, int h, long seed) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, r.nextInt(1 << 24));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** A multipart body: {@code fields} as name/value pairs, then the image part when not null. */
    static byte[] form(byte[] image, String... fields) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i += 2) {
            b.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n" + fields[i + 1] + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (image != null) {
            b.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"noise.png\"\r\nContent-Type: image/png\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            b.writeBytes(image);
            b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        b.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    static Http.Answer upload(byte[] body) {
        return Http.send(HttpRequest.newBuilder(base.resolve("/zero-shot")).header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    static List<ZeroShotClassifier.Prediction> expected(List<String> labels, List<String> templates) {
        try (ClipPipeline clip = ClipPipeline.load(TestModels.clip())) {
            return ZeroShotClassifier.build(clip, labels, templates)
                    .classify(clip.embedImages(List.of(ImageFiles.read(png, "noise", 1_000_000)))).getFirst();
        }
    }

    static void assertPredictions(List<ZeroShotClassifier.Prediction> want, Http.Answer a) {
        assertEquals(200, a.status(), a.toString());
        assertEquals("clip-tiny", a.json().get("model").asText());
        assertEquals(48, a.json().get("image").get("width").asInt());
        assertEquals(40, a.json().get("image").get("height").asInt());
        JsonNode ps = a.json().get("predictions");
        assertEquals(want.size(), ps.size());
        double sum = 0;
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).label(), ps.get(i).get("label").asText(), "most probable first");
            assertEquals(want.get(i).probability(), ps.get(i).get("score").floatValue(), 1e-5f);
            assertEquals(want.get(i).logit(), ps.get(i).get("logit").floatValue(), 1e-4f);
            sum += ps.get(i).get("score").asDouble();
        }
        assertEquals(1.0, sum, 1e-5);
    }

    @Test
    void multipartUploadScoresTheLabelsAsTheClassifier() {
        List<String> labels = List.of("cat", "dog", "car");
        List<ZeroShotClassifier.Prediction> want = expected(labels, ZeroShotClassifier.DEFAULT_TEMPLATES);
        assertPredictions(want, upload(form(png, "labels", "cat, dog,car")));
        assertPredictions(want, upload(form(png, "labels", "cat", "labels", "dog", "labels", "car")));
        assertPredictions(expected(labels, List.of("a drawing of a {}.")), upload(form(png, "labels", "cat,dog,car",
                "hypothesis_template", "a drawing of a {}.")));
    }

    @Test
    void base64JsonAndDataUrlsGiveTheSameScores() {
        List<String> labels = List.of("tree", "boat");
        List<ZeroShotClassifier.Prediction> want = expected(labels, ZeroShotClassifier.DEFAULT_TEMPLATES);
        String b64 = Base64.getEncoder().encodeToString(png);
        assertPredictions(want, Http.post(base, "/zero-shot", Http.json(Map.of("image", b64, "labels", labels))));
        assertPredictions(want, Http.post(base, "/zero-shot", Http.json(Map.of("image", "data:image/png;base64," + b64, "labels", labels))));
    }

    @Test
    void badUploadsAre4xxJsonErrors() throws IOException {
        record Case(byte[] form, int status, String code) {}
        byte[] tooManyPixels = plainPng(1100, 1000);   // 1.1 MP against the shared server's 1 MP cap
        byte[] tooManyBytes = new byte[SharedServer.LIMITS.maxImageBytes() + 1];
        System.arraycopy(png, 0, tooManyBytes, 0, png.length);
        byte[] whole = form(png, "labels", "cat,dog");
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 40);
        List<Case> cases = List.of(
                new Case(form(null, "labels", "cat,dog"), 400, "missing_parameter"),
                new Case(form(png), 400, "missing_parameter"),
                new Case(form("GIF89a not really".getBytes(StandardCharsets.UTF_8), "labels", "cat"), 400, "invalid_image"),
                new Case(form(java.util.Arrays.copyOf(png, png.length / 2), "labels", "cat"), 400, "invalid_image"),
                new Case(form(tooManyPixels, "labels", "cat,dog"), 400, "image_too_large"),
                new Case(form(tooManyBytes, "labels", "cat,dog"), 413, "request_too_large"),
                new Case(truncated, 400, "invalid_multipart"),
                new Case(form(png, "labels", "a,b,c,d,e,f,g,h,i"), 400, "too_many_labels"),
                new Case(form(png, "labels", "cat,cat"), 400, "duplicate_label"),
                new Case(form(png, "labels", "cat", "colour", "red"), 400, "unknown_parameter"),
                new Case(form(png, "labels", "cat", "hypothesis_template", "a photo"), 400, "invalid_value"));
        for (Case c : cases) {
            Http.Answer a = upload(c.form());
            assertEquals(c.status(), a.status(), c.code() + ": " + a);
            assertEquals(c.code(), a.json().get("error").get("code").asText(), a.toString());
        }
        Http.Answer b64 = Http.post(base, "/zero-shot", Http.json(Map.of("image", "not base64!", "labels", List.of("cat"))));
        assertEquals(400, b64.status(), b64.toString());
        assertEquals("invalid_base64", b64.json().get("error").get("code").asText());
        Http.Answer text = Http.send(HttpRequest.newBuilder(base.resolve("/zero-shot")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("cat")).build());
        assertEquals(415, text.status(), text.toString());
        Http.Answer noBoundary = Http.send(HttpRequest.newBuilder(base.resolve("/zero-shot")).header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals(400, noBoundary.status(), noBoundary.toString());
        assertEquals(200, Http.get(base, "/health").status(), "the server is still up");
    }

    /** A one-colour PNG: large in pixels, small in bytes. */
    static byte[] plainPng(int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
