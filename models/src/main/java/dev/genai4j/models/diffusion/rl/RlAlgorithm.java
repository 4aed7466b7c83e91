package dev.genai4j.models.diffusion.rl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * A fine-tuning method driven epoch by epoch ({@link RlTrainer} for the online methods,
 * {@link RewardWeightedSft} for sft), with the state a checkpoint needs to resume it.
 */
public interface RlAlgorithm {
    /** One epoch on prompts drawn from {@code prompts}; epoch numbers start at 1 and seed the epoch's randomness. */
    EpochStats epoch(List<String> prompts, int epoch);

    /** The UNet being fine-tuned. */
    UNet policy();

    /** Optimizer (and value-function, data set) tensors, by name. */
    Map<String, Tensor> tensorState();

    /** Everything else to resume (stat-tracker buffers, prompts of a fixed data set). */
    ObjectNode jsonState();

    /** Restores what {@link #tensorState()} and {@link #jsonState()} returned. */
    void restore(Map<String, Tensor> tensors, JsonNode json);
}
