package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static dev.genai4j.tensor.TensorAssert.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Tensors over memory-mapped bf16 / f16 / integer segments: reads convert, writes to read-only storage fail clearly. */
class StorageTest {
    @TempDir Path dir;

    @Test
    void memoryMappedBf16IsReadableAndReadOnly() throws IOException {
        float[] values = {1, -2, 0.5f, 3, 1.5f, -0.25f};
        Path file = dir.resolve("w.bin");
        byte[] bytes = new byte[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            short b = HalfFloats.floatToBf16(values[i]);
            bytes[2 * i] = (byte) b;                 // little-endian, as safetensors
            bytes[2 * i + 1] = (byte) (b >> 8);
        }
        Files.write(file, bytes);
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes.length, arena);
            Tensor w = Tensor.wrap(new SegmentStorage(seg, DType.BF16, false), 2, 3);
            assertEquals(DType.BF16, w.dtype());
            assertFalse(w.storage().isWritable());
            assertTensor(w, new int[]{2, 3}, values);
            assertEquals(3f, w.get(1, 0));
            assertTensor(w.transpose(0, 1).select(0, 2), new int[]{2}, 0.5f, -0.25f);
            assertTensor(w.matmul(t(f(1, 1, 1), 3)), new int[]{2}, -0.5f, 4.25f);
            assertTensor(w.indexSelect(0, 1), new int[]{1, 3}, 3, 1.5f, -0.25f);
            assertTensor(w.add(1), new int[]{2, 3}, 2, -1, 1.5f, 4, 2.5f, 0.75f);
            assertTensor(w.gather(1, t(f(2, 0), 2, 1)), new int[]{2, 1}, 0.5f, 3);
            assertFails(ReadOnlyStorageException.class, () -> w.set(7f, 0, 0), "read-only", "BF16", "copy");
            Tensor c = w.copy();
            c.set(7f, 0, 0);
            assertEquals(7f, c.get(0, 0));
            assertEquals(1f, w.get(0, 0));
        }
    }

    @Test
    void writableSegmentsOfEveryDtype() {
        try (Arena arena = Arena.ofConfined()) {
            for (DType d : DType.values()) {
                MemorySegment seg = arena.allocate(4L * d.byteSize());
                Tensor x = Tensor.wrap(new SegmentStorage(seg, d, true), 4);
                float[] in = d == DType.BOOL ? f(1, 0, 1, 1) : d == DType.U8 ? f(0, 200, 3, 255) : f(-3, 0, 2, 100);
                for (int i = 0; i < 4; i++) x.set(in[i], i);
                assertTensor(x, new int[]{4}, in);
            }
            MemorySegment f16 = arena.allocate(4);
            f16.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) 0x3C00);
            f16.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, 1, (short) 0xC000);
            assertTensor(Tensor.wrap(new SegmentStorage(f16, DType.F16, false), 2), new int[]{2}, 1, -2);
        }
    }

    @Test
    void badViewsAreRejected() {
        Storage s = new FloatStorage(6);
        assertFails(ShapeException.class, () -> new Tensor(s, new int[]{2, 3}, new int[]{3, 1}, 1), "[2, 3]", "6");
        assertFails(ShapeException.class, () -> new Tensor(s, new int[]{3}, new int[]{-1}, 1), "[3]");
        assertTensor(new Tensor(s, new int[]{3}, new int[]{-2}, 5), new int[]{3}, 0, 0, 0);
        assertFails(ShapeException.class, () -> Tensor.wrap(s, 7), "6", "[7]");
        assertFails(ShapeException.class, () -> Tensor.of(new float[5], 2, 3), "5", "[2, 3]");
    }

    /** Bulk {@link Storage#read} against the element-by-element reference, every dtype, awkward offsets and lengths. */
    @Test
    void bulkReadMatchesElementReads() {
        java.util.Random rnd = new java.util.Random(7);
        for (DType dt : DType.values()) {
            int len = 1037;
            MemorySegment seg = MemorySegment.ofArray(new byte[len * dt.byteSize()]);
            for (int i = 0; i < seg.byteSize(); i++) seg.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt(256));
            SegmentStorage s = new SegmentStorage(seg, dt, false);
            for (int[] fn : new int[][]{{0, 1}, {0, 7}, {3, 33}, {1, 1000}, {0, len}, {len - 1, 1}, {5, 0}}) {
                float[] bulk = new float[fn[1] + 2];
                float[] ref = new float[fn[1] + 2];
                s.read(fn[0], bulk, 2, fn[1]);
                for (int i = 0; i < fn[1]; i++) ref[2 + i] = s.get(fn[0] + i);
                for (int i = 0; i < ref.length; i++) {
                    assertEquals(Float.floatToRawIntBits(ref[i]), Float.floatToRawIntBits(bulk[i]),
                            dt + " from " + fn[0] + " n " + fn[1] + " at " + i);
                }
            }
        }
        FloatStorage f = new FloatStorage(new float[]{1, 2, 3, 4});
        float[] out = new float[3];
        f.read(1, out, 1, 2);
        assertTensor(Tensor.of(out, 3), new int[]{3}, 0, 2, 3);
    }
}
