package dev.genai4j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.models.diffusion.DiffusionPipeline;
import dev.genai4j.models.diffusion.SamplerOptions;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /point-cloud}: a coloured point cloud from a text prompt or an image with the served
 * Point-E base model ({@code genai4j serve --pointe DIR}; none is shipped, so without one the answer
 * is 503 {@code model_not_configured} saying how to start the server with one).
 *
 * <p>{@code {"prompt" | "image", "seed"?, "guidance"?, "points"?, "steps"?}}: {@code image} is base64 or a
 * {@code data:} URL (PNG, JPEG, GIF, BMP; the same byte and pixel limits as {@code /zero-shot});
 * {@code prompt} is first drawn as an image by the server's text-to-image model ({@code steps} DDIM
 * steps, default {@value #DRAW_STEPS}; guidance {@value #DRAW_GUIDANCE}; the same seed) and the cloud
 * is made from that image.
 * {@code guidance} is Point-E's classifier-free guidance (default {@value #DEFAULT_GUIDANCE});
 * {@code points} at most the model's n_ctx (its default), fewer being a seeded random subset.
 *
 * <p>→ {@code {"model", "points": [[x, y, z, r, g, b], …], "count", "warnings": [...], "conditioning_image"?}}
 * with colours in [0, 1] and, for a prompt, the drawn image as a base64 PNG; with {@code ?format=ply}
 * the same cloud as a binary little-endian PLY file (float x, y, z; uchar red, green, blue).
 *
 * <pre>{@code
 * curl -s 'localhost:8080/point-cloud?format=ply' -H 'Content-Type: application/json' \
 *      -d '{"prompt": "a photo of a bag", "seed": 1}' -o bag.ply
 * }</pre>
 */
final class PointCloudEndpoint implements ServerExtension {
    static final double DEFAULT_GUIDANCE = 3.0;
    static final int DRAW_STEPS = 50;
    static final double DRAW_GUIDANCE = 3.0;
    /**
     * PLY has no registered media type; octet-stream is what a browser and curl treat as a file to save
     * (with the Content-Disposition name).
     */
    static final String PLY_TYPE = "application/octet-stream";
    private static final Set<String> FIELDS = Set.of("prompt", "image", "seed", "guidance", "points", "steps");
    /** Room for the other fields around the base64 image. */
    private static final int JSON_OVERHEAD = 64 << 10;

    record Request(String prompt, byte[] image, long seed, float guidance, Integer points, Integer steps) {}

    @Override
    public void register(Routes r, ServerContext c) {
        java.util.concurrent.atomic.LongAdder clouds = c.metrics().counter("genai4j_point_clouds_total", "Point clouds made by /point-cloud.");
        r.post("/point-cloud", ctx -> {
            String format = ctx.queryParam("format");
            boolean ply = format != null && format.equalsIgnoreCase("ply");
            if (format != null && !ply && !format.equalsIgnoreCase("json")) {
                throw ApiException.badRequest("format", "invalid_value", "'format' must be json (the default) or ply, got '" + RequestJson.clip(format, 40) + "'");
            }
            Limits l = c.limits();
            ObjectNode body = c.json().read(ctx, (int) Math.min(Integer.MAX_VALUE - 8, 4L * ((l.maxImageBytes() + 2) / 3) + JSON_OVERHEAD));
            Request req = parse(body, l);
            RgbImage given = req.image() == null ? null : ZeroShotEndpoint.decode(req.image(), l);
            List<String> warnings = new ArrayList<>();
            Made made;
            try (WorkQueue.Slot slot = c.work().admit()) {
                made = make(c, req, given, warnings);
            }
            PointCloud cloud = made.cloud();
            clouds.increment();
            if (ply) {
                ctx.header("Content-Disposition", "attachment; filename=\"point-cloud.ply\"");
                ctx.status(200).contentType(PLY_TYPE).result(PlyFile.toBytes(cloud, PlyFile.Format.BINARY_LITTLE_ENDIAN));
                return;
            }
            ObjectNode out = RequestJson.MAPPER.createObjectNode();
            out.put("model", c.models().pointeId());
            ArrayNode points = out.putArray("points");
            float[] xyz = cloud.xyz(), rgb = cloud.rgb();
            for (int i = 0; i < cloud.size(); i++) {
                points.addArray().add(xyz[3 * i]).add(xyz[3 * i + 1]).add(xyz[3 * i + 2]).add(rgb[3 * i]).add(rgb[3 * i + 1]).add(rgb[3 * i + 2]);
            }
            out.put("count", cloud.size());
            ArrayNode ws = out.putArray("warnings");
            warnings.forEach(ws::add);
            if (made.drawn() != null) out.put("conditioning_image", java.util.Base64.getEncoder().encodeToString(made.drawn()));
            Responses.json(ctx, out);
        });
    }

    static Request parse(ObjectNode body, Limits l) {
        Fields.allowOnly(body, FIELDS);
        boolean hasPrompt = Fields.has(body, "prompt"), hasImage = Fields.has(body, "image");
        if (hasPrompt == hasImage) {
            throw ApiException.badRequest(hasPrompt ? "image" : "prompt", hasPrompt ? "conflicting_parameters" : "missing_parameter",
                    "send exactly one of 'prompt' (text) and 'image' (base64 or a data: URL)" + (hasPrompt ? ", not both" : ""));
        }
        String prompt = hasPrompt ? Fields.text(body, "prompt", l) : null;
        byte[] image = null;
        if (hasImage) {
            String b64 = Fields.optionalString(body, "image", Integer.MAX_VALUE);
            if (b64.isBlank()) throw ApiException.badRequest("image", "invalid_image", "'image' is empty; send the image file as base64 or a data: URL");
            image = ZeroShotEndpoint.base64(b64, l);
        }
        long seed = Fields.seed(body, "seed", ThreadLocalRandom.current().nextLong());
        float guidance = (float) Fields.number(body, "guidance", DEFAULT_GUIDANCE, 0, ImageGenerationEndpoint.MAX_GUIDANCE);
        Integer points = Fields.has(body, "points") ? Fields.integer(body, "points", 0, 1, Integer.MAX_VALUE) : null;
        Integer steps = Fields.has(body, "steps") ? Fields.integer(body, "steps", 0, 1, Integer.MAX_VALUE) : null;
        return new Request(prompt, image, seed, guidance, points, steps);
    }

    /** The cloud, and for a prompt the PNG it was made from. */
    private record Made(PointCloud cloud, byte[] drawn) {}

    private static Made make(ServerContext c, Request req, RgbImage given, List<String> warnings) {
        // the model's checks before anything is drawn: 503 without a model, 400 for more points than it makes
        int n = c.models().withPointE(PointCloudModel::points);
        if (req.points() != null && req.points() > n) {
            throw ApiException.badRequest("points", "out_of_range", "'points' must be between 1 and " + n
                    + " (the model's n_ctx: every cloud it makes has that many points), got " + req.points());
        }
        RgbImage image = given;
        byte[] drawn = null;
        if (image != null && req.steps() != null) warnings.add("'steps' is for drawing a prompt; with an image it was not used");
        if (image == null) {
            String drawer = c.models().diffusionId();
            Tensor x = c.models().withDiffusion(p -> ModelCalls.run(ModelCatalog.TEXT_TO_IMAGE, () -> draw(p, req)));   // [1, C, S, S]
            image = rgb(x);
            drawn = ImageGenerationEndpoint.png(x, 0);
            warnings.add(String.format(Locale.ROOT, "the prompt was drawn as a %d×%d image by '%s' (%d DDIM steps, guidance %.1f, the same seed) "
                    + "and the cloud made from that image", image.width(), image.height(), drawer, drawSteps(req), DRAW_GUIDANCE));
        }
        RgbImage img = image;
        PointCloud cloud = c.models().withPointE(m -> ModelCalls.run(ModelCatalog.TEXT_TO_POINT_CLOUD, () -> m.fromImage(img, req.guidance(), req.seed())));
        if (req.points() != null && req.points() < cloud.size()) {
            warnings.add("the model makes " + cloud.size() + " points; " + req.points() + " of them, chosen at random with the seed, are returned");
            cloud = subset(cloud, req.points(), req.seed());
        }
        return new Made(cloud, drawn);
    }

    private static int drawSteps(Request req) { return req.steps() != null ? req.steps() : DRAW_STEPS; }

    private static Tensor draw(DiffusionPipeline p, Request req) {
        int length = p.schedule().length();
        if (req.steps() != null && req.steps() > length) {
            throw ApiException.badRequest("steps", "out_of_range", "'steps' must be between 1 and " + length
                    + " (the text-to-image model's schedule length), got " + req.steps());
        }
        return p.generate(req.prompt(), 1, SamplerOptions.ddim(Math.min(drawSteps(req), length), 0f, (float) DRAW_GUIDANCE), req.seed(), 1);
    }

    /** Image 0 of x [B, 1|3, H, W] in [−1, 1] as 8-bit RGB (grey replicated). */
    static RgbImage rgb(Tensor x) {
        int ch = x.size(1), h = x.size(2), w = x.size(3);
        float[] d = x.narrow(0, 0, 1).contiguous().toFloatArray();
        byte[] out = new byte[h * w * 3];
        for (int i = 0; i < h * w; i++) {
            for (int k = 0; k < 3; k++) {
                float v = d[(ch == 3 ? k : 0) * h * w + i];
                out[i * 3 + k] = (byte) Math.max(0, Math.min(255, Math.round((v + 1f) * 0.5f * 255f)));
            }
        }
        return new RgbImage(w, h, out);
    }

    /** {@code n} distinct points of {@code cloud}, picked by a seeded partial Fisher–Yates shuffle, in their original order. */
    static PointCloud subset(PointCloud cloud, int n, long seed) {
        int total = cloud.size();
        int[] idx = new int[total];
        for (int i = 0; i < total; i++) idx[i] = i;
        Rng rng = new Rng(seed);
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(total - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] keep = java.util.Arrays.copyOf(idx, n);
        java.util.Arrays.sort(keep);
        float[] xyz = new float[3 * n], rgb = new float[3 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(cloud.xyz(), 3 * keep[i], xyz, 3 * i, 3);
            System.arraycopy(cloud.rgb(), 3 * keep[i], rgb, 3 * i, 3);
        }
        return new PointCloud(xyz, rgb);
    }
}
