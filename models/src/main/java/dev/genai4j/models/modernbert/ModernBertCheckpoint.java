package dev.genai4j.models.modernbert;

import dev.genai4j.io.CheckpointFolder;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;

import java.nio.file.Path;

/**
 * An opened HF ModernBERT folder: the parsed config and the memory-mapped tensors. Task
 * checkpoints (ForMaskedLM …) keep the encoder under {@code model.}; a bare ModernBertModel
 * checkpoint has it at the root. Both are accepted.
 */
final class ModernBertCheckpoint implements AutoCloseable {
    private static final String ENCODER_PREFIX = "model";
    private static final String PROBE = "embeddings.tok_embeddings.weight";

    private final ModernBertConfig config;
    private final SafetensorsWeights weights;

    private ModernBertCheckpoint(ModernBertConfig config, SafetensorsWeights weights) {
        this.config = config;
        this.weights = weights;
    }

    static ModernBertCheckpoint open(Path dir) {
        CheckpointFolder folder = CheckpointFolder.open(dir);
        ModernBertConfig config = ModernBertConfig.fromJson(folder.config());
        return new ModernBertCheckpoint(config, folder.openWeights());
    }

    ModernBertConfig config() { return config; }

    /** All tensors, task head included. */
    Weights root() { return weights; }

    /** The encoder's tensors, wherever the checkpoint put them. */
    Weights encoderWeights() {
        return weights.has(ENCODER_PREFIX + "." + PROBE) || !weights.has(PROBE) ? weights.sub(ENCODER_PREFIX) : weights;
    }

    @Override
    public void close() { weights.close(); }
}
