package dev.genai4j.io;

import dev.genai4j.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@code torch.save} checkpoint ({@code pytorch_model.bin}, {@code model.pt}) opened as named
 * tensors, the way {@link SafetensorsFile} opens a safetensors file: the zip is memory-mapped, its
 * {@code data.pkl} read by the {@link RestrictedUnpickler} (which refuses every global a state dict
 * does not need, so opening a file never runs anything) and each tensor is a read-only view of its
 * storage entry. Closing unmaps the file; tensors from it must not be used afterwards.
 *
 * <p>The pickle may hold the state dict itself, or a dict that wraps it under {@code state_dict},
 * {@code model_state_dict}, {@code model} or {@code module} (training checkpoints); other nested
 * dicts of tensors are flattened with {@code .} between keys. Non-tensor values (epoch numbers,
 * {@code _metadata}) are skipped. float64 and int16 tensors are converted to F32 and I32.
 *
 * <pre>{@code
 * try (TorchCheckpointFile f = TorchCheckpointFile.open(Path.of("pytorch_model.bin"))) {
 *     Tensor w = f.get("encoder.layer.0.attention.self.query.weight");   // [H, H]
 * }
 * }</pre>
 */
public final class TorchCheckpointFile implements WeightsFile {
    /** The file name Hugging Face gives a single PyTorch checkpoint. */
    public static final String MODEL_FILE = "pytorch_model.bin";
    /** Keys under which training checkpoints keep the model's state dict. */
    private static final List<String> WRAPPER_KEYS = List.of("state_dict", "model_state_dict", "model", "module");
    private static final int MAX_NESTING = 64;

    private final Path path;
    private final Arena arena;
    private final Map<String, Tensor> tensors;

    private TorchCheckpointFile(Path path, Arena arena, Map<String, Tensor> tensors) {
        this.path = path;
        this.arena = arena;
        this.tensors = tensors;
    }

    /**
     * Maps {@code file} and reads its state dict.
     *
     * @throws UnsafePickleException    when the pickle names a global outside the allow-list (nothing is run)
     * @throws TorchCheckpointException when the zip, the pickle or a storage is malformed, or no tensors are found
     * @throws CheckpointException      when the file cannot be read
     */
    public static TorchCheckpointFile open(Path file) {
        Arena arena = Arena.ofShared();   // shared: tensors are read from the Parallel pool's threads
        try {
            TorchZipFile zip = TorchZipFile.open(file, arena);
            String archive = zip.archiveName();
            TorchTensorBuilder builder = new TorchTensorBuilder(zip, arena, bigEndian(zip));
            byte[] pickle = zip.read(archive + "/data.pkl", true).toArray(ValueLayout.JAVA_BYTE);
            Object root = RestrictedUnpickler.load(pickle, file + " (" + archive + "/data.pkl)", builder);
            return new TorchCheckpointFile(file, arena, Collections.unmodifiableMap(stateDict(root, file)));
        } catch (RuntimeException | Error e) {
            arena.close();   // no mapping outlives a failed open
            throw e;
        }
    }

    /** {@code <archive>/byteorder} ("little" or "big"); files from before it existed are little-endian. */
    private static boolean bigEndian(TorchZipFile zip) {
        String entry = zip.archiveName() + "/byteorder";
        if (!zip.has(entry)) return false;
        MemorySegment b = zip.read(entry, true);
        String order = b.byteSize() <= 16 ? new String(b.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII).strip() : "";
        return switch (order) {
            case "little" -> false;
            case "big" -> true;
            default -> throw new TorchCheckpointException("PyTorch checkpoint " + zip.path() + ": " + entry + " says '" + order
                    + "'; expected 'little' or 'big'");
        };
    }

    private static Map<String, Tensor> stateDict(Object root, Path file) {
        if (!(root instanceof Map<?, ?> top)) {
            throw new TorchCheckpointException("PyTorch checkpoint " + file + " holds " + RestrictedUnpickler.describe(root)
                    + "; expected a state dict (a dict of tensor names to tensors)");
        }
        Map<?, ?> dict = top;
        if (top.values().stream().noneMatch(v -> v instanceof Tensor)) {
            for (String k : WRAPPER_KEYS) {
                if (top.get(k) instanceof Map<?, ?> inner && inner.values().stream().anyMatch(v -> v instanceof Tensor)) {
                    dict = inner;
                    break;
                }
            }
        }
        Map<String, Tensor> out = new TreeMap<>();
        flatten(dict, "", 0, out, Collections.newSetFromMap(new IdentityHashMap<>()), file);
        if (out.isEmpty()) {
            throw new TorchCheckpointException("PyTorch checkpoint " + file + " holds a dict of " + top.size() + " entries but no tensors");
        }
        return out;
    }

    /** Each dict is visited once (a pickle can make a dict contain itself, or reach one dict by many paths). */
    private static void flatten(Map<?, ?> dict, String prefix, int depth, Map<String, Tensor> out, Set<Object> seen, Path file) {
        if (depth >= MAX_NESTING) {
            throw new TorchCheckpointException("PyTorch checkpoint " + file + ": dicts nested more than " + MAX_NESTING + " deep under '" + prefix + "'");
        }
        if (!seen.add(dict)) return;
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            String name = prefix + e.getKey();
            if (e.getValue() instanceof Tensor t) {
                if (out.putIfAbsent(name, t) != null) {
                    throw new TorchCheckpointException("PyTorch checkpoint " + file + ": two tensors are both called '" + name + "'");
                }
            } else if (e.getValue() instanceof Map<?, ?> inner) {
                flatten(inner, name + ".", depth + 1, out, seen, file);
            }
        }
    }

    @Override
    public Path path() { return path; }

    /** Tensor names, sorted. */
    public Set<String> names() { return tensors.keySet(); }

    @Override
    public boolean has(String name) { return tensors.containsKey(name); }

    /** The tensor called {@code name}. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new MissingWeightException("tensor '" + name + "' not found in PyTorch checkpoint " + path + " (it holds " + tensors.size() + " tensors)");
        }
        return t;
    }

    /** All tensors by name, sorted by name. */
    @Override
    public Map<String, Tensor> tensors() { return tensors; }

    /** Unmaps the file and frees converted copies. Idempotent. */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) arena.close();
    }
}
