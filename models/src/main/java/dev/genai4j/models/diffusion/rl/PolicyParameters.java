package dev.genai4j.models.diffusion.rl;

import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an RL run trains in the policy UNet: its LoRA adapters when it has them
 * ({@link UNet#addLora}; the base weights then stay frozen), else every weight — and how the
 * adapters go into and come back from the run's checkpoint ({@code lora.<name>} tensors; the
 * checkpoint's UNet file holds the merged weights, which a LoRA run must not load back on top).
 */
final class PolicyParameters {
    static final String PREFIX = "lora.";

    private PolicyParameters() {}

    /** Makes what trains trainable and returns it. */
    static List<Parameter> trainable(UNet policy) {
        if (!policy.hasLora()) {
            policy.trainable();
            return policy.parameters();
        }
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : policy.loraParameters().values()) out.add(p.trainable());
        return out;
    }

    /** Adds the adapters' values to a checkpoint's tensors (nothing without adapters). */
    static void save(UNet policy, Map<String, Tensor> tensors) {
        policy.loraParameters().forEach((name, p) -> tensors.put(PREFIX + name, p.value()));
    }

    /** Sets the adapters from a checkpoint's tensors; a missing or misshapen one fails naming it. */
    static void restore(UNet policy, Map<String, Tensor> tensors, Object checkpointDir) {
        for (var e : policy.loraParameters().entrySet()) {
            Tensor t = tensors.get(PREFIX + e.getKey());
            if (t == null) throw new DiffusionException("resume: the checkpoint in " + checkpointDir + " has no LoRA tensor " + PREFIX + e.getKey());
            if (!java.util.Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new DiffusionException("resume: LoRA tensor " + e.getKey() + " in " + checkpointDir + " has shape " + java.util.Arrays.toString(t.shape())
                        + ", this run's adapter " + java.util.Arrays.toString(e.getValue().shape()));
            }
            e.getValue().set(t);
        }
    }
}
