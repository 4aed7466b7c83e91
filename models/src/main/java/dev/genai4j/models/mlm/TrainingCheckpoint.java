package dev.genai4j.models.mlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.genai4j.io.CheckpointSwap;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.io.Weights;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resumable training checkpoint: one folder {@code <run>/checkpoint} holding a loadable HF model
 * ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json}) plus
 * {@code optimizer.safetensors} and {@code trainer_state.json}. The folder is built beside the
 * old one and swapped in by renames, so a kill at any moment leaves a complete checkpoint:
 * the new one, or the previous one (possibly still under its {@code .checkpoint.old} name, which
 * {@link #read} falls back to).
 *
 * <pre>{@code
 * TrainingCheckpoint.write(runDir, modelConfig, model.stateDict(), opt.stateDict(), tokenizerJson, state);
 * TrainingCheckpoint.Loaded c = TrainingCheckpoint.read(runDir);
 * }</pre>
 */
public final class TrainingCheckpoint {
    public static final String DIR = "checkpoint";
    private static final String OLD = ".checkpoint.old";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    public static final String STATE_FILE = "trainer_state.json";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrainingCheckpoint() {}

    /** What {@link #read} returns: weights and optimizer state as heap copies, and the trainer state. */
    public record Loaded(Path dir, Map<String, Tensor> model, Map<String, Tensor> optimizer, JsonNode state) {}

    /** True when {@code runDir} holds a checkpoint to resume from. */
    public static boolean exists(Path runDir) {
        return Files.isRegularFile(runDir.resolve(DIR).resolve(STATE_FILE)) || Files.isRegularFile(runDir.resolve(OLD).resolve(STATE_FILE));
    }

    /** Writes a checkpoint into {@code runDir/checkpoint}, replacing the previous one atomically. */
    public static void write(Path runDir, Map<String, Object> modelConfig, Map<String, Tensor> model, Map<String, Tensor> optimizer,
                             Path tokenizerJson, JsonNode trainerState) {
        Path target = runDir.resolve(DIR), old = runDir.resolve(OLD);
        try {
            CheckpointSwap.replace(target, old, tmp -> {
                new SafetensorsWriter().write(tmp.resolve(SafetensorsWeights.MODEL_FILE), model);
                new SafetensorsWriter().write(tmp.resolve(OPTIMIZER_FILE), optimizer);
                Files.write(tmp.resolve("config.json"), JSON.writeValueAsBytes(modelConfig));
                Files.copy(tokenizerJson, tmp.resolve("tokenizer.json"));
                Files.write(tmp.resolve(STATE_FILE), JSON.writeValueAsBytes(trainerState));
            });
        } catch (IOException e) {
            throw new CheckpointException("cannot write the training checkpoint " + target + ": " + e, e);
        }
    }

    /** Reads the checkpoint of {@code runDir}. @throws CheckpointException when there is none */
    public static Loaded read(Path runDir) {
        Path dir = runDir.resolve(DIR);
        if (!Files.isRegularFile(dir.resolve(STATE_FILE))) dir = runDir.resolve(OLD);   // killed between the two renames
        if (!Files.isRegularFile(dir.resolve(STATE_FILE))) {
            throw new CheckpointException("no training checkpoint to resume in " + runDir.toAbsolutePath()
                    + " (expected " + DIR + "/" + STATE_FILE + ")");
        }
        try {
            JsonNode state = JSON.readTree(dir.resolve(STATE_FILE).toFile());
            return new Loaded(dir, copies(dir.resolve(SafetensorsWeights.MODEL_FILE)), copies(dir.resolve(OPTIMIZER_FILE)), state);
        } catch (IOException e) {
            throw new CheckpointException("cannot read the training checkpoint " + dir + ": " + e, e);
        }
    }

    private static Map<String, Tensor> copies(Path file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafetensorsWeights w = Weights.open(file)) {
            for (String name : w.names()) {
                Tensor t = w.get(name);
                out.put(name, Tensor.of(t.toFloatArray(), t.shape()));
            }
        }
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        CheckpointSwap.deleteTree(dir);
    }
}
