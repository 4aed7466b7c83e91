package dev.genai4j.io;

import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.HalfFloats;
import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsRoundTripTest {
    @TempDir Path dir;

    private static final float[] SIX = {-2.5f, 0f, 1f, 3.25f, 100f, -0.125f};

    @Test
    void everyDTypeRoundTripsWithItsValuesAndShape() {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("f32", Tensor.of(SIX.clone(), 2, 3));
        in.put("f16", RawSafetensors.tensor(DType.F16, SIX, 3, 2));
        in.put("bf16", RawSafetensors.tensor(DType.BF16, SIX, 6));
        in.put("i64", RawSafetensors.longs(new long[]{-3, 0, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE, 7}, 2, 3));
        in.put("i32", RawSafetensors.tensor(DType.I32, new float[]{-7, 0, 1, 2, 3, 1 << 20}, 6));
        in.put("i8", RawSafetensors.tensor(DType.I8, new float[]{-128, -1, 0, 1, 127, 5}, 1, 6));
        in.put("u8", RawSafetensors.tensor(DType.U8, new float[]{0, 1, 128, 255, 7, 9}, 6, 1));
        in.put("bool", RawSafetensors.tensor(DType.BOOL, new float[]{1, 0, 0, 1, 1, 0}, 2, 3));
        in.put("scalar", Tensor.scalar(4.5f));
        in.put("empty", Tensor.zeros(0, 3));
        Path file = dir.resolve("all.safetensors");
        SafetensorsWriter.save(file, in);

        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(in.keySet().stream().sorted().toList(), List.copyOf(f.names()));
            for (Map.Entry<String, Tensor> e : in.entrySet()) {
                Tensor got = f.get(e.getKey());
                assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
                assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
                assertArrayEquals(e.getValue().toFloatArray(), got.toFloatArray(), e.getKey());
                assertFalse(got.storage().isWritable(), "mapped tensors are read-only");
            }
            SegmentStorage i64 = (SegmentStorage) f.get("i64").storage();
            assertEquals(1L << 40, i64.getLong(2));
            assertEquals(Long.MAX_VALUE, i64.getLong(3));
            assertEquals(Long.MIN_VALUE, i64.getLong(4));
            assertEquals(0, f.get("scalar").dim());
            assertEquals(4.5f, f.get("scalar").item());
        }
    }

    @Test
    void stridedViewsAreWrittenInRowMajorOrderAndExactIntegersSurviveViews() {
        Tensor m = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor ids = RawSafetensors.longs(new long[]{(1L << 40) + 1, 2, (1L << 40) + 3, 4}, 2, 2);
        Path file = dir.resolve("views.safetensors");
        SafetensorsWriter.save(file, Map.of("mT", m.mT(), "col", m.narrow(1, 1, 1), "idsT", ids.mT()));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[]{1, 4, 2, 5, 3, 6}, f.get("mT").toFloatArray());
            assertArrayEquals(new int[]{3, 2}, f.get("mT").shape());
            assertArrayEquals(new float[]{2, 5}, f.get("col").toFloatArray());
            SegmentStorage s = (SegmentStorage) f.get("idsT").storage();
            assertArrayEquals(new long[]{(1L << 40) + 1, (1L << 40) + 3, 2, 4},
                    new long[]{s.getLong(0), s.getLong(1), s.getLong(2), s.getLong(3)});
        }
    }

    @Test
    void bf16AndF16StorageRoundsToNearestTiesToEven() {
        float bf16Tie = 1f + 0x1p-8f;          // halfway between 1 and 1+2^-7: the even neighbour is 1
        float bf16TieUp = 1f + 3 * 0x1p-8f;    // halfway between 1+2^-7 (odd) and 1+2^-6 (even): goes up
        float bf16Above = 1f + 0x1p-8f + 0x1p-20f;  // just above the tie: up
        float f16Tie = 1f + 0x1p-11f;
        float f16TieUp = 1f + 3 * 0x1p-11f;
        float[] values = {bf16Tie, bf16TieUp, bf16Above, f16Tie, f16TieUp, -bf16TieUp, Float.NaN, Float.POSITIVE_INFINITY};
        Map<String, Tensor> in = Map.of("x", Tensor.of(values, 8), "ids", RawSafetensors.longs(new long[]{5, 6}, 2));

        Path bf = dir.resolve("bf16.safetensors"), hf = dir.resolve("f16.safetensors");
        new SafetensorsWriter().storeFloatsAs(DType.BF16).write(bf, in);
        new SafetensorsWriter().storeFloatsAs(DType.F16).write(hf, in);
        try (SafetensorsFile b = SafetensorsFile.open(bf); SafetensorsFile h = SafetensorsFile.open(hf)) {
            assertEquals(DType.BF16, b.get("x").dtype());
            assertEquals(DType.I64, b.get("ids").dtype(), "integer tensors keep their dtype");
            float[] gb = b.get("x").toFloatArray();
            assertEquals(1f, gb[0]);
            assertEquals(1f + 0x1p-6f, gb[1]);
            assertEquals(1f + 0x1p-7f, gb[2]);
            assertEquals(-(1f + 0x1p-6f), gb[5]);
            assertTrue(Float.isNaN(gb[6]));
            assertEquals(Float.POSITIVE_INFINITY, gb[7]);
            // raw bits, not just values: 1 + 2^-6 is 0x3F82 in bf16
            short raw = ((SegmentStorage) b.get("x").storage()).segment().get(ValueLayout.JAVA_SHORT_UNALIGNED, 2);
            assertEquals((short) 0x3F82, raw);

            assertEquals(DType.F16, h.get("x").dtype());
            float[] gh = h.get("x").toFloatArray();
            assertEquals(1f, gh[3]);
            assertEquals(1f + 0x1p-9f, gh[4]);
            assertEquals(HalfFloats.f16ToFloat(HalfFloats.floatToF16(bf16TieUp)), gh[1]);
            assertTrue(Float.isNaN(gh[6]));
        }
    }

    @Test
    void layoutMatchesTheSpecPaddedHeaderSortedContiguousData() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("zeta", Tensor.of(new float[]{1, 2}, 2));
        in.put("alpha", Tensor.of(new float[]{3}, 1));
        in.put("mid", RawSafetensors.tensor(DType.U8, new float[]{9, 8, 7}, 3));
        Path file = dir.resolve("layout.safetensors");
        new SafetensorsWriter().withMetadata(Map.of("format", "pt")).write(file, in);

        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, (8 + n) % 8, "data area starts 8-byte aligned");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals("{\"alpha\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"mid\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[4,7]},"
                + "\"zeta\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[7,15]},"
                + "\"__metadata__\":{\"format\":\"pt\"}}", header.stripTrailing());
        assertTrue(header.substring(header.stripTrailing().length()).chars().allMatch(c -> c == ' '), "padding is spaces");
        assertEquals(8 + n + 15, bytes.length);
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) (8 + n), 15).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(3f, data.getFloat());
        assertEquals(9, data.get());
        assertEquals(8, data.get());
        assertEquals(7, data.get());
        assertEquals(1f, data.getFloat());
        assertEquals(2f, data.getFloat());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(8 + n, f.dataOffset());
        }
    }

    @Test
    void emptyMapWritesAValidEmptyFile() throws IOException {
        Path file = dir.resolve("empty.safetensors");
        SafetensorsWriter.save(file, Map.of());
        assertEquals(16, Files.size(file), "8-byte length + '{}' padded to 8");
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertTrue(f.names().isEmpty());
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTempFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.save(file, Map.of("w", Tensor.of(new float[]{1, 2}, 2)));
        byte[] before = Files.readAllBytes(file);

        SafetensorsFile other = SafetensorsFile.open(file);
        Tensor dead = other.get("w");   // mapped storage, soon unmapped
        other.close();
        assertThrows(IllegalStateException.class,
                () -> new SafetensorsWriter().storeFloatsAs(DType.BF16).write(file, Map.of("a", Tensor.ones(1000), "b", dead)));

        assertArrayEquals(before, Files.readAllBytes(file));
        try (var s = Files.list(dir)) {
            assertEquals(List.of("model.safetensors"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void writerRejectsTheReservedMetadataNameAndNonFloatStorageTargets() {
        Path file = dir.resolve("x.safetensors");
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> SafetensorsWriter.save(file, Map.of("__metadata__", Tensor.ones(1))));
        assertTrue(e.getMessage().contains("reserved") && e.getMessage().contains(file.toString()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SafetensorsWriter().storeFloatsAs(DType.I8));
        assertFalse(Files.exists(file));
    }

    @Test
    void aMappedFileCanBeRewrittenInPlaceFromItsOwnTensors() {
        Path file = dir.resolve("m.safetensors");
        SafetensorsWriter.save(file, Map.of("w", Tensor.of(new float[]{0.1f, 3f}, 2)));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            // the rename leaves the old inode mapped, so reading f while writing its path is safe
            new SafetensorsWriter().storeFloatsAs(DType.BF16).write(file, f.tensors());
            assertEquals(0.1f, f.get("w").get(0));
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(DType.BF16, f.get("w").dtype());
            assertArrayEquals(new float[]{HalfFloats.roundToBf16(0.1f), 3f}, f.get("w").toFloatArray());
        }
    }

    @Test
    void rewritingReplacesTheFile() {
        Path file = dir.resolve("m.safetensors");
        SafetensorsWriter.save(file, Map.of("a", Tensor.ones(3)));
        SafetensorsWriter.save(file, Map.of("b", Tensor.full(2f, 2)));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of("b"), List.copyOf(f.names()));
            assertEquals("[2.0, 2.0]", Arrays.toString(f.get("b").toFloatArray()));
        }
    }
}
