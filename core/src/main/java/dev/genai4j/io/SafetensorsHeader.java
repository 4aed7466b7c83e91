package dev.genai4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.tensor.DType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The parsed and validated JSON header of a safetensors file: tensor entries and the optional
 * {@code __metadata__} string map. Validation follows the format's rules (and the reference
 * Rust implementation): every entry has a known dtype, a shape of non-negative integers and
 * {@code data_offsets = [begin, end]} relative to the data area, {@code end - begin} equals
 * elements × dtype size, and the entries tile the data area exactly — no overlap, no hole, no
 * unindexed trailing bytes.
 *
 * <pre>{@code
 * SafetensorsHeader h = SafetensorsHeader.parse(jsonBytes, dataAreaBytes, "model.safetensors");
 * for (SafetensorsHeader.Entry e : h.entries().values()) System.out.println(e);
 * }</pre>
 */
public final class SafetensorsHeader {
    /** The reserved key holding free-form string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    /** Valid safetensors dtypes genai4j does not compute with (named in the error, so users know the file is not corrupt). */
    private static final Set<String> KNOWN_UNSUPPORTED = Set.of(
            "F64", "I16", "U16", "U32", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64");

    /** One tensor of the header; offsets are relative to the data area (after the header). */
    public record Entry(String name, DType dtype, int[] shape, long begin, long end) {
        public int[] shape() { return shape.clone(); }
        public long byteLength() { return end - begin; }
        @Override public String toString() {
            return name + " " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
        }
    }

    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafetensorsHeader(Map<String, Entry> entries, Map<String, String> metadata) {
        this.entries = Collections.unmodifiableMap(entries);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** Entries by name, sorted by name. */
    public Map<String, Entry> entries() { return entries; }

    /** The {@code __metadata__} map (empty when absent), in file order. */
    public Map<String, String> metadata() { return metadata; }

    /**
     * Parses and validates a header.
     *
     * @param json     the header bytes (UTF-8 JSON, possibly padded with trailing spaces)
     * @param dataSize bytes after the header: the data area the offsets must tile exactly
     * @param file     names the file in errors
     */
    public static SafetensorsHeader parse(byte[] json, long dataSize, String file) {
        if (json.length == 0 || json[0] != '{') {
            throw new SafetensorsFormatException("safetensors file " + file + ": the JSON header must begin with '{' (0x7B), found "
                    + (json.length == 0 ? "an empty header" : String.format("byte 0x%02X", json[0] & 0xFF)));
        }
        JsonNode root = Json.parse(json, "the header of safetensors file " + file, SafetensorsFormatException::new);
        if (!root.isObject()) {
            throw new SafetensorsFormatException("safetensors file " + file + ": the header must be a JSON object, found " + Json.typeOf(root));
        }
        Map<String, Entry> entries = new TreeMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals(METADATA_KEY)) {
                readMetadata(value, file, metadata);
            } else {
                entries.put(name, readEntry(name, value, dataSize, file));
            }
        }
        checkTiling(entries, dataSize, file);
        return new SafetensorsHeader(entries, metadata);
    }

    private static void readMetadata(JsonNode value, String file, Map<String, String> out) {
        if (!value.isObject()) {
            throw new SafetensorsFormatException("safetensors file " + file + ": '" + METADATA_KEY
                    + "' must be an object of string values, found " + Json.typeOf(value));
        }
        for (Map.Entry<String, JsonNode> kv : value.properties()) {
            if (!kv.getValue().isTextual()) {
                throw new SafetensorsFormatException("safetensors file " + file + ": '" + METADATA_KEY + "' key '" + kv.getKey()
                        + "' must be a string, found " + Json.typeOf(kv.getValue()));
            }
            out.put(kv.getKey(), kv.getValue().textValue());
        }
    }

