package dev.genai4j.io;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sharded checkpoint's {@code model.safetensors.index.json}: {@code weight_map} sends each
 * tensor name to the shard file that holds it. Shard names must be plain file names in the
 * index's folder (no paths: an index must not make us open files elsewhere) and must exist.
 */
record ShardIndex(Path file, Map<String, String> weightMap) {
    static final String FILE_NAME = "model.safetensors.index.json";
    private static final long MAX_BYTES = 100_000_000L;

    /** The shard file that holds {@code shardName}, in the index's folder. */
    Path shardPath(String shardName) {
        return file.toAbsolutePath().getParent().resolve(shardName);
    }

    static ShardIndex read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new CheckpointException("shard index " + file + " is " + size + " bytes; expected at most " + MAX_BYTES);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException("shard index " + file + " does not exist", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot read shard index " + file + ": " + e, e);
        }
        JsonNode root = Json.parse(bytes, "shard index " + file, CheckpointException::new);
        JsonNode map = root.get("weight_map");
        if (!root.isObject() || map == null || !map.isObject()) {
            throw new CheckpointException("shard index " + file + ": expected an object with a 'weight_map' object, found "
                    + (root.isObject() ? "'weight_map' = " + Json.typeOf(map) : Json.typeOf(root)));
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            JsonNode v = e.getValue();
            if (!v.isTextual() || !isPlainFileName(v.textValue())) {
                throw new CheckpointException("shard index " + file + ": weight_map['" + e.getKey()
                        + "'] must be a shard file name in the same folder, found " + Json.typeOf(v));
            }
            weightMap.put(e.getKey(), v.textValue());
        }
        ShardIndex index = new ShardIndex(file, Collections.unmodifiableMap(weightMap));
        for (String shard : weightMap.values()) {
            if (!Files.isRegularFile(index.shardPath(shard))) {
                String example = weightMap.entrySet().stream().filter(x -> x.getValue().equals(shard)).findFirst().orElseThrow().getKey();
                throw new CheckpointException("shard index " + file + ": shard file " + shard + " (holding e.g. '" + example
                        + "') does not exist in " + index.shardPath(shard).getParent());
            }
        }
        return index;
    }

    private static boolean isPlainFileName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    }
}
