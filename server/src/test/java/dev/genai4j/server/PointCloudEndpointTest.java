package dev.genai4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.models.clip.ImageFiles;
import dev.genai4j.models.diffusion.DefaultDiffusionModel;
import dev.genai4j.models.diffusion.DiffusionPipeline;
import dev.genai4j.models.pointe.TextToPointCloud;
import dev.genai4j.models.pointe.train.PointEGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code POST /point-cloud} with the tiny random-weight Point-E model of {@link TestModels}: clouds from an
 * image are the generator's own (called directly), the same seed gives the same cloud and another seed
 * another; a prompt's cloud is {@link TextToPointCloud}'s (drawn by the shipped diffusion model, with its
 * warnings and how the prompt was read); {@code points} subsets; {@code ?format=ply} is
 * the same cloud as a PLY file; without a Point-E model the answer is 503 saying how to start with one.
 */
class PointCloudEndpointTest {
    /** Same seed, same cloud up to the JIT's 1-ulp Math.exp swaps (see PointETrainerTest). */
    static final float TOL = 1e-4f;
    static URI base;
    static byte[] png;
    static String image;

    @BeforeAll
    static void start() throws Exception {
        base = SharedServer.uri();
        png = ZeroShotEndpointTest.noisePng(48, 40, 11);
        image = Base64.getEncoder().encodeToString(png);
    }

    static Http.Answer cloud(Map<String, Object> body) { return Http.post(base, "/point-cloud", Http.json(body)); }

    /** The answer's points as a cloud, checking the shape of each row. */
    static PointCloud points(Http.Answer a) {
        assertEquals(200, a.status(), a.toString());
        JsonNode pts = a.json().get("points");
        assertEquals(pts.size(), a.json().get("count").asInt());
        float[] xyz = new float[3 * pts.size()], rgb = new float[3 * pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            JsonNode p = pts.get(i);
            assertEquals(6, p.size(), p.toString());
            for (int k = 0; k < 3; k++) {
                xyz[3 * i + k] = p.get(k).floatValue();
                rgb[3 * i + k] = p.get(3 + k).floatValue();
                assertTrue(Float.isFinite(xyz[3 * i + k]), p.toString());
                assertTrue(rgb[3 * i + k] >= 0 && rgb[3 * i + k] <= 1, "colours in [0, 1]: " + p);
            }
        }
        return new PointCloud(xyz, rgb);
    }

    static double maxMove(PointCloud a, PointCloud b) {
        double m = 0;
        for (int i = 0; i < a.xyz().length; i++) m = Math.max(m, Math.abs(a.xyz()[i] - b.xyz()[i]));
        return m;
    }

    @Test
    void anImagesCloudIsTheGeneratorsSameForASeedOtherForAnother() {
        Http.Answer a = cloud(Map.of("image", image, "seed", 5, "guidance", 3));
        PointCloud got = points(a);
        assertEquals(TestModels.POINTE_POINTS, got.size());
        assertEquals("pointe-tiny", a.json().get("model").asText());
        assertEquals(0, a.json().get("warnings").size(), a.body());
        assertFalse(a.json().has("conditioning_image"), "nothing was drawn");

        PointCloud want;
        try (PointCloudModel m = PointCloudModel.load("direct", TestModels.pointe(), null)) {
            want = m.fromImage(ImageFiles.read(png, "noise.png", 1_000_000), 3f, 5);
        }
        assertArrayEquals(want.xyz(), got.xyz(), TOL);
        assertArrayEquals(want.rgb(), got.rgb(), TOL);
        assertArrayEquals(got.xyz(), points(cloud(Map.of("image", image, "seed", 5, "guidance", 3))).xyz(), TOL, "same seed, same cloud");
        assertTrue(maxMove(got, points(cloud(Map.of("image", image, "seed", 6, "guidance", 3)))) > 0.01, "another seed, another cloud");

        // fewer points: a seeded subset of the same cloud, in its order, with a warning
        Http.Answer few = cloud(Map.of("image", image, "seed", 5, "guidance", 3, "points", 16));
        PointCloud sub = points(few);
        assertEquals(16, sub.size());
        assertTrue(few.json().get("warnings").get(0).asText().contains("16 of them"), few.body());
        int last = -1;
        for (int i = 0; i < 16; i++) {
            int found = -1;
            for (int j = last + 1; j < got.size() && found < 0; j++) {
                if (Math.abs(got.x(j) - sub.x(i)) <= TOL && Math.abs(got.y(j) - sub.y(i)) <= TOL && Math.abs(got.z(j) - sub.z(i)) <= TOL) found = j;
            }
            assertTrue(found > last, "point " + i + " of the subset is a point of the full cloud, in order");
            last = found;
        }
        for (int bad : new int[]{TestModels.POINTE_POINTS + 1, 10}) {
            Http.Answer a2 = cloud(Map.of("image", image, "points", bad));
            assertEquals(400, a2.status(), a2.toString());
            assertTrue(a2.json().get("error").get("message").asText().contains("must be " + TestModels.POINTE_POINTS + " (the model's n_ctx"), a2.body());
        }
    }

