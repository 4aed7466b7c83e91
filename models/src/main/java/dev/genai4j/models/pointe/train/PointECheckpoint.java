package dev.genai4j.models.pointe.train;

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
 * The resumable state of a Point-E training run, in {@code <run>/checkpoint}: {@code model.safetensors}
 * (raw weights), {@code ema.safetensors}, {@code optimizer.safetensors} and {@code trainer_state.json}.
 * The folder is built beside the old one and swapped in by two renames, so a kill at any moment leaves
 * a whole checkpoint (the new one, or the old one under {@code .checkpoint.old}, which {@link #read}
 * falls back to).
 *
 * <pre>{@code
 * PointECheckpoint.write(runDir, model.stateDict(), ema.stateDict(), opt.stateDict(), state);
 * PointECheckpoint.Loaded c = PointECheckpoint.read(runDir);
 * }</pre>
 */
public final class PointECheckpoint {
    public static final String DIR = "checkpoint";
    private static final String OLD = ".checkpoint.old";
    static final String STATE_FILE = "trainer_state.json";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PointECheckpoint() {}

    /** Heap copies of the saved tensors and the trainer state. */
    public record Loaded(Path dir, Map<String, Tensor> model, Map<String, Tensor> ema, Map<String, Tensor> optimizer, JsonNode state) {}

    public static boolean exists(Path runDir) {
        return Files.isRegularFile(runDir.resolve(DIR).resolve(STATE_FILE)) || Files.isRegularFile(runDir.resolve(OLD).resolve(STATE_FILE));
    }

    public static void write(Path runDir, Map<String, Tensor> model, Map<String, Tensor> ema, Map<String, Tensor> optimizer, JsonNode state) {
        Path target = runDir.resolve(DIR), old = runDir.resolve(OLD);
        try {
            CheckpointSwap.replace(target, old, tmp -> {
                new SafetensorsWriter().write(tmp.resolve(SafetensorsWeights.MODEL_FILE), model);
                new SafetensorsWriter().write(tmp.resolve("ema.safetensors"), ema);
                new SafetensorsWriter().write(tmp.resolve("optimizer.safetensors"), optimizer);
                Files.write(tmp.resolve(STATE_FILE), JSON.writeValueAsBytes(state));
            });
        } catch (IOException e) {
            throw new CheckpointException("cannot write the Point-E training checkpoint " + target + ": " + e, e);
        }
    }

    public static Loaded read(Path runDir) {
        Path dir = runDir.resolve(DIR);
        if (!Files.isRegularFile(dir.resolve(STATE_FILE))) dir = runDir.resolve(OLD);   // killed between the two renames
        if (!Files.isRegularFile(dir.resolve(STATE_FILE))) {
            throw new CheckpointException("no Point-E training checkpoint to resume in " + runDir.toAbsolutePath()
                    + " (expected " + DIR + "/" + STATE_FILE + ")");
        }
        try {
            JsonNode state = JSON.readTree(dir.resolve(STATE_FILE).toFile());
            return new Loaded(dir, copies(dir.resolve(SafetensorsWeights.MODEL_FILE)), copies(dir.resolve("ema.safetensors")),
                    copies(dir.resolve("optimizer.safetensors")), state);
        } catch (IOException e) {
            throw new CheckpointException("cannot read the Point-E training checkpoint " + dir + ": " + e, e);
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
