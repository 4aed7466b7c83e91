package dev.genai4j.models.clip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.models.check.FamilyCheck;
import dev.genai4j.models.check.FixtureCase;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code genai4j check} for CLIP. A {@code model_type: clip} case runs {@link ClipModel} on
 * {@code pixel_values}, {@code input_ids} and {@code attention_mask} from {@code inputs.json} and
 * returns HF {@code CLIPModel}'s outputs (normalized embeddings, both logits, the towers' pooled
 * outputs and the vision last hidden state). A preprocessing case ({@code preprocessor_config.json}
 * of a CLIPImageProcessor, {@code inputs.json} naming an image) returns the {@code pixel_values}
 * that {@link ClipImageProcessor} makes from that file.
 */
public final class ClipCheck implements FamilyCheck {
    @Override
    public String family() { return "clip"; }

    @Override
    public boolean accepts(FixtureCase c) {
        return c.modelType().equals("clip") || c.config().getString("image_processor_type", "").equals("CLIPImageProcessor")
                || c.config().getString("feature_extractor_type", "").equals("CLIPFeatureExtractor");   // older preprocessor configs
    }

    @Override
    public Map<String, Tensor> run(FixtureCase c) {
        if (c.inputs() == null) throw new CheckpointException("check " + c.dir() + ": clip needs inputs.json");
        if (!c.modelType().equals("clip")) return preprocess(c);
        Tensor pixels = nested(c, "pixel_values");
        Tensor ids = nested(c, "input_ids");
        Tensor mask = c.inputs().has("attention_mask") ? nested(c, "attention_mask") : null;
        ClipConfig config = ClipConfig.from(c.config());
        try (SafetensorsWeights w = Weights.open(c.dir())) {
            ClipModel m = ClipModel.load(w, config);
            ClipModel.Output o = m.forward(pixels, ids, mask);
            Map<String, Tensor> out = new LinkedHashMap<>();
            // copies: the weights are unmapped when this method returns
            put(out, "image_embeds", o.imageEmbeds());
            put(out, "text_embeds", o.textEmbeds());
            put(out, "logits_per_image", o.logitsPerImage());
            put(out, "logits_per_text", o.logitsPerText());
            put(out, "vision_pooler_output", o.vision().pooled());
            put(out, "text_pooler_output", o.text().pooled());
            put(out, "vision_last_hidden_state", o.vision().lastHiddenState());
            put(out, "text_last_hidden_state", o.text().lastHiddenState());
            return out;
        }
    }

    private static Map<String, Tensor> preprocess(FixtureCase c) {
        JsonNode image = c.inputs().get("image");
        if (image == null || !image.isTextual()) {
            throw new CheckpointException("check " + c.dir() + ": a preprocessing case needs inputs.json {\"image\": \"file name\"}");
        }
        ClipImageProcessor p = ClipImageProcessor.from(c.config());
        RgbImage img = ImageFiles.read(c.dir().resolve(image.asText()));
        return Map.of("pixel_values", p.preprocess(List.of(img)));
    }

    private static void put(Map<String, Tensor> out, String name, Tensor t) {
        out.put(name, Tensor.of(t.toFloatArray(), t.shape()));
    }

    /** A rectangular nested JSON array of numbers from inputs.json as a tensor. */
    static Tensor nested(FixtureCase c, String key) {
        JsonNode n = c.inputs().get(key);
        if (n == null) throw new CheckpointException("check " + c.dir() + ": inputs.json has no '" + key + "'");
        return nested(n, key, c.dir().toString());
    }

    static Tensor nested(JsonNode n, String key, String where) {
        List<Integer> shape = new ArrayList<>();
        for (JsonNode d = n; d.isArray(); d = d.get(0)) {
            if (d.isEmpty()) throw new CheckpointException(where + ": '" + key + "' has an empty axis");
            shape.add(d.size());
        }
        int[] s = shape.stream().mapToInt(Integer::intValue).toArray();
        int total = 1;
        for (int v : s) total *= v;
        float[] data = new float[total];
        int[] pos = {0};
        fill(n, 0, s, data, pos, key, where);
        return Tensor.of(data, s);
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    private static void fill(JsonNode n, int axis, int[] s, float[] data, int[] pos, String key, String where) {
        if (axis == s.length) {
            if (!n.isNumber()) throw new CheckpointException(where + ": '" + key + "' holds a non-number " + abbreviate(n));
            data[pos[0]++] = (float) n.asDouble();
            return;
        }
        if (!n.isArray() || n.size() != s[axis]) {
            throw new CheckpointException(where + ": '" + key + "' is not rectangular: axis " + axis + " should have " + s[axis] + " entries");
        }
        for (JsonNode e : n) fill(e, axis + 1, s, data, pos, key, where);
    }

}
