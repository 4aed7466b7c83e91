package dev.genai4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.FloatStorage;
import dev.genai4j.tensor.HalfFloats;
import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.Storage;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes named tensors as a safetensors file that PyTorch / HF tooling reads back: an 8-byte
 * little-endian header length, a compact JSON header (tensors by name, then {@code __metadata__})
 * padded with spaces to a multiple of 8 bytes, then each tensor's little-endian bytes
 * in the same sorted-name order with no gaps. The file is written atomically (temp file in the
 * same folder, then rename): a failed write leaves nothing behind and the old file intact.
 *
 * <p>Each tensor is stored in its own dtype unless {@link #storeFloatsAs} asks for BF16/F16
 * (rounded to nearest, ties to even); integer and bool tensors always keep theirs.
 *
 * <pre>{@code
 * new SafetensorsWriter()
 *         .withMetadata(Map.of("format", "pt"))
 *         .storeFloatsAs(DType.BF16)
 *         .write(Path.of("out/model.safetensors"), Map.of("w", Tensor.ones(2, 3)));
 * }</pre>
 */
public final class SafetensorsWriter {
    private static final int CHUNK_BYTES = 1 << 20;

    private final Map<String, String> metadata;
    private final DType floatsAs;   // null: keep each tensor's dtype

    public SafetensorsWriter() { this(Map.of(), null); }

    private SafetensorsWriter(Map<String, String> metadata, DType floatsAs) {
        this.metadata = metadata;
        this.floatsAs = floatsAs;
    }

    /** Writes {@code tensors} in their own dtypes, without metadata. */
    public static void save(Path file, Map<String, Tensor> tensors) {
        new SafetensorsWriter().write(file, tensors);
    }

    /** A writer that adds this {@code __metadata__} (string keys and values, e.g. {@code "format": "pt"}). */
    public SafetensorsWriter withMetadata(Map<String, String> metadata) {
        Map<String, String> copy = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (k == null || v == null) throw new IllegalArgumentException("safetensors metadata keys and values must not be null: " + metadata);
            copy.put(k, v);
        });
        return new SafetensorsWriter(Collections.unmodifiableMap(copy), floatsAs);
    }

    /** A writer that stores floating-point tensors as {@code dtype} (F32, BF16 or F16). */
    public SafetensorsWriter storeFloatsAs(DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("storeFloatsAs: expected F32, BF16 or F16, got " + dtype);
        }
        return new SafetensorsWriter(metadata, dtype);
    }

    /** The dtype {@code t} is stored in by this writer. */
    public DType storedDType(Tensor t) {
        return floatsAs != null && t.dtype().isFloatingPoint() ? floatsAs : t.dtype();
    }

    /** Writes {@code tensors} to {@code file} atomically, replacing any previous file. */
    public void write(Path file, Map<String, Tensor> tensors) {
        Map<String, Tensor> sorted = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new CheckpointException("cannot write " + file + ": null tensor name or tensor (" + e.getKey() + ")");
            }
            if (e.getKey().equals(SafetensorsHeader.METADATA_KEY)) {
                throw new CheckpointException("cannot write " + file + ": '" + SafetensorsHeader.METADATA_KEY
                        + "' is reserved for metadata and cannot name a tensor");
            }
            sorted.put(e.getKey(), e.getValue());
        }
        byte[] header = header(sorted, file);
        AtomicFiles.write(file, channel -> {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(header.length);
            flush(buf, channel);
            writeFully(ByteBuffer.wrap(header), channel);
            for (Tensor t : sorted.values()) writeData(t, storedDType(t), buf, channel);
            flush(buf, channel);
        });
    }

    /** The padded JSON header for tensors in sorted-name order. */
    private byte[] header(Map<String, Tensor> sorted, Path file) {
        ObjectNode root = Json.mapper().createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            Tensor t = e.getValue();
            DType dtype = storedDType(t);
            long bytes = (long) t.numel() * dtype.byteSize();
            ObjectNode entry = root.putObject(e.getKey());
            entry.put("dtype", dtype.safetensorsName());
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        // Last, as the reference (Rust) writer puts it: a single-dtype state dict then comes out byte-identical.
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        byte[] json;
        try {
            json = Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new CheckpointException("cannot write " + file + ": header serialization failed: " + e.getMessage(), e);
        }
        // Pad so the data area starts 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) & ~7;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeData(Tensor t, DType dtype, ByteBuffer buf, FileChannel channel) throws IOException {
        int n = t.numel();
        if (n == 0) return;
        Storage storage = t.storage();
        if (storage instanceof SegmentStorage seg && seg.dtype() == dtype && t.isContiguous()) {
            // Same dtype, dense: the bytes are already in safetensors layout.
            flush(buf, channel);
            MemorySegment bytes = seg.segment().asSlice((long) t.offset() * dtype.byteSize(), (long) n * dtype.byteSize());
            // a ByteBuffer holds at most 2 GiB: copy big tensors in slices
            for (long at = 0; at < bytes.byteSize(); at += 1L << 30) {
                writeFully(bytes.asSlice(at, Math.min(1L << 30, bytes.byteSize() - at)).asByteBuffer(), channel);
            }
            return;
        }
        ElementOffsets offsets = new ElementOffsets(t.shape(), t.strides(), t.offset());
        boolean exactIntegers = (dtype == DType.I64 || dtype == DType.I32) && storage instanceof SegmentStorage;
        for (int i = 0; i < n; i++) {
            if (buf.remaining() < 8) flush(buf, channel);
            long at = offsets.next();
            if (exactIntegers) {
                long v = ((SegmentStorage) storage).getLong(at);
                if (dtype == DType.I64) buf.putLong(v); else buf.putInt((int) v);
                continue;
            }
            float v = storage instanceof FloatStorage fs ? fs.array()[(int) at] : storage.get(at);
            switch (dtype) {
                case F32 -> buf.putFloat(v);
                case BF16 -> buf.putShort(HalfFloats.floatToBf16(v));
                case F16 -> buf.putShort(HalfFloats.floatToF16(v));
                case I64 -> buf.putLong((long) v);
                case I32 -> buf.putInt((int) v);
                case I8 -> buf.put((byte) v);
                case U8 -> buf.put((byte) (int) v);
                case BOOL -> buf.put((byte) (v != 0 ? 1 : 0));
            }
        }
    }

    private static void flush(ByteBuffer buf, FileChannel channel) throws IOException {
        buf.flip();
        writeFully(buf, channel);
        buf.clear();
    }

    private static void writeFully(ByteBuffer src, FileChannel channel) throws IOException {
        while (src.hasRemaining()) channel.write(src);
    }

    /** Storage offsets of a strided tensor's elements in row-major order. */
    private static final class ElementOffsets {
        private final int[] shape, strides, counter;
        private long offset;
        private boolean started;

        ElementOffsets(int[] shape, int[] strides, int offset) {
            this.shape = shape;
            this.strides = strides;
            this.counter = new int[shape.length];
            this.offset = offset;
        }

        long next() {
            if (!started) {
                started = true;
                return offset;
            }
            for (int d = shape.length - 1; d >= 0; d--) {
                counter[d]++;
                offset += strides[d];
                if (counter[d] < shape[d]) return offset;
                offset -= (long) strides[d] * shape[d];
                counter[d] = 0;
            }
            return offset;
        }
    }
}
