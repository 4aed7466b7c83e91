package dev.genai4j.models.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsFile;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reference case folder ({@code config.json}, {@code gliner_config.json} or, for a
 * preprocessing-only case, {@code preprocessor_config.json};
 * {@code model.safetensors}, {@code inputs.json}, {@code expected.safetensors}, {@code NOTES.md}),
 * as described in the shared fixtures README. The tolerance is the one the case's NOTES.md
 * states ({@code atol X}, {@code rtol Y}); absent, the README's default 1e-4 / 1e-3.
 */
public record FixtureCase(Path dir, JsonConfig config, JsonNode inputs, Map<String, Tensor> expected,
                          double atol, double rtol) {

    private static final Pattern ATOL = Pattern.compile("atol\\s*[:=]?\\s*([0-9.]+(?:[eE][-+]?[0-9]+)?)");
    private static final Pattern RTOL = Pattern.compile("rtol\\s*[:=]?\\s*([0-9.]+(?:[eE][-+]?[0-9]+)?)");

    public static FixtureCase load(Path dir) {
        if (!Files.isDirectory(dir)) throw new CheckpointException("check: " + dir + " is not a folder");
        Path cfg = dir.resolve("config.json");
        if (!Files.exists(cfg)) cfg = dir.resolve("gliner_config.json");
        if (!Files.exists(cfg)) cfg = dir.resolve("preprocessor_config.json");   // image-preprocessing cases (clip/preprocess)
        if (!Files.exists(cfg)) {
            throw new CheckpointException("check: " + dir + " has neither config.json, gliner_config.json nor preprocessor_config.json");
        }
        JsonConfig config = JsonConfig.read(cfg);
        Path in = dir.resolve("inputs.json");
        JsonNode inputs = Files.exists(in) ? JsonConfig.read(in).tree() : null;
        Path exp = dir.resolve("expected.safetensors");
        if (!Files.exists(exp)) throw new CheckpointException("check: " + dir + " has no expected.safetensors");
        Map<String, Tensor> expected = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(exp)) {
            for (String name : f.names()) {
                Tensor t = f.get(name);
                expected.put(name, Tensor.of(t.toFloatArray(), t.shape()));   // copy: the file closes
            }
        }
        double atol = 1e-4, rtol = 1e-3;
        Path notes = dir.resolve("NOTES.md");
        if (Files.exists(notes)) {
            try {
                String text = Files.readString(notes);
                Matcher a = ATOL.matcher(text), r = RTOL.matcher(text);
                if (a.find()) atol = Double.parseDouble(a.group(1));
                if (r.find()) rtol = Double.parseDouble(r.group(1));
            } catch (IOException e) {
                throw new CheckpointException("check: cannot read " + notes + ": " + e, e);
            }
        }
        return new FixtureCase(dir, config, inputs, expected, atol, rtol);
    }

    /** {@code model_type} from the config, or "" when absent (GLiNER and Point-E configs have none). */
    public String modelType() {
        return config.getString("model_type", "");
    }
}