    private static Entry readEntry(String name, JsonNode value, long dataSize, String file) {
        String where = "safetensors file " + file + ", tensor '" + name + "': ";
        if (!value.isObject()) {
            throw new SafetensorsFormatException(where + "expected an object with dtype, shape and data_offsets, found " + Json.typeOf(value));
        }
        JsonNode dtypeNode = value.get("dtype"), shapeNode = value.get("shape"), offsetsNode = value.get("data_offsets");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new SafetensorsFormatException(where + "'dtype' must be a string, found " + Json.typeOf(dtypeNode));
        }
        String dtypeName = dtypeNode.textValue();
        DType dtype = DType.fromSafetensors(dtypeName);
        if (dtype == null) {
            throw new UnsupportedDTypeException(where + (KNOWN_UNSUPPORTED.contains(dtypeName)
                    ? "dtype " + dtypeName + " is valid safetensors but not read by genai4j"
                    : "unknown dtype \"" + Json.abbreviate(dtypeName) + "\"")
                    + "; expected one of " + Arrays.toString(DType.values()));
        }
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new SafetensorsFormatException(where + "'shape' must be an array of non-negative integers, found " + Json.typeOf(shapeNode));
        }
        int[] shape = new int[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = nonNegativeLong(shapeNode.get(i), where + "shape[" + i + "]");
            if (d > Integer.MAX_VALUE) {
                throw new SafetensorsFormatException(where + "shape[" + i + "] = " + d + " exceeds a tensor dimension's limit of " + Integer.MAX_VALUE);
            }
            shape[i] = (int) d;
            numel = multiplyOrFail(numel, d, where + "shape " + shapeNode + " overflows its element count");
        }
        if (offsetsNode == null || !offsetsNode.isArray() || offsetsNode.size() != 2) {
            throw new SafetensorsFormatException(where + "'data_offsets' must be [begin, end], found " + Json.typeOf(offsetsNode));
        }
        long begin = nonNegativeLong(offsetsNode.get(0), where + "data_offsets[0]");
        long end = nonNegativeLong(offsetsNode.get(1), where + "data_offsets[1]");
        if (begin > end) {
            throw new SafetensorsFormatException(where + "data_offsets [" + begin + ", " + end + "] must have begin <= end");
        }
        if (end > dataSize) {
            throw new SafetensorsFormatException(where + "data_offsets [" + begin + ", " + end + "] reach past the data area of "
                    + dataSize + " bytes (file truncated?)");
        }
        long bytes = multiplyOrFail(numel, dtype.byteSize(), where + "shape " + shapeNode + " × " + dtype + " overflows its byte count");
        if (bytes != end - begin) {
            throw new SafetensorsFormatException(where + "dtype " + dtype + " × shape " + Arrays.toString(shape) + " needs " + bytes
                    + " bytes, but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        // Checked after the byte-length rule so a consistent-but-huge tensor gets the clearer message.
        if (numel > Integer.MAX_VALUE - 8) {
            throw new SafetensorsFormatException(where + "shape " + Arrays.toString(shape) + " has " + numel
                    + " elements; a genai4j tensor holds at most 2^31 - 9");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long nonNegativeLong(JsonNode n, String what) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw new SafetensorsFormatException(what + " must be a non-negative integer, found " + Json.typeOf(n));
        }
        return n.longValue();
    }

    private static long multiplyOrFail(long a, long b, String message) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new SafetensorsFormatException(message, e);
        }
    }

    /** The entries, ordered by offset, must cover [0, dataSize) exactly once. */
    private static void checkTiling(Map<String, Entry> entries, long dataSize, String file) {
        List<Entry> byOffset = new ArrayList<>(entries.values());
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end).thenComparing(Entry::name));
        long covered = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin() < covered) {
                throw new SafetensorsFormatException("safetensors file " + file + ", tensor '" + e.name() + "': data_offsets ["
                        + e.begin() + ", " + e.end() + "] overlap tensor '" + previous.name() + "' [" + previous.begin() + ", "
                        + previous.end() + "]; expected begin " + covered);
            }
            if (e.begin() > covered) {
                throw new SafetensorsFormatException("safetensors file " + file + ", tensor '" + e.name() + "': data_offsets ["
                        + e.begin() + ", " + e.end() + "] leave a hole of " + (e.begin() - covered) + " bytes after "
                        + (previous == null ? "the start of the data area" : "tensor '" + previous.name() + "'")
                        + "; expected begin " + covered + " (the byte buffer must be fully indexed)");
            }
            covered = e.end();
            previous = e;
        }
        if (covered != dataSize) {
            throw new SafetensorsFormatException("safetensors file " + file + ": the data area has " + dataSize
                    + " bytes but the tensors index only " + covered + " (" + (dataSize - covered) + " unindexed trailing bytes)");
        }
    }
}
