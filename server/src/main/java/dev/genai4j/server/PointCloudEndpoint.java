package dev.genai4j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.data.shapes.CaptionParser;
import dev.genai4j.data.shapes.CaptionWriter;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.models.pointe.TextToPointCloud;
import dev.genai4j.tensor.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /point-cloud}: a coloured point cloud from a text prompt or an image with the served
 * Point-E base model ({@code genai4j serve --pointe DIR}; none is shipped, so without one the answer
 * is 503 {@code model_not_configured} saying how to start the server with one).
 *
 * <p>{@code {"prompt" | "image", "seed"?, "guidance"?, "points"?, "steps"?}}: {@code image} is base64 or a
 * {@code data:} URL (PNG, JPEG, GIF, BMP; the same byte and pixel limits as {@code /zero-shot}) and
 * becomes a cloud directly; {@code prompt} goes through {@link TextToPointCloud}: drawn as an image by
 * the text-to-image model of {@code --pointe-images DIR} (else the server's {@code --diffusion} model;
 * {@code steps} DDIM steps, default {@value #DRAW_STEPS}; guidance {@value #DRAW_GUIDANCE}; the same
 * seed), then made into a cloud. {@code guidance} is Point-E's classifier-free guidance (default
 * {@value #DEFAULT_GUIDANCE}); {@code points} is the model's n_ctx (the default) or a count dividing it
 * (a seeded random subset).
 *
 * <p>→ {@code {"model", "points": [[x, y, z, r, g, b], …], "count", "warnings": [...], "caption"?, "conditioning_image"?}}
 * with colours in [0, 1]; for a prompt, {@code caption} is the prompt as the shape captions say it (what
 * the models could read from it), {@code warnings} name the words they could not, and
 * {@code conditioning_image} is the drawn image as a base64 PNG. With {@code ?format=ply}
 * the same cloud as a binary little-endian PLY file (float x, y, z; uchar red, green, blue).
 *
 * <pre>{@code
 * curl -s 'localhost:8080/point-cloud?format=ply' -H 'Content-Type: application/json' \
 *      -d '{"prompt": "a red cube on top of a blue sphere", "seed": 1}' -o cubes.ply
 * }</pre>
 */
final class PointCloudEndpoint implements ServerExtension {
    static final double DEFAULT_GUIDANCE = 3.0;
    static final int DRAW_STEPS = dev.genai4j.models.diffusion.SamplerOptions.RECOMMENDED_STEPS;
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
            if (made.caption() != null) out.put("caption", made.caption());
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

    /** The cloud, for a prompt the PNG it was made from and how the prompt was read. */
    private record Made(PointCloud cloud, byte[] drawn, String caption) {}

    private static Made make(ServerContext c, Request req, RgbImage given, List<String> warnings) {
        // the model's checks before anything is drawn: 503 without a model, 400 for a point count it cannot give
        int n = c.models().withPointE(PointCloudModel::points);
        int points = points(req.points(), n);
        if (points < n) warnings.add("the model makes " + n + " points; " + points + " of them, chosen at random with the seed, are returned");
        if (given != null) {
            if (req.steps() != null) warnings.add("'steps' is for drawing a prompt; with an image it was not used");
            PointCloud cloud = c.models().withPointE(m -> ModelCalls.run(ModelCatalog.TEXT_TO_POINT_CLOUD, () -> m.fromImage(given, req.guidance(), req.seed())));
            if (points < cloud.size()) cloud = subset(cloud, points, req.seed());
            return new Made(cloud, null, null);
        }
        TextToPointCloud.Result r = c.models().withPointE(m -> {
            int limit = m.drawingStepsLimit();
            if (req.steps() != null && req.steps() > limit) {
                throw ApiException.badRequest("steps", "out_of_range", "'steps' must be between 1 and " + limit
                        + " (the text-to-image model's schedule length), got " + req.steps());
            }
            PointCloudModel.Drawer d = m.drawer();
            if (d.shippedFashionMnist()) {
                warnings.add("the prompt was drawn by '" + d.id() + "', the shipped Fashion-MNIST model (clothes, not the shape renders Point-E "
                        + "learns from); start the server with --pointe-images DIR, a 'genai4j train diffusion --data <shapes>' checkpoint");
            }
            var o = new TextToPointCloud.Options(req.seed(), (float) DRAW_GUIDANCE, req.steps() != null ? req.steps() : DRAW_STEPS, req.guidance(), points);
            return ModelCalls.run(ModelCatalog.TEXT_TO_POINT_CLOUD, () -> m.fromText(req.prompt(), o));
        });
        warnings.addAll(r.warnings());
        return new Made(r.cloud(), png(r.image()), caption(req.prompt()));
    }

    /**
     * The requested count checked as {@link TextToPointCloud#resolvePoints} does for prompts, so both inputs
     * agree: the model's n_ctx (the default) or a count that divides it.
     */
    static int points(Integer requested, int n) {
        if (requested == null) return n;
        if (requested > n || n % requested != 0) {
            throw ApiException.badRequest("points", "out_of_range", "'points' must be " + n + " (the model's n_ctx: it makes that many points "
                    + "and there is no trained upsampler) or a count that divides it, such as " + n / 2 + " or " + n / 4 + "; got " + requested);
        }
        return requested;
    }

    /**
     * The prompt as the shape captions say it (what the models were taught to read from it), in
     * the captions' first template ("a small red cube next to a blue cone"), so that a caption
     * made of known words reads back as itself.
     */
    static String caption(String prompt) {
        var scene = CaptionParser.parse(prompt).scene();
        var specs = scene.specs();
        String first = CaptionWriter.nounPhrase(specs.get(0), 0, false);
        if (specs.size() == 1) return first;
        return first + " " + scene.relation().phrase() + " " + CaptionWriter.nounPhrase(specs.get(1), 0, false);
    }

    static byte[] png(RgbImage img) {
        java.awt.image.BufferedImage b = new java.awt.image.BufferedImage(img.width(), img.height(), java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) b.setRGB(x, y, (img.get(x, y, 0) << 16) | (img.get(x, y, 1) << 8) | img.get(x, y, 2));
        }
        var out = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(b, "png", out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("encoding a PNG in memory failed", e);
        }
        return out.toByteArray();
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
