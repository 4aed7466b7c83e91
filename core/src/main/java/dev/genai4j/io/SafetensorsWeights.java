package dev.genai4j.io;

import dev.genai4j.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@link Weights} over memory-mapped checkpoint files (one file, or the shards of a sharded
 * checkpoint): safetensors, or a PyTorch {@code pytorch_model.bin} read by the
 * {@link RestrictedUnpickler} when a folder has no safetensors (see {@link #openPath}). Closing unmaps every file; views made from it ({@link #sub}, {@link #withAlias})
 * share the files and must not be used after that.
 *
 * <pre>{@code
 * try (SafetensorsWeights w = Weights.open(Path.of("mixtral-folder"))) {   // sharded or not
 *     Tensor gate = w.sub("model.layers.0.block_sparse_moe").get("gate.weight");   // [E, H]
 * }
 * }</pre>
 */
public final class SafetensorsWeights extends Weights implements AutoCloseable {
    /** The single-file name Hugging Face writes. */
    public static final String MODEL_FILE = "model.safetensors";
    /** The index of a sharded PyTorch checkpoint (same format as the safetensors one). */
    static final String TORCH_INDEX_FILE = "pytorch_model.bin.index.json";

    private final List<WeightsFile> files;

    private SafetensorsWeights(Map<String, Tensor> tensors, String prefix, String source, List<WeightsFile> files) {
        super(tensors, prefix, source);
        this.files = files;
    }

    /**
     * See {@link Weights#open(Path)}. A folder is read from the first of {@code model.safetensors},
     * {@code model.safetensors.index.json}, {@code pytorch_model.bin} and
     * {@code pytorch_model.bin.index.json} it holds; a file by its content (see {@link WeightsFile#open}).
     */
    static SafetensorsWeights openPath(Path path) {
        if (Files.isDirectory(path)) {
            Path single = path.resolve(MODEL_FILE);
            if (Files.exists(single)) return openFiles(List.of(single), path.toString());
            Path index = path.resolve(ShardIndex.FILE_NAME);
            if (Files.exists(index)) return openSharded(ShardIndex.read(index), path.toString());
            Path torch = path.resolve(TorchCheckpointFile.MODEL_FILE);
            if (Files.exists(torch)) return openFiles(List.of(torch), path.toString());
            Path torchIndex = path.resolve(TORCH_INDEX_FILE);
            if (Files.exists(torchIndex)) return openSharded(ShardIndex.read(torchIndex), path.toString());
            throw new CheckpointException("checkpoint folder " + path + " holds neither " + MODEL_FILE + " nor "
                    + ShardIndex.FILE_NAME + " nor " + TorchCheckpointFile.MODEL_FILE + " nor " + TORCH_INDEX_FILE
                    + " (found: " + listing(path) + ")");
        }
        if (!Files.exists(path)) throw new CheckpointException("checkpoint " + path + " does not exist");
        if (path.getFileName().toString().endsWith(".index.json")) return openSharded(ShardIndex.read(path), path.toString());
        return openFiles(List.of(path), path.toString());
    }

    private static SafetensorsWeights openFiles(List<Path> paths, String source) {
        List<WeightsFile> files = new ArrayList<>();
        try {
            Map<String, Tensor> tensors = new TreeMap<>();
            Map<String, Path> owner = new LinkedHashMap<>();
            for (Path p : paths) {
                WeightsFile f = WeightsFile.open(p);
                files.add(f);
                for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
                    Path previous = owner.putIfAbsent(e.getKey(), p);
                    if (previous != null) {
                        throw new CheckpointException("checkpoint " + source + ": tensor '" + e.getKey() + "' is stored in both "
                                + previous.getFileName() + " and " + p.getFileName() + "; expected exactly one shard to hold it");
                    }
                    tensors.put(e.getKey(), e.getValue());
                }
            }
            return new SafetensorsWeights(Collections.unmodifiableMap(tensors), "", source, List.copyOf(files));
        } catch (RuntimeException | Error e) {
            for (WeightsFile f : files) f.close();   // no mapping outlives a failed open
            throw e;
        }
    }

    private static SafetensorsWeights openSharded(ShardIndex index, String source) {
        List<Path> shards = index.weightMap().values().stream().distinct().sorted().map(index::shardPath).toList();
        SafetensorsWeights w = openFiles(shards, source);
        try {
            for (Map.Entry<String, String> e : index.weightMap().entrySet()) {
                Path shard = index.shardPath(e.getValue());
                WeightsFile f = w.files.stream().filter(x -> x.path().equals(shard)).findFirst().orElseThrow();
                if (!f.has(e.getKey())) {
                    throw new CheckpointException("shard index " + index.file() + " lists tensor '" + e.getKey() + "' in "
                            + e.getValue() + ", but that shard does not hold it (it holds " + f.tensors().size() + " tensors)");
                }
            }
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        return w;
    }

    private static String listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().limit(12).toList();
            return names.isEmpty() ? "nothing" : String.join(", ", names);
        } catch (java.io.IOException e) {
            return "unlistable: " + e.getMessage();
        }
    }

    /** The mapped files, in the order they were opened. */
    public List<Path> files() {
        return files.stream().map(WeightsFile::path).toList();
    }

    @Override
    public SafetensorsWeights withAlias(String alias, String target) {
        return new SafetensorsWeights(aliased(alias, target), prefix(), source(), files);
    }

    /** Unmaps every file. Idempotent. */
    @Override
    public void close() {
        for (WeightsFile f : files) f.close();
    }
}
