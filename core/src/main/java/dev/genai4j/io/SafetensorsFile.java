package dev.genai4j.io;

import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A memory-mapped safetensors file. The header is validated at open (see
 * {@link SafetensorsHeader}); each tensor is a read-only {@link Tensor} over a
 * {@link SegmentStorage} slice of the mapping, in the file's dtype — nothing is copied, values
 * convert to fp32 as kernels read them. Closing unmaps the file: tensors obtained from it must
 * not be used afterwards (reads then fail with {@link IllegalStateException}).
 *
 * <pre>{@code
 * try (SafetensorsFile f = SafetensorsFile.open(Path.of("model.safetensors"))) {
 *     Tensor emb = f.get("model.embed_tokens.weight");   // [V, H], bf16 on disk
 *     float x = emb.get(0, 0);
 * }
 * }</pre>
 */
public final class SafetensorsFile implements WeightsFile {
    /** Largest header accepted, as in the reference implementation: protects against absurd allocations. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final SafetensorsHeader header;
    private final long dataOffset;
    private final Map<String, Tensor> tensors;

    private SafetensorsFile(Path path, Arena arena, SafetensorsHeader header, long dataOffset, Map<String, Tensor> tensors) {
        this.path = path;
        this.arena = arena;
        this.header = header;
        this.dataOffset = dataOffset;
        this.tensors = tensors;
    }

    /**
     * Maps and validates {@code file}.
     *
     * @throws CheckpointException when the file cannot be read; {@link SafetensorsFormatException}
     *                             (or its subclass {@link UnsupportedDTypeException}) when it breaks the format
     */
    public static SafetensorsFile open(Path file) {
        // Shared: tensors are read from the Parallel pool's threads.
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new SafetensorsFormatException("safetensors file " + file + " is " + size
                        + " bytes; expected at least 8 (the little-endian header length)");
            }
            MemorySegment all = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerLength = all.get(U64_LE, 0);   // u64: negative here means >= 2^63
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw new SafetensorsFormatException("safetensors file " + file + ": header length " + Long.toUnsignedString(headerLength)
                        + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes (corrupt length field?)");
            }
            if (headerLength > size - 8) {
                throw new SafetensorsFormatException("safetensors file " + file + ": header length " + headerLength
                        + " reaches past the end of the " + size + "-byte file (truncated?)");
            }
            byte[] json = all.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
            long dataOffset = 8 + headerLength;
            SafetensorsHeader header = SafetensorsHeader.parse(json, size - dataOffset, file.toString());
            MemorySegment data = all.asSlice(dataOffset);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (SafetensorsHeader.Entry e : header.entries().values()) {
                MemorySegment slice = data.asSlice(e.begin(), e.byteLength());
                tensors.put(e.name(), Tensor.wrap(new SegmentStorage(slice, e.dtype(), false), e.shape()));
            }
            return new SafetensorsFile(file, arena, header, dataOffset, Collections.unmodifiableMap(tensors));
        } catch (NoSuchFileException e) {
            arena.close();
            throw new CheckpointException("safetensors file " + file + " does not exist", e);
        } catch (IOException e) {
            arena.close();
            throw new CheckpointException("cannot read safetensors file " + file + ": " + e, e);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    public Path path() { return path; }

    /** The validated header: dtypes, shapes and offsets of every tensor. */
    public SafetensorsHeader header() { return header; }

    /** The {@code __metadata__} strings (empty when the file has none). */
    public Map<String, String> metadata() { return header.metadata(); }

    /** Byte offset of the data area in the file (8 + header length). */
    public long dataOffset() { return dataOffset; }

    /** Tensor names, sorted. */
    public Set<String> names() { return tensors.keySet(); }

    public boolean has(String name) { return tensors.containsKey(name); }

    /** The tensor called {@code name}, a read-only view of the mapping. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new MissingWeightException("tensor '" + name + "' not found in safetensors file " + path
                    + " (it holds " + tensors.size() + " tensors)");
        }
        return t;
    }

    /** All tensors by name, sorted by name. */
    public Map<String, Tensor> tensors() { return tensors; }

    /** Unmaps the file. Idempotent. */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) arena.close();
    }
}
