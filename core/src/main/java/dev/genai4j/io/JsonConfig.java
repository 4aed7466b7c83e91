package dev.genai4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON object read from a checkpoint ({@code config.json}, {@code gliner_config.json} …) with
 * typed getters for building config records. A getter with a default returns it when the key
 * is absent or {@code null} (HF writes {@code null} for "not set"); one without fails when the
 * key is absent. A value of the wrong type always fails, with a {@link ConfigException} naming
 * the file, the key (dotted for nested objects), the expected and the found type.
 *
 * <pre>{@code
 * JsonConfig c = JsonConfig.read(Path.of("ckpt/config.json"));
 * int hidden = c.getInt("hidden_size");
 * double eps = c.getDouble("norm_eps", 1e-5);
 * boolean tie = c.getBoolean("tie_word_embeddings", true);
 * JsonConfig text = c.getObject("text_config");          // nested: errors say "text_config.…"
 * }</pre>
 */
public final class JsonConfig {
    private final ObjectNode node;
    private final String file;
    private final String keyPrefix;

    private JsonConfig(ObjectNode node, String file, String keyPrefix) {
        this.node = node;
        this.file = file;
        this.keyPrefix = keyPrefix;
    }

    /** Reads a JSON object file. */
    public static JsonConfig read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e, e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses a JSON object; {@code name} names it in errors. */
    public static JsonConfig parse(String json, String name) {
        return parse(json.getBytes(StandardCharsets.UTF_8), name);
    }

    static JsonConfig parse(byte[] json, String name) {
        JsonNode root = Json.parse(json, "config file " + name, ConfigException::new);
        if (!root.isObject()) {
            throw new ConfigException("config file " + name + ": expected a JSON object, found " + Json.typeOf(root));
        }
        return new JsonConfig((ObjectNode) root, name, "");
    }

    /** A config over plain values (maps, lists, strings, numbers, booleans), e.g. to write one. */
    public static JsonConfig of(Map<String, ?> values) {
        return new JsonConfig(Json.mapper().valueToTree(values), "in-memory config", "");
    }

    /** Names the file in messages. */
    public String file() { return file; }

    /** A copy of the JSON tree. */
    public ObjectNode tree() { return node.deepCopy(); }

    /** Keys of this object, sorted. */
    public Set<String> keys() {
        Set<String> out = new TreeSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return Collections.unmodifiableSet(out);
    }

    /** Whether {@code key} is present with a non-null value. */
    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    public int getInt(String key) { return asInt(key, required(key)); }

    public int getInt(String key, int fallback) { return has(key) ? asInt(key, node.get(key)) : fallback; }

    public long getLong(String key) { return asLong(key, required(key)); }

    public long getLong(String key, long fallback) { return has(key) ? asLong(key, node.get(key)) : fallback; }

    /** Any JSON number (integers included), or NaN/±Infinity as Python writes them. */
    public double getDouble(String key) { return asDouble(key, required(key)); }

    public double getDouble(String key, double fallback) { return has(key) ? asDouble(key, node.get(key)) : fallback; }

    public String getString(String key) { return asString(key, required(key)); }

    public String getString(String key, String fallback) { return has(key) ? asString(key, node.get(key)) : fallback; }

    public boolean getBoolean(String key) { return asBoolean(key, required(key)); }

    public boolean getBoolean(String key, boolean fallback) { return has(key) ? asBoolean(key, node.get(key)) : fallback; }

    /** An array of 32-bit integers. */
    public int[] getIntArray(String key) { return asIntArray(key, required(key)); }

    public int[] getIntArray(String key, int[] fallback) { return has(key) ? asIntArray(key, node.get(key)) : fallback; }

    /** An array of strings (e.g. {@code architectures}). */
    public List<String> getStringList(String key) { return asStringList(key, required(key)); }

    public List<String> getStringList(String key, List<String> fallback) { return has(key) ? asStringList(key, node.get(key)) : fallback; }

    /** A nested object (e.g. CLIP's {@code text_config}); errors inside it name {@code key.inner}. */
    public JsonConfig getObject(String key) {
        JsonNode v = required(key);
        if (!v.isObject()) throw wrongType(key, "an object", v);
        return new JsonConfig((ObjectNode) v, file, keyPrefix + key + ".");
    }

    /** The nested object, or {@code null} when absent or null. */
    public JsonConfig getObjectOrNull(String key) { return has(key) ? getObject(key) : null; }

    // ------------------------------------------------------------------ conversions

    private JsonNode required(String key) {
        JsonNode v = node.get(key);
        if (v == null) throw new ConfigException("config file " + file + ": required key '" + keyPrefix + key + "' is missing");
        if (v.isNull()) throw new ConfigException("config file " + file + ": key '" + keyPrefix + key + "' is null; expected a value");
        return v;
    }

    private int asInt(String key, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw wrongType(key, "a 32-bit integer", v);
        return v.intValue();
    }

    private long asLong(String key, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw wrongType(key, "a 64-bit integer", v);
        return v.longValue();
    }

    private double asDouble(String key, JsonNode v) {
        if (!v.isNumber()) throw wrongType(key, "a number", v);
        return v.doubleValue();
    }

    private String asString(String key, JsonNode v) {
        if (!v.isTextual()) throw wrongType(key, "a string", v);
        return v.textValue();
    }

    private boolean asBoolean(String key, JsonNode v) {
        if (!v.isBoolean()) throw wrongType(key, "a boolean (true/false)", v);
        return v.booleanValue();
    }

    private int[] asIntArray(String key, JsonNode v) {
        if (!v.isArray()) throw wrongType(key, "an array of integers", v);
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = v.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt()) throw wrongType(key + "[" + i + "]", "a 32-bit integer", e);
            out[i] = e.intValue();
        }
        return out;
    }

    private List<String> asStringList(String key, JsonNode v) {
        if (!v.isArray()) throw wrongType(key, "an array of strings", v);
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual()) throw wrongType(key + "[" + i + "]", "a string", e);
            out.add(e.textValue());
        }
        return List.copyOf(out);
    }

    private ConfigException wrongType(String key, String expected, JsonNode found) {
        return new ConfigException("config file " + file + ": key '" + keyPrefix + key + "' must be " + expected
                + ", found " + Json.typeOf(found));
    }

    @Override
    public String toString() { return file + (keyPrefix.isEmpty() ? "" : " [" + keyPrefix + "]") + " " + node; }
}
