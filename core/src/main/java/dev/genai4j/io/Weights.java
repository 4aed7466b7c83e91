package dev.genai4j.io;

import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A prefix-scoped view over named tensors (one or more safetensors files, a state dict):
 * {@code w.sub("model.layers." + i).sub("attn").get("Wqkv.weight")}. Missing or mis-shaped
 * tensors fail with the full name and both shapes.
 *
 * <pre>{@code
 * try (SafetensorsWeights root = Weights.open(Path.of("checkpoints/modernbert"))) {
 *     Weights w = root.withAlias("decoder.weight", "model.embeddings.tok_embeddings.weight");
 *     Tensor wqkv = w.sub("model.layers.0").sub("attn").get("Wqkv.weight", 192, 64);   // [3H, H]
 * }
 * }</pre>
 */
public class Weights {
    private final Map<String, Tensor> tensors;
    private final String prefix;
    private final String source;

    protected Weights(Map<String, Tensor> tensors, String prefix, String source) {
        this.tensors = tensors;
        this.prefix = prefix;
        this.source = source;
    }

    /** Weights over an in-memory map (tests, freshly initialized models). */
    public static Weights ofMap(Map<String, Tensor> tensors) {
        return new Weights(Collections.unmodifiableMap(new LinkedHashMap<>(tensors)), "", "in-memory weights");
    }

    /**
     * Memory-maps a checkpoint: a {@code .safetensors} file, a folder holding
     * {@code model.safetensors}, or a folder (or index file) with a sharded
     * {@code model.safetensors.index.json}; without safetensors, a PyTorch
     * {@code pytorch_model.bin} (or a {@code .bin} / {@code .pt} file) read by a restricted
     * unpickler that never runs code from the file. Close the result to unmap the files.
     *
     * @throws CheckpointException when a file is missing, unreadable or malformed
     */
    public static SafetensorsWeights open(Path fileOrFolder) {
        return SafetensorsWeights.openPath(fileOrFolder);
    }

    /**
     * A view in which {@code alias} (relative to this prefix) names the same tensor as
     * {@code target}: tied weights, e.g. {@code withAlias("lm_head.weight", "model.embed_tokens.weight")}.
     * Like HF's {@code tie_weights}, the alias shadows any stored tensor of that name.
     *
     * @throws MissingWeightException when {@code target} is absent
     */
    public Weights withAlias(String alias, String target) {
        return new Weights(aliased(alias, target), prefix, source);
    }

    /** The full name → tensor map with {@code prefix + alias} bound to the tensor of {@code prefix + target}. */
    protected final Map<String, Tensor> aliased(String alias, String target) {
        Tensor t = get(target);
        Map<String, Tensor> copy = new LinkedHashMap<>(tensors);
        copy.put(prefix + alias, t);
        return Collections.unmodifiableMap(copy);
    }

    /** The view under {@code name + "."}. */
    public Weights sub(String name) {
        return new Weights(tensors, prefix + name + ".", source);
    }

    public String prefix() { return prefix; }

    /** Where the tensors came from (file or folder), for error messages. */
    public String source() { return source; }

    public boolean has(String name) { return tensors.containsKey(prefix + name); }

    public Tensor get(String name) {
        Tensor t = tensors.get(prefix + name);
        if (t == null) {
            throw new MissingWeightException("tensor '" + prefix + name + "' not found in " + source + nearby(name));
        }
        return t;
    }

    /** The tensor, checked to have exactly {@code expectedShape}. */
    public Tensor get(String name, int... expectedShape) {
        Tensor t = get(name);
        if (!Arrays.equals(t.shape(), expectedShape)) {
            throw new ShapeException("tensor '" + prefix + name + "' in " + source + " has shape "
                    + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(expectedShape));
        }
        return t;
    }

    /** The tensor or {@code null} when absent. */
    public Tensor getOrNull(String name) { return tensors.get(prefix + name); }

    /** Full names of all tensors under this prefix, sorted, without the prefix. */
    public Set<String> names() {
        Set<String> out = new TreeSet<>();
        for (String k : tensors.keySet()) if (k.startsWith(prefix)) out.add(k.substring(prefix.length()));
        return out;
    }

    private String nearby(String name) {
        Set<String> all = names();
        if (all.isEmpty()) return " (nothing under prefix '" + prefix + "')";
        StringBuilder sb = new StringBuilder(" (under '").append(prefix).append("' there are: ");
        int n = 0;
        for (String k : all) {
            if (n++ == 8) { sb.append(", …"); break; }
            if (n > 1) sb.append(", ");
            sb.append(k);
        }
        return sb.append(')').toString();
    }
}
