package dev.genai4j.models.pointe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.models.check.CheckResult;
import dev.genai4j.models.check.CheckRunner;
import dev.genai4j.models.check.FamilyCheck;
import dev.genai4j.models.check.FixtureCase;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code genai4j check} for Point-E ({@code model_type: point-e}). A forward case ({@code inputs.json}
 * with {@code x}, {@code t}, {@code embeddings}, and for the upsampler {@code low_res}) returns the
 * transformer's {@code output}; a sampler case ({@code noise}, {@code embeddings}, {@code sampler},
 * {@code diffusion_config}, and {@code step_noise} when churning) runs {@link KarrasSampler} with
 * guidance and returns {@code sample} and {@code pred_xstart} in data space and the progressive x in
 * model space ({@code progressive_x_scaled}). When the folder also holds the torch-written
 * {@code model.pt}, the case is run a second time from it (lines {@code NAME[model.pt]}).
 */
public final class PointECheck implements FamilyCheck {
    @Override
    public String family() { return "point-e"; }

    @Override
    public boolean accepts(FixtureCase c) { return c.modelType().equals("point-e"); }

    @Override
    public Map<String, Tensor> run(FixtureCase c) {
        if (c.inputs() == null) throw new CheckpointException("check " + c.dir() + ": point-e needs inputs.json");
        try (SafetensorsWeights w = Weights.open(c.dir())) {
            return outputs(c, w);
        }
    }

    /** The same case once more from the torch-written {@code model.pt}, when the folder has one. */
    @Override
    public List<CheckResult.Line> checkExtra(FixtureCase c, Map<String, Tensor> ours) {
        Path pt = c.dir().resolve("model.pt");
        if (!Files.exists(pt)) return List.of();
        List<CheckResult.Line> lines = new ArrayList<>();
        try (SafetensorsWeights w = Weights.open(pt)) {
            for (var e : outputs(c, w).entrySet()) {
                Tensor expected = c.expected().get(e.getKey());
                if (expected != null) lines.add(CheckRunner.compare(e.getKey() + "[model.pt]", e.getValue(), expected, c.atol(), c.rtol()));
            }
        }
        return lines;
    }

    private static Map<String, Tensor> outputs(FixtureCase c, Weights w) {
        PointETransformer m = PointETransformer.load(w, PointEConfig.from(c.config()));
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (c.inputs().has("sampler")) sample(c, m, out);
        else out.put("output", forward(c, m));
        return out;
    }

    private static Tensor forward(FixtureCase c, PointETransformer m) {
        Tensor lowRes = c.inputs().has("low_res") ? input(c, "low_res") : null;
        return copy(m.forward(input(c, "x"), input(c, "t"), input(c, "embeddings"), lowRes));
    }

    private static void sample(FixtureCase c, PointETransformer m, Map<String, Tensor> out) {
        JsonNode s = c.inputs().get("sampler"), d = c.inputs().get("diffusion_config");
        if (d == null) throw new CheckpointException("check " + c.dir() + ": a sampler case needs inputs.json 'diffusion_config'");
        if (!s.path("sampler").asText("heun").equals("heun")) {
            throw new CheckpointException("check " + c.dir() + ": only the heun sampler is implemented, not " + s.get("sampler"));
        }
        if (!d.path("mean_type").asText("epsilon").equals("epsilon")) {
            throw new CheckpointException("check " + c.dir() + ": only mean_type epsilon is implemented, not " + d.get("mean_type"));
        }
        GaussianDiffusion diffusion = GaussianDiffusion.of(d.path("schedule").asText("cosine"), d.path("timesteps").asInt(1024),
                floats(d.get("channel_scales"), GaussianDiffusion.DEFAULT_SCALES), floats(d.get("channel_biases"), GaussianDiffusion.DEFAULT_BIASES));
        var settings = new KarrasSampler.Settings(s.path("karras_steps").asInt(64), s.path("sigma_min").asDouble(1e-3),
                s.path("sigma_max").asDouble(120), s.path("rho").asDouble(7), (float) s.path("s_churn").asDouble(0),
                (float) s.path("s_tmin").asDouble(0), s.has("s_tmax") ? (float) s.get("s_tmax").asDouble() : Float.POSITIVE_INFINITY,
                (float) s.path("s_noise").asDouble(1));
        Tensor lowRes = c.inputs().has("low_res") ? input(c, "low_res") : null;
        var denoiser = new PointEDenoiser(m, diffusion, input(c, "embeddings"), lowRes,
                (float) s.path("guidance_scale").asDouble(0), s.path("clip_denoised").asBoolean(true));
        Tensor stepNoise = c.inputs().has("step_noise") ? input(c, "step_noise") : null;   // [steps, N, C, L]
        KarrasSampler.Result r = new KarrasSampler(settings).sample(denoiser, input(c, "noise"),
                stepNoise == null ? null : (i, shape) -> stepNoise.select(0, i));
        out.put("sample", copy(diffusion.unscaleChannels(r.sample())));
        out.put("pred_xstart", copy(diffusion.unscaleChannels(r.predXStart())));
        out.put("progressive_x_scaled", copy(Tensor.stack(r.progressive(), 0)));
    }

    private static float[] floats(JsonNode n, float[] fallback) {
        if (n == null) return fallback;
        float[] v = new float[n.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) n.get(i).asDouble();
        return v;
    }

    private static Tensor copy(Tensor t) { return Tensor.of(t.toFloatArray(), t.shape()); }

    /** A rectangular nested JSON array of numbers from inputs.json as a tensor. */
    static Tensor input(FixtureCase c, String key) {
        JsonNode n = c.inputs().get(key);
        if (n == null) throw new CheckpointException("check " + c.dir() + ": inputs.json has no '" + key + "'");
        List<Integer> shape = new ArrayList<>();
        for (JsonNode a = n; a.isArray(); a = a.get(0)) {
            if (a.isEmpty()) throw new CheckpointException("check " + c.dir() + ": '" + key + "' has an empty axis");
            shape.add(a.size());
        }
        int[] s = shape.stream().mapToInt(Integer::intValue).toArray();
        int total = 1;
        for (int v : s) total *= v;
        float[] data = new float[total];
        int[] pos = {0};
        fill(n, 0, s, data, pos, key, c.dir().toString());
        return Tensor.of(data, s);
    }

    private static void fill(JsonNode n, int axis, int[] s, float[] data, int[] pos, String key, String where) {
        if (axis == s.length) {
            if (!n.isNumber()) throw new CheckpointException(where + ": '" + key + "' holds a non-number");
            data[pos[0]++] = (float) n.asDouble();
            return;
        }
        if (!n.isArray() || n.size() != s[axis]) {
            throw new CheckpointException(where + ": '" + key + "' is not rectangular at axis " + axis);
        }
        for (JsonNode e : n) fill(e, axis + 1, s, data, pos, key, where);
    }
}