    @Test
    void aPromptGoesThroughTextToPointCloudAndThePlyIsTheSameCloud() throws Exception {
        Http.Answer a = cloud(Map.of("prompt", "a small red cube", "seed", 2, "steps", 5, "guidance", 3));
        PointCloud got = points(a);
        assertEquals(TestModels.POINTE_POINTS, got.size());
        String warnings = a.json().get("warnings").toString();
        assertTrue(warnings.contains("the shipped Fashion-MNIST model") && warnings.contains("--pointe-images"), "no shape drawer was named: " + warnings);
        assertTrue(warnings.contains("grey"), "TextToPointCloud's own warnings are passed on: " + warnings);
        assertEquals("a small red cube", a.json().get("caption").asText(), "a caption made of known words reads back as itself");
        BufferedImage drawn = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(a.json().get("conditioning_image").asText())));
        assertEquals(32, drawn.getWidth());
        assertEquals(32, drawn.getHeight());
        // the server's cloud is TextToPointCloud's, called directly with the same models and options
        try (TextToPointCloud direct = TextToPointCloud.of(DiffusionPipeline.load(DefaultDiffusionModel.folder()), PointEGenerator.load(TestModels.pointe(), null))) {
            PointCloud want = direct.generate("a small red cube", new TextToPointCloud.Options(2, 3f, 5, 3f, 0)).cloud();
            assertArrayEquals(want.xyz(), got.xyz(), TOL);
            assertArrayEquals(want.rgb(), got.rgb(), TOL);
        }
        Http.Answer unknown = cloud(Map.of("prompt", "a shiny dodecahedron", "seed", 2, "steps", 2));
        assertEquals(200, unknown.status(), unknown.toString());
        assertTrue(unknown.json().get("warnings").toString().contains("unknown words: shiny, dodecahedron"), unknown.body());

        HttpResponse<byte[]> ply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/point-cloud?format=ply"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.json(Map.of("image", image, "seed", 5, "guidance", 3)))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, ply.statusCode());
        assertEquals(PointCloudEndpoint.PLY_TYPE, ply.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(ply.headers().firstValue("Content-Disposition").orElseThrow().contains("point-cloud.ply"));
        assertTrue(new String(ply.body(), 0, 40, StandardCharsets.US_ASCII).startsWith("ply\nformat binary_little_endian 1.0\n"));
        PointCloud fromPly = PlyFile.parse(ply.body(), "answer.ply");
        PointCloud json = points(cloud(Map.of("image", image, "seed", 5, "guidance", 3)));
        assertArrayEquals(json.xyz(), fromPly.xyz(), TOL);
        for (int i = 0; i < json.rgb().length; i++) assertEquals(json.rgb()[i], fromPly.rgb()[i], 0.5f / 255 + TOL, "colour " + i + " as a byte");

        Http.Answer ignored = cloud(Map.of("image", image, "seed", 5, "steps", 5));
        assertTrue(ignored.json().get("warnings").get(0).asText().contains("'steps' is for drawing a prompt"), ignored.body());
        Http.Answer steps = cloud(Map.of("prompt", "a bag", "steps", 1001));
        assertEquals(400, steps.status(), steps.toString());
        assertTrue(steps.json().get("error").get("message").asText().contains("between 1 and 1000"), steps.body());

        Http.Answer bad = Http.post(base, "/point-cloud?format=obj", Http.json(Map.of("image", image)));
        assertEquals(400, bad.status(), bad.toString());
        assertEquals("format", bad.json().get("error").get("param").asText());
    }

    @Test
    void listedAsAModelAndWithoutOneTheAnswerIs503SayingHowToStartWithOne() {
        Http.Answer models = Http.get(base, "/info");
        boolean listed = false;
        for (JsonNode m : models.json().get("models")) listed |= m.get("id").asText().equals("pointe-tiny") && m.get("task").asText().equals("text-to-point-cloud");
        assertTrue(listed, models.body());
        assertTrue(Http.get(base, "/metrics").body().contains("genai4j_point_clouds_total"), "counted in the metrics");

        try (Genai4jServer bare = Genai4jServer.start(ServerConfig.builder().port(0).build(), List.of())) {
            for (Map<String, Object> body : List.of(Map.<String, Object>of("prompt", "a bag"), Map.<String, Object>of("image", image))) {
                Http.Answer a = Http.post(bare.uri(), "/point-cloud", Http.json(body));
                assertEquals(503, a.status(), a.toString());
                assertNull(a.header("Retry-After"), "waiting will not bring a model");
                assertEquals("model_not_configured", a.json().get("error").get("code").asText());
                assertTrue(a.json().get("error").get("message").asText().contains("genai4j serve --pointe DIR"), a.body());
            }
            Http.Answer malformed = Http.post(bare.uri(), "/point-cloud", Http.json(Map.of("prompt", "a bag", "image", image)));
            assertEquals(400, malformed.status(), "a malformed request is still a 400: " + malformed);
            assertEquals(0, bare.context().work().depth(), "no slot leaked");
        }
    }
}
