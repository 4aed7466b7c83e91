package dev.genai4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A checkpoint in the Hugging Face folder layout: {@code config.json} beside
 * {@code model.safetensors} (or a sharded index), plus whatever else a family ships.
 *
 * <pre>{@code
 * CheckpointFolder ckpt = CheckpointFolder.open(Path.of("fixtures/modernbert/classic_bf16"));
 * JsonConfig config = ckpt.config();
 * try (SafetensorsWeights w = ckpt.openWeights()) { ... }
 *
 * CheckpointFolder.write(Path.of("out/finetuned"), config.tree(), model.stateDict());
 * }</pre>
 */
public final class CheckpointFolder {
    public static final String CONFIG_FILE = "config.json";

    private final Path dir;

    private CheckpointFolder(Path dir) { this.dir = dir; }

    /** A checkpoint folder; fails when {@code dir} is not an existing folder. Nothing is read yet. */
    public static CheckpointFolder open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("checkpoint folder " + dir + (Files.exists(dir) ? " is not a folder" : " does not exist"));
        }
        return new CheckpointFolder(dir);
    }

    public Path path() { return dir; }

    /** {@code name} inside the folder (which may not exist). */
    public Path file(String name) { return dir.resolve(name); }

    public boolean hasFile(String name) { return Files.isRegularFile(dir.resolve(name)); }

    /** The folder's {@code config.json}. */
    public JsonConfig config() { return readJson(CONFIG_FILE); }

    /** Another JSON object file of the folder (e.g. {@code gliner_config.json}). */
    public JsonConfig readJson(String name) { return JsonConfig.read(dir.resolve(name)); }

    /** Memory-maps the folder's weights (see {@link Weights#open}); close them when done. */
    public SafetensorsWeights openWeights() { return Weights.open(dir); }

    /** Writes {@code config.json} and an fp32-or-native-dtype {@code model.safetensors} (see {@link #write(Path, JsonNode, Map, SafetensorsWriter)}). */
    public static void write(Path dir, Map<String, ?> config, Map<String, Tensor> tensors) {
        write(dir, JsonConfig.of(config).tree(), tensors, new SafetensorsWriter());
    }

    /** Writes {@code config.json} from plain values and {@code model.safetensors} with {@code writer}. */
    public static void write(Path dir, Map<String, ?> config, Map<String, Tensor> tensors, SafetensorsWriter writer) {
        write(dir, JsonConfig.of(config).tree(), tensors, writer);
    }

    /**
     * Writes {@code config.json} (pretty-printed, as HF does) and {@code model.safetensors}.
     * A new folder appears whole: both files are written into a temporary sibling folder which
     * is then renamed. Into an existing folder each file is replaced atomically, weights first,
     * so a reader never sees a half-written file (other files there are left alone).
     */
    public static void write(Path dir, JsonNode config, Map<String, Tensor> tensors, SafetensorsWriter writer) {
        if (config == null || !config.isObject()) {
            throw new ConfigException("cannot write " + dir.resolve(CONFIG_FILE) + ": the config must be a JSON object, found " + Json.typeOf(config));
        }
        byte[] configBytes = configBytes(config, dir);
        Path absolute = dir.toAbsolutePath();
        if (Files.exists(absolute)) {
            if (!Files.isDirectory(absolute)) throw new CheckpointException("cannot write checkpoint folder " + dir + ": a file of that name exists");
            writer.write(absolute.resolve(SafetensorsWeights.MODEL_FILE), tensors);
            AtomicFiles.writeBytes(absolute.resolve(CONFIG_FILE), configBytes);
            return;
        }
        Path parent = absolute.getParent();
        Path tmp = parent.resolve("." + absolute.getFileName() + ".tmp-" + UUID.randomUUID());
        boolean moved = false;
        try {
            Files.createDirectories(parent);
            Files.createDirectory(tmp);
            writer.write(tmp.resolve(SafetensorsWeights.MODEL_FILE), tensors);
            AtomicFiles.writeBytes(tmp.resolve(CONFIG_FILE), configBytes);
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
            AtomicFiles.syncDirectory(parent);
        } catch (IOException e) {
            throw new CheckpointException("cannot write checkpoint folder " + dir + ": " + e, e);
        } finally {
            if (!moved) deleteTree(tmp);
        }
    }

    private static byte[] configBytes(JsonNode config, Path dir) {
        try {
            byte[] json = Json.mapper().writeValueAsBytes(config);
            byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
            out[json.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new ConfigException("cannot write " + dir.resolve(CONFIG_FILE) + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort cleanup after a failure that is already being reported
        }
    }
}
