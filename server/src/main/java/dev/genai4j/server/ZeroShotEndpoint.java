package dev.genai4j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.clip.ImageFiles;
import dev.genai4j.models.clip.ImageReadException;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.models.clip.ZeroShotClassifier;
import io.javalin.http.Context;

import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /zero-shot}: zero-shot image classification with the served CLIP model
 * ({@code genai4j serve --clip DIR}), each label's text embedding the mean over OpenAI's prompt
 * templates ({@link ZeroShotClassifier#DEFAULT_TEMPLATES}) unless {@code hypothesis_template} names
 * one (with {@code {}} for the label).
 *
 * <p>Two request shapes:
 * <ul>
 * <li>{@code multipart/form-data}: an {@code image} file part and {@code labels}, either one part per
 *     label or a single comma-separated part; optional {@code hypothesis_template};</li>
 * <li>JSON: {@code {"image": "<base64 or data: URL>", "labels": ["cat", "dog"], "hypothesis_template"?}}.</li>
 * </ul>
 * → {@code {"model", "image": {"width", "height"}, "predictions": [{"label", "score", "logit"}, …]}},
 * most probable first; scores are a softmax over the labels.
 *
 * <p>The body is capped before it is read ({@link Limits#maxImageBytes()} plus room for the form or
 * the base64 expansion: 413 past it), the image's bytes again after decoding the form (413), and its
 * width × height from the header before any pixel is decoded ({@link Limits#maxImagePixels()}: 400
 * {@code image_too_large}). PNG, JPEG, GIF and BMP are read; anything else is 400 {@code invalid_image}.
 */
final class ZeroShotEndpoint implements ServerExtension {
    private static final Set<String> JSON_FIELDS = Set.of("image", "labels", "hypothesis_template");
    /** Room for the labels and headers around the image in a form or JSON body. */
    private static final int FORM_OVERHEAD = 64 << 10;

    @Override
    public void register(Routes r, ServerContext c) {
        r.post("/zero-shot", ctx -> {
            Request req = read(ctx, c);
            RgbImage image = decode(req.image(), c.limits());
            List<String> templates = req.template() == null ? ZeroShotClassifier.DEFAULT_TEMPLATES : List.of(req.template());
            try (WorkQueue.Slot slot = c.work().admit()) {
                List<ZeroShotClassifier.Prediction> ps = c.models().withClip(clip -> ModelCalls.run("zero-shot", () -> {
                    ZeroShotClassifier zs = ZeroShotClassifier.build(clip, req.labels(), templates);
                    return zs.classify(clip.embedImages(List.of(image))).getFirst();
                }));
                ObjectNode out = RequestJson.MAPPER.createObjectNode();
                out.put("model", c.models().clipId());
                out.putObject("image").put("width", image.width()).put("height", image.height());
                ArrayNode preds = out.putArray("predictions");
                for (ZeroShotClassifier.Prediction p : ps) preds.addObject().put("label", p.label()).put("score", p.probability()).put("logit", p.logit());
                Responses.json(ctx, out);
            }
        });
    }

    private record Request(byte[] image, List<String> labels, String template) {}

    private static Request read(Context ctx, ServerContext c) {
        Limits l = c.limits();
        String boundary = MultipartForm.boundary(ctx.contentType());
        if (boundary == null) {
            // not a form: JSON (RequestJson answers 415 for any other type)
            ObjectNode body = c.json().read(ctx, (int) Math.min(Integer.MAX_VALUE - 8, 4L * ((l.maxImageBytes() + 2) / 3) + 64 + FORM_OVERHEAD));
            Fields.allowOnly(body, JSON_FIELDS);
            String b64 = Fields.optionalString(body, "image", Integer.MAX_VALUE);
            if (b64 == null) throw ApiException.badRequest("image", "missing_parameter", "'image' is required: the image file as base64 or a data: URL");
            List<String> labels = NerEndpoint.labels(body.get("labels"), l);
            return new Request(base64(b64, l), labels, template(Fields.optionalString(body, "hypothesis_template", l.maxLabelChars() * 2)));
        }
        byte[] raw = c.json().readBytes(ctx, (int) Math.min(Integer.MAX_VALUE - 8, (long) l.maxImageBytes() + FORM_OVERHEAD));
        MultipartForm form = MultipartForm.parse(raw, boundary);
        for (MultipartForm.Part p : form.parts()) {
            if (!Set.of("image", "labels", "hypothesis_template").contains(p.name())) {
                throw ApiException.badRequest(RequestJson.clip(p.name(), 60), "unknown_parameter", "unrecognized form field '" + RequestJson.clip(p.name(), 60)
                        + "'; this endpoint takes [hypothesis_template, image, labels]");
            }
        }
        List<MultipartForm.Part> images = form.all("image");
        if (images.isEmpty()) throw ApiException.badRequest("image", "missing_parameter", "the form has no 'image' file part");
        if (images.size() > 1) throw ApiException.badRequest("image", "too_many_images", "the form has " + images.size() + " 'image' parts; send one");
        byte[] image = images.getFirst().body();
        if (image.length > l.maxImageBytes()) {
            throw ApiException.tooLarge("the image is " + image.length + " bytes, more than the limit of " + l.maxImageBytes());
        }
        List<String> labelParts = form.all("labels").stream().map(MultipartForm.Part::text).toList();
        if (labelParts.size() == 1 && labelParts.getFirst().contains(",")) labelParts = List.of(labelParts.getFirst().split(","));
        ArrayNode labels = RequestJson.MAPPER.createArrayNode();
        for (String s : labelParts) labels.add(s.strip());
        if (labelParts.isEmpty()) throw ApiException.badRequest("labels", "missing_parameter", "the form has no 'labels': send one part per label or one comma-separated part");
        var template = form.first("hypothesis_template").map(MultipartForm.Part::text).orElse(null);
        if (template != null) template = Fields.checkText(template, "hypothesis_template", l);
        return new Request(image, NerEndpoint.labels(labels, l), template(template));
    }

    private static String template(String t) {
        if (t != null && !t.contains("{}")) {
            throw ApiException.badRequest("hypothesis_template", "invalid_value", "'hypothesis_template' must contain {} where the label goes, e.g. \"a photo of a {}.\"");
        }
        return t;
    }

    /** Base64 (standard or URL-safe, padding optional) or a {@code data:image/…;base64,} URL, checked against the byte limit. */
    static byte[] base64(String s, Limits l) {
        String b = s.strip();
        if (b.startsWith("data:")) {
            int comma = b.indexOf(',');
            if (comma < 0 || !b.substring(0, comma).endsWith(";base64")) {
                throw ApiException.badRequest("image", "invalid_image", "a data: URL for 'image' must be 'data:<type>;base64,<data>'");
            }
            b = b.substring(comma + 1);
        }
        if ((long) b.length() * 3 / 4 > l.maxImageBytes() + 3L) {
            throw ApiException.tooLarge("the image is about " + (long) b.length() * 3 / 4 + " bytes, more than the limit of " + l.maxImageBytes());
        }
        byte[] out;
        try {
            out = (b.indexOf('-') >= 0 || b.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(b);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("image", "invalid_base64", "'image' is not valid base64: " + RequestJson.clip(String.valueOf(e.getMessage()), 100));
        }
        if (out.length > l.maxImageBytes()) throw ApiException.tooLarge("the image is " + out.length + " bytes, more than the limit of " + l.maxImageBytes());
        return out;
    }

    /** Decodes after the header's size passed the pixel cap; unreadable images are 400s. */
    static RgbImage decode(byte[] bytes, Limits l) {
        try {
            return ImageFiles.read(bytes, "upload", l.maxImagePixels());
        } catch (ImageReadException.TooLarge e) {
            throw ApiException.badRequest("image", "image_too_large", RequestJson.clip(e.getMessage(), 300));
        } catch (ImageReadException e) {
            // the decoder's own exception, appended by ImageFiles for a person at a terminal, is not for the client
            String m = String.valueOf(e.getMessage()).replaceAll(": [a-z]+(\\.[A-Za-z0-9_$]+)+(Exception|Error)\\b.*$", "");
            throw ApiException.badRequest("image", "invalid_image", RequestJson.clip(m, 300));
        }
    }
}
