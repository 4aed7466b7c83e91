package dev.genai4j.io;

import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers: hand-made safetensors bytes (to break them on purpose) and tensors of any dtype. */
final class RawSafetensors {
    private RawSafetensors() {}

    /** 8-byte little-endian length of {@code header}, the header bytes, then {@code dataBytes} bytes 0, 1, 2, … */
    static byte[] bytes(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (int i = 0; i < dataBytes; i++) b.put((byte) i);
        return b.array();
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** A writable tensor of {@code dtype} over native memory, holding {@code values} (converted as the dtype stores them). */
    static Tensor tensor(DType dtype, float[] values, int... shape) {
        SegmentStorage s = new SegmentStorage(Arena.ofAuto().allocate((long) values.length * dtype.byteSize()), dtype, true);
        for (int i = 0; i < values.length; i++) s.set(i, values[i]);
        return Tensor.wrap(s, shape);
    }

    /** An I64 tensor holding exact longs (beyond float precision). */
    static Tensor longs(long[] values, int... shape) {
        var seg = Arena.ofAuto().allocate(values.length * 8L);
        for (int i = 0; i < values.length; i++) seg.setAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, i, values[i]);
        return Tensor.wrap(new SegmentStorage(seg, DType.I64, true), shape);
    }
}
