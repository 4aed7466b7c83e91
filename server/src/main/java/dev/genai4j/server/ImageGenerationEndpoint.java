package dev.genai4j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.diffusion.DiffusionPipeline;
import dev.genai4j.models.diffusion.SampleImages;
import dev.genai4j.models.diffusion.SamplerOptions;
import dev.genai4j.tensor.Tensor;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * OpenAI's {@code POST /v1/images/generations} on the served text-to-image diffusion model (the
 * shipped Fashion-MNIST model unless {@code genai4j serve --diffusion DIR} names another):
 * {@code {"prompt", "n"?, "size"?, "response_format"?, "seed"?, "steps"?, "guidance"?, "sampler"?, "model"?, "user"?}}
 * → {@code {"created", "data": [{"b64_json": "<PNG>"}, …]}}.
 *
 * <ul>
 * <li>{@code n}: images, 1 (default) to {@link Limits#maxGeneratedImages()};</li>
 * <li>{@code size}: only the model's own, {@code "32x32"} for the shipped model (the default); any other is a 400 naming it;</li>
 * <li>{@code response_format}: {@code "b64_json"} (default); {@code "url"} is a 400, as nothing is stored to link to;</li>
 * <li>{@code seed}: any 64-bit integer; the same seed and options give the same images (random when absent);</li>
 * <li>{@code steps}: sampling steps, 1 to the model's schedule length (default {@value #DEFAULT_STEPS});</li>
 * <li>{@code guidance}: classifier-free guidance weight ≥ 0 (1 = none; default {@value #DEFAULT_GUIDANCE});</li>
 * <li>{@code sampler}: {@code "ddim"} (default) or {@code "ddpm"};</li>
 * <li>{@code eta}: DDIM's η, 0 (deterministic) to 1 (default {@value #DEFAULT_ETA}: the shipped model draws best
 *     with stochastic DDIM); only with {@code "ddim"}.</li>
 * </ul>
 * The model runs one request at a time, holding a work-queue slot while it waits and runs.
 *
 * <pre>{@code
 * curl -s localhost:8080/v1/images/generations -H 'Content-Type: application/json' \
 *      -d '{"prompt": "a photo of a sneaker", "n": 2, "seed": 7}' | jq -r '.data[0].b64_json' | base64 -d > sneaker.png
 * }</pre>
 */
final class ImageGenerationEndpoint implements ServerExtension {
    static final int DEFAULT_STEPS = SamplerOptions.RECOMMENDED_STEPS;
    static final double DEFAULT_GUIDANCE = 3.0;
    static final float DEFAULT_ETA = SamplerOptions.RECOMMENDED_ETA;
    /** Far past any useful weight (the shipped model is sampled at 3), low enough that nothing overflows. */
    static final double MAX_GUIDANCE = 100.0;
    private static final Set<String> FIELDS = Set.of("prompt", "n", "size", "response_format", "seed", "steps", "guidance", "sampler", "eta", "model", "user");

    /** One request, checked as far as possible without the model. */
    record Request(String prompt, int n, String size, long seed, int steps, SamplerOptions.Kind sampler, float eta, float guidance, String model) {}

    @Override
    public void register(Routes r, ServerContext c) {
        LongAdder images = c.metrics().counter("genai4j_generated_images_total", "Images made by /v1/images/generations.");
        r.post("/v1/images/generations", ctx -> {
            Request req = parse(c.json().read(ctx), c.limits());
            String id = c.models().diffusionId();
            if (id != null && req.model() != null && !req.model().isBlank() && !req.model().equals(id)) {
                throw ApiException.notFound("model", "model_not_found", "model '" + RequestJson.clip(req.model(), 80)
                        + "' is not served here; this server makes images with '" + id + "'");
            }
            long created = System.currentTimeMillis() / 1000;
            List<byte[]> pngs;
            try (WorkQueue.Slot slot = c.work().admit()) {
                pngs = c.models().withDiffusion(p -> generate(p, req));
            }
            images.add(pngs.size());
            ObjectNode out = RequestJson.MAPPER.createObjectNode();
            out.put("created", created);
            ArrayNode data = out.putArray("data");
            for (byte[] png : pngs) data.addObject().put("b64_json", Base64.getEncoder().encodeToString(png));
            Responses.json(ctx, out);
        });
    }

    static Request parse(ObjectNode body, Limits l) {
        Fields.allowOnly(body, FIELDS);
        String prompt = Fields.text(body, "prompt", l);
        int n = Fields.integer(body, "n", 1, 1, l.maxGeneratedImages());
        String size = Fields.optionalString(body, "size", 40);
        String format = Fields.optionalString(body, "response_format", 40);
        if (format != null && !format.equals("b64_json")) {
            throw ApiException.badRequest("response_format", "unsupported_value", format.equals("url")
                    ? "'response_format' \"url\" is not served: this server keeps no images to link to; use \"b64_json\" (the default)"
                    : "'response_format' must be \"b64_json\", got '" + RequestJson.clip(format, 40) + "'");
        }
        long seed = Fields.seed(body, "seed", ThreadLocalRandom.current().nextLong());
        int steps = Fields.integer(body, "steps", DEFAULT_STEPS, 1, Integer.MAX_VALUE);
        float guidance = (float) Fields.number(body, "guidance", DEFAULT_GUIDANCE, 0, MAX_GUIDANCE);
        String sampler = Fields.choice(body, "sampler", "ddim", List.of("ddim", "ddpm"));
        if (sampler.equals("ddpm") && body.has("eta")) {
            throw ApiException.badRequest("eta", "unsupported_value", "'eta' applies to the \"ddim\" sampler only; \"ddpm\" always adds its full noise");
        }
        float eta = (float) Fields.number(body, "eta", sampler.equals("ddpm") ? 1.0 : DEFAULT_ETA, 0, 1);
        Fields.optionalString(body, "user", 256);
        String model = Fields.optionalString(body, "model", 256);
        return new Request(prompt, n, size, seed, steps, SamplerOptions.parseKind(sampler), eta, guidance, model);
    }

    /** Checks the options that depend on the model, then samples and encodes the images as PNGs. */
    private static List<byte[]> generate(DiffusionPipeline p, Request req) {
        int side = p.unet().config().sampleSize();
        String supported = side + "x" + side;
        if (req.size() != null && !req.size().toLowerCase(Locale.ROOT).equals(supported)) {
            throw ApiException.badRequest("size", "unsupported_size", "'size' must be \"" + supported + "\", the only size this model makes, got '"
                    + RequestJson.clip(req.size(), 40) + "'");
        }
        int length = p.schedule().length();
        if (req.steps() > length) {
            throw ApiException.badRequest("steps", "out_of_range", "'steps' must be between 1 and " + length
                    + " (the model's schedule length), got " + req.steps());
        }
        SamplerOptions o = new SamplerOptions(req.sampler(), req.steps(), req.eta(), req.guidance(), true);
        Tensor x = ModelCalls.run(ModelCatalog.TEXT_TO_IMAGE, () -> p.generate(req.prompt(), req.n(), o, req.seed(), req.n()));   // [n, C, S, S] in [−1, 1]
        List<byte[]> pngs = new ArrayList<>(req.n());
        for (int i = 0; i < req.n(); i++) pngs.add(png(x, i));
        return pngs;
    }

    /** Image {@code index} of [B, 1|3, S, S] in [−1, 1] as PNG bytes, one pixel per value. */
    static byte[] png(Tensor images, int index) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(SampleImages.toImage(images, index, 1), "png", bytes)) throw new IllegalStateException("no PNG writer in this JVM");
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a PNG in memory failed", e);
        }
        return bytes.toByteArray();
    }
}
