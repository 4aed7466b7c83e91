package dev.genai4j.io;

import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointFolderTest {
    @TempDir Path dir;

    private static final String CONFIG = """
            {
              "architectures": ["ModernBertForMaskedLM"],
              "hidden_size": 64,
              "norm_eps": 1e-05,
              "global_rope_theta": 160000.0,
              "model_type": "modernbert",
              "tie_word_embeddings": true,
              "pad_token_id": null,
              "big": 9999999999,
              "nan_value": NaN,
              "dims": [1, 2, 3],
              "text_config": {"hidden_size": "sixty-four", "layers": 2}
            }
            """;

    private JsonConfig config() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, CONFIG);
        return JsonConfig.read(file);
    }

    @Test
    void typedGettersWithAndWithoutDefaults() throws IOException {
        JsonConfig c = config();
        assertEquals(64, c.getInt("hidden_size"));
        assertEquals(7, c.getInt("num_layers", 7));
        assertEquals(3, c.getInt("pad_token_id", 3), "null means 'not set': the default applies");
        assertEquals(1e-5, c.getDouble("norm_eps"));
        assertEquals(64.0, c.getDouble("hidden_size"), "integers are numbers too");
        assertEquals(0.5, c.getDouble("rope_scaling", 0.5));
        assertTrue(Double.isNaN(c.getDouble("nan_value")));
        assertEquals("modernbert", c.getString("model_type"));
        assertNull(c.getString("absent", null));
        assertTrue(c.getBoolean("tie_word_embeddings"));
        assertFalse(c.getBoolean("absent", false));
        assertEquals(9999999999L, c.getLong("big"));
        assertArrayEquals(new int[]{1, 2, 3}, c.getIntArray("dims"));
        assertEquals(List.of("ModernBertForMaskedLM"), c.getStringList("architectures"));
        assertEquals(2, c.getObject("text_config").getInt("layers"));
        assertNull(c.getObjectOrNull("vision_config"));
        assertFalse(c.has("pad_token_id"));
        assertTrue(c.keys().contains("dims"));
    }

    private static void failsWith(Runnable r, String... fragments) {
        ConfigException e = assertThrows(ConfigException.class, r::run);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
    }

    @Test
    void wrongTypesNameTheFileTheKeyTheExpectedAndTheFound() throws IOException {
        JsonConfig c = config();
        String file = dir.resolve("config.json").toString();
        failsWith(() -> c.getInt("norm_eps"), file, "'norm_eps'", "a 32-bit integer", "number 1.0E-5");
        failsWith(() -> c.getInt("big", 0), "'big'", "a 32-bit integer", "9999999999");
        failsWith(() -> c.getInt("model_type", 1), "'model_type'", "string \"modernbert\"");
        failsWith(() -> c.getDouble("tie_word_embeddings"), "'tie_word_embeddings'", "a number", "boolean true");
        failsWith(() -> c.getBoolean("hidden_size", true), "'hidden_size'", "a boolean", "integer 64");
        failsWith(() -> c.getString("dims"), "'dims'", "a string", "array of 3");
        failsWith(() -> c.getObject("text_config").getInt("hidden_size"), file, "'text_config.hidden_size'", "string \"sixty-four\"");
        failsWith(() -> c.getInt("num_layers"), file, "required key 'num_layers' is missing");
        failsWith(() -> c.getInt("pad_token_id"), "'pad_token_id' is null");
        failsWith(() -> c.getIntArray("architectures"), "'architectures[0]'", "a 32-bit integer");
        failsWith(() -> c.getObject("dims"), "'dims'", "an object");
    }

    @Test
    void badConfigFilesFailAsConfigExceptions() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"a\": 1,}");
        failsWith(() -> JsonConfig.read(file), file.toString(), "invalid JSON");
        Files.writeString(file, "[1]");
        failsWith(() -> JsonConfig.read(file), "expected a JSON object", "array of 1");
        Files.writeString(file, "");
        failsWith(() -> JsonConfig.read(file), "empty JSON document");
        failsWith(() -> JsonConfig.read(dir.resolve("none.json")), "none.json", "does not exist");
    }

    @Test
    void writesANewFolderWholeAndReadsItBack() throws IOException {
        Path target = dir.resolve("out").resolve("ckpt");
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("vocab_size", 10);
        cfg.put("architectures", List.of("X"));
        cfg.put("eps", 1e-6);
        Map<String, Tensor> tensors = Map.of("w", Tensor.of(new float[]{1.5f, -2f}, 2));
        CheckpointFolder.write(target, cfg, tensors);

        try (var s = Files.list(target.getParent())) {
            assertEquals(List.of("ckpt"), s.map(p -> p.getFileName().toString()).toList(), "no temp folder left");
        }
        String json = Files.readString(target.resolve("config.json"));
        assertTrue(json.startsWith("{\n  \"architectures\": [") && json.endsWith("}\n"), "HF-style pretty JSON, sorted keys: " + json);

        CheckpointFolder ckpt = CheckpointFolder.open(target);
        assertEquals(10, ckpt.config().getInt("vocab_size"));
        assertEquals(1e-6, ckpt.config().getDouble("eps"));
        try (SafetensorsWeights w = ckpt.openWeights()) {
            assertArrayEquals(new float[]{1.5f, -2f}, w.get("w").toFloatArray());
        }
    }

    @Test
    void overwritingAnExistingFolderReplacesBothFilesAndKeepsOthers() throws IOException {
        Path target = dir.resolve("ckpt");
        CheckpointFolder.write(target, Map.of("v", 1), Map.of("w", Tensor.ones(2)));
        Files.writeString(target.resolve("tokenizer.json"), "{}");
        JsonConfig updated = JsonConfig.of(Map.of("v", 2));
        CheckpointFolder.write(target, updated.tree(), Map.of("w", Tensor.full(0.1f, 3)),
                new SafetensorsWriter().storeFloatsAs(DType.BF16));

        CheckpointFolder ckpt = CheckpointFolder.open(target);
        assertEquals(2, ckpt.config().getInt("v"));
        assertTrue(ckpt.hasFile("tokenizer.json"));
        try (SafetensorsWeights w = ckpt.openWeights()) {
            assertEquals(DType.BF16, w.get("w").dtype());
            assertEquals(0.10009765625f, w.get("w").get(2), "0.1 rounded to bf16");
        }
        try (var s = Files.list(target)) {
            assertEquals(3, s.count(), "config.json, model.safetensors, tokenizer.json and no temp files");
        }
    }

    @Test
    void aFailedFolderWriteLeavesNothingBehind() throws IOException {
        Path target = dir.resolve("never");
        Path src = dir.resolve("src.safetensors");
        SafetensorsWriter.save(src, Map.of("w", Tensor.ones(4)));
        SafetensorsFile f = SafetensorsFile.open(src);
        Tensor dead = f.get("w");   // its mapping is gone once f is closed: writing it fails midway
        f.close();
        assertThrows(IllegalStateException.class, () -> CheckpointFolder.write(target, JsonConfig.of(Map.of()).tree(),
                Map.of("w", dead), new SafetensorsWriter().storeFloatsAs(DType.F16)));
        assertFalse(Files.exists(target));
        try (var s = Files.list(dir)) {
            assertEquals(List.of("src.safetensors"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void openingAMissingFolderOrWritingOverAFileFails() throws IOException {
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointFolder.open(dir.resolve("gone")));
        assertTrue(e.getMessage().contains("gone") && e.getMessage().contains("does not exist"), e.getMessage());
        Path file = Files.writeString(dir.resolve("plain"), "x");
        e = assertThrows(CheckpointException.class, () -> CheckpointFolder.write(file, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("a file of that name exists"), e.getMessage());
        Path empty = Files.createDirectories(dir.resolve("noconfig"));
        failsWith(() -> CheckpointFolder.open(empty).config(), "config.json", "does not exist");
    }
}
