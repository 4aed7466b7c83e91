package dev.genai4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.models.diffusion.DefaultDiffusionModel;
import dev.genai4j.models.diffusion.DiffusionPipeline;
import dev.genai4j.models.diffusion.SampleImages;
import dev.genai4j.models.diffusion.SamplerOptions;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code POST /v1/images/generations} on the shipped Fashion-MNIST diffusion model: the PNGs decode
 * to 32×32 grey images, a fixed seed gives the same bytes again and the same pixels as the pipeline
 * called directly, another seed other images; the model is listed. Few sampling steps keep it fast.
 */
class ImageGenerationEndpointTest {
    static URI base;

    @BeforeAll
    static void start() { base = SharedServer.uri(); }

    static Http.Answer generate(Map<String, Object> body) { return Http.post(base, "/v1/images/generations", Http.json(body)); }

    static List<BufferedImage> images(Http.Answer a) throws IOException {
        assertEquals(200, a.status(), a.toString());
        assertEquals("application/json", a.header("Content-Type"));
        JsonNode data = a.json().get("data");
        List<BufferedImage> out = new ArrayList<>();
        for (JsonNode d : data) {
            byte[] png = Base64.getDecoder().decode(d.get("b64_json").asText());
            assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4), "a PNG");
            out.add(ImageIO.read(new ByteArrayInputStream(png)));
        }
        return out;
    }

    static int[] pixels(BufferedImage img) { return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth()); }

    /**
     * Largest difference of one grey level between two images. The same seed is compared with a tolerance of
     * one level, not bit for bit: the JIT may swap Math.exp for an intrinsic that differs by 1 ulp between
     * runs (see PointETrainerTest), which can move a pixel across a rounding edge.
     */
    static int maxDiff(BufferedImage a, BufferedImage b) {
        int[] x = pixels(a), y = pixels(b);
        assertEquals(x.length, y.length);
        int m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs((x[i] & 255) - (y[i] & 255)));
        return m;
    }

    static double meanDiff(BufferedImage a, BufferedImage b) {
        int[] x = pixels(a), y = pixels(b);
        double s = 0;
        for (int i = 0; i < x.length; i++) s += Math.abs((x[i] & 255) - (y[i] & 255));
        return s / x.length;
    }

    @Test
    void twoPngsOfTheModelsSizeSameForTheSameSeedAndAsThePipelineMakesThem() throws IOException {
        Map<String, Object> req = Map.of("prompt", "a photo of a sneaker", "n", 2, "size", "32x32", "seed", 7, "steps", 4, "guidance", 3);
        long t0 = System.currentTimeMillis() / 1000;
        Http.Answer a = generate(req);
        List<BufferedImage> imgs = images(a);
        assertEquals(2, imgs.size());
        assertTrue(a.json().get("created").asLong() >= t0 - 1, a.body());
        for (BufferedImage img : imgs) {
            assertEquals(32, img.getWidth());
            assertEquals(32, img.getHeight());
            int[] px = pixels(img);
            for (int p : px) {
                int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
                assertTrue(r == g && g == b, "Fashion-MNIST images are grey: " + Integer.toHexString(p));
            }
            assertTrue(Arrays.stream(px).distinct().count() > 8, "an image, not a flat fill");
        }
        assertTrue(meanDiff(imgs.get(0), imgs.get(1)) > 5, "two samples, two images");

        List<BufferedImage> again = images(generate(req));
        for (int i = 0; i < 2; i++) assertTrue(maxDiff(imgs.get(i), again.get(i)) <= 1, "same seed and options: the same image " + i);
        List<BufferedImage> other = images(generate(Map.of("prompt", "a photo of a sneaker", "n", 2, "seed", 8, "steps", 4)));
        assertTrue(meanDiff(imgs.get(0), other.get(0)) > 5, "another seed, another image");

        // the server's pixels are the pipeline's, called directly with the same options
        try (DiffusionPipeline p = DiffusionPipeline.load(DefaultDiffusionModel.folder())) {
            Tensor x = p.generate("a photo of a sneaker", 2, SamplerOptions.ddim(4, ImageGenerationEndpoint.DEFAULT_ETA, 3f), 7, 2);
            for (int i = 0; i < 2; i++) assertTrue(maxDiff(SampleImages.toImage(x, i, 1), imgs.get(i)) <= 1, "image " + i);
            // "eta": 0 asks for deterministic DDIM
            BufferedImage det = images(generate(Map.of("prompt", "a photo of a sneaker", "seed", 7, "steps", 4, "eta", 0))).getFirst();
            Tensor x0 = p.generate("a photo of a sneaker", 1, SamplerOptions.ddim(4, 0f, 3f), 7, 1);
            assertTrue(maxDiff(SampleImages.toImage(x0, 0, 1), det) <= 1, "eta 0");
        }
    }

    @Test
    void defaultsDdpmAndTheModelIsListed() throws IOException {
        Http.Answer one = generate(Map.of("prompt", "a photo of a bag", "steps", 3, "sampler", "ddpm", "seed", 1, "response_format", "b64_json",
                "model", ModelCatalog.DEFAULT_DIFFUSION_ID, "user", "test"));
        List<BufferedImage> first = images(one);
        assertEquals(1, first.size(), "n defaults to 1");
        BufferedImage second = images(generate(Map.of("prompt", "a photo of a bag", "steps", 3, "sampler", "ddpm", "seed", 1))).getFirst();
        assertTrue(maxDiff(first.getFirst(), second) <= 1, "DDPM's noise comes from the seed too");

        Http.Answer models = Http.get(base, "/v1/models");
        assertTrue(models.json().get("data").findValuesAsText("id").contains(ModelCatalog.DEFAULT_DIFFUSION_ID), models.body());
        Http.Answer info = Http.get(base, "/info");
        boolean listed = false;
        for (JsonNode m : info.json().get("models")) {
            if (m.get("id").asText().equals(ModelCatalog.DEFAULT_DIFFUSION_ID)) {
                listed = true;
                assertEquals("text-to-image", m.get("task").asText());
                assertTrue(m.get("loaded").asBoolean(), "loaded by the requests above");
            }
        }
        assertTrue(listed, info.body());
        assertEquals(SharedServer.LIMITS.maxGeneratedImages(), info.json().get("limits").get("max_generated_images").asInt());
        assertTrue(info.json().get("routes").toString().contains("POST /v1/images/generations"), info.body());
        assertTrue(Http.get(base, "/metrics").body().contains("genai4j_generated_images_total"), "counted in the metrics");
    }

    @Test
    void optionsTheModelCannotHonourAre400sNamingWhatItCan() {
        Http.Answer size = generate(Map.of("prompt", "a coat", "size", "256x256", "steps", 1));
        assertEquals(400, size.status(), size.toString());
        assertEquals("size", size.json().get("error").get("param").asText());
        assertTrue(size.json().get("error").get("message").asText().contains("\"32x32\""), size.body());

        Http.Answer url = generate(Map.of("prompt", "a coat", "response_format", "url"));
        assertEquals(400, url.status(), url.toString());
        assertTrue(url.json().get("error").get("message").asText().contains("b64_json"), url.body());

        Http.Answer steps = generate(Map.of("prompt", "a coat", "steps", 1001));
        assertEquals(400, steps.status(), steps.toString());
        assertTrue(steps.json().get("error").get("message").asText().contains("between 1 and 1000"), steps.body());

        Http.Answer eta = generate(Map.of("prompt", "a coat", "eta", 2));
        assertEquals(400, eta.status(), eta.toString());
        assertEquals("eta", eta.json().get("error").get("param").asText());
        Http.Answer ddpmEta = generate(Map.of("prompt", "a coat", "sampler", "ddpm", "eta", 0));
        assertEquals(400, ddpmEta.status(), ddpmEta.toString());
        assertTrue(ddpmEta.json().get("error").get("message").asText().contains("\"ddim\" sampler only"), ddpmEta.body());

        Http.Answer n = generate(Map.of("prompt", "a coat", "n", SharedServer.LIMITS.maxGeneratedImages() + 1));
        assertEquals(400, n.status(), n.toString());
        assertEquals("n", n.json().get("error").get("param").asText());

        Http.Answer model = generate(Map.of("prompt", "a coat", "model", "dall-e-3"));
        assertEquals(404, model.status(), model.toString());
        assertTrue(model.json().get("error").get("message").asText().contains(ModelCatalog.DEFAULT_DIFFUSION_ID), model.body());
    }
}
