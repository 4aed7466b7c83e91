package dev.genai4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Every way a safetensors file can break the format fails with a typed error naming the file, the tensor, expected and actual. */
class SafetensorsValidationTest {
    @TempDir Path dir;

    private static final String W = "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    private <E extends CheckpointException> E fails(Class<E> type, byte[] bytes, String... fragments) throws IOException {
        Path file = RawSafetensors.write(dir, "bad.safetensors", bytes);
        E e = assertThrows(type, () -> SafetensorsFile.open(file).close());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        return e;
    }

    private <E extends CheckpointException> E fails(Class<E> type, String header, int dataBytes, String... fragments) throws IOException {
        return fails(type, RawSafetensors.bytes(header, dataBytes), fragments);
    }

    @Test
    void theValidBaselineLoads() throws IOException {
        Path file = RawSafetensors.write(dir, "ok.safetensors", RawSafetensors.bytes("{" + W + "}", 8));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(new int[]{2}, f.get("w").shape());
        }
    }

    @Test
    void missingFileAndTooShortFile() throws IOException {
        Path missing = dir.resolve("nope.safetensors");
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
        fails(SafetensorsFormatException.class, new byte[5], "5 bytes", "at least 8");
    }

    @Test
    void headerLengthBeyondTheFileOrOverTheCap() throws IOException {
        byte[] good = RawSafetensors.bytes("{" + W + "}", 8);
        ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).putLong(0, good.length);   // one past what is there
        fails(SafetensorsFormatException.class, good, "header length " + good.length, "past the end", "truncated");
        ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 100_000_001L);
        fails(SafetensorsFormatException.class, good, "100000001", "limit of 100000000");
        ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);             // u64 max
        fails(SafetensorsFormatException.class, good, "18446744073709551615", "limit");
    }

    @Test
    void invalidJson() throws IOException {
        fails(SafetensorsFormatException.class, "{\"w\":", 0, "invalid JSON");
        fails(SafetensorsFormatException.class, "[1, 2]", 0, "must begin with '{'", "0x5B");
        fails(SafetensorsFormatException.class, "   {}", 0, "must begin with '{'", "0x20");
        fails(SafetensorsFormatException.class, "{} x", 0, "invalid JSON");
        fails(SafetensorsFormatException.class, "{" + W + "," + W + "}", 8, "invalid JSON", "Duplicate");
        byte[] badUtf8 = RawSafetensors.bytes("{\"w\u00e9\":1}", 0);
        badUtf8[12] = (byte) 0xFF;
        fails(SafetensorsFormatException.class, badUtf8, "invalid JSON");
        fails(SafetensorsFormatException.class, "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 0, "invalid JSON", "nesting");
    }

    @Test
    void wrongFieldTypes() throws IOException {
        fails(SafetensorsFormatException.class, "{\"w\":[1]}", 0, "tensor 'w'", "expected an object", "array");
        fails(SafetensorsFormatException.class, "{\"w\":{\"dtype\":5,\"shape\":[2],\"data_offsets\":[0,8]}}", 8,
                "tensor 'w'", "'dtype' must be a string", "integer 5");
        fails(SafetensorsFormatException.class, "{\"w\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", 8,
                "tensor 'w'", "'shape' must be an array");
        fails(SafetensorsFormatException.class, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8,
                "tensor 'w'", "'data_offsets' must be [begin, end]", "nothing");
        fails(SafetensorsFormatException.class, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", 8,
                "tensor 'w'", "shape[0] must be a non-negative integer", "number 2.0");
        fails(SafetensorsFormatException.class, "{\"w\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", 8,
                "shape[0] must be a non-negative integer", "string");
        fails(SafetensorsFormatException.class, "{\"__metadata__\":{\"k\":1}," + W + "}", 8,
                "'__metadata__' key 'k' must be a string", "integer 1");
        fails(SafetensorsFormatException.class, "{\"__metadata__\":[]," + W + "}", 8, "'__metadata__' must be an object");
    }

    @Test
    void unknownAndUnsupportedDTypes() throws IOException {
        fails(UnsupportedDTypeException.class, "{\"w\":{\"dtype\":\"F33\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8,
                "tensor 'w'", "unknown dtype \"F33\"", "expected one of [F32, F16, BF16, I64, I32, I8, U8, BOOL]");
        fails(UnsupportedDTypeException.class, "{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8,
                "tensor 'w'", "F64 is valid safetensors but not read by genai4j");
    }

    @Test
    void negativeHugeAndOverflowingShapes() throws IOException {
        fails(SafetensorsFormatException.class, "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8,
                "tensor 'w'", "shape[0] must be a non-negative integer", "-2");
        fails(SafetensorsFormatException.class, "{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999999],\"data_offsets\":[0,8]}}", 8,
                "tensor 'w'", "shape[0] must be a non-negative integer", "99999999999999999999999");
        fails(SafetensorsFormatException.class, "{\"w\":{\"dtype\":\"F32\",\"shape\":[1" + "0".repeat(2000) + "],\"data_offsets\":[0,8]}}", 8,
                "invalid JSON", "Number value length");
        fails(SafetensorsFormatException.class, "{\"w\":{\"dtype\":\"F32\",\"shape\":[3000000000],\"data_offsets\":[0,8]}}", 8,
                "tensor 'w'", "shape[0] = 3000000000 exceeds");
        fails(SafetensorsFormatException.class,
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", 8,
                "tensor 'w'", "overflows its element count");
        fails(SafetensorsFormatException.class,
                "{\"w\":{\"dtype\":\"I64\",\"shape\":[2147483647,2147483647,2],\"data_offsets\":[0,8]}}", 8,
                "tensor 'w'", "overflows its byte count");
    }

    @Test
    void badDataOffsets() throws IOException {
        fails(SafetensorsFormatException.class, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,16]}}", 8,
                "tensor 'w'", "'data_offsets' must be [begin, end]", "array of 3");
        fails(SafetensorsFormatException.class, "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8,
                "tensor 'w'", "[8, 0] must have begin <= end");
        fails(SafetensorsFormatException.class, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", 8,
                "tensor 'w'", "data_offsets[0] must be a non-negative integer", "-8");
        fails(SafetensorsFormatException.class, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 6,
                "tensor 'w'", "[0, 8] reach past the data area of 6 bytes");
    }

    @Test
    void byteLengthMustEqualDTypeTimesShape() throws IOException {
        fails(SafetensorsFormatException.class, "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8,
                "tensor 'w'", "dtype F32 × shape [3] needs 12 bytes", "[0, 8] span 8");
        fails(SafetensorsFormatException.class, "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,4]}}", 4,
                "tensor 'w'", "needs 8 bytes", "span 4");
    }

    @Test
    void overlapHoleAndUnindexedBytes() throws IOException {
        String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        fails(SafetensorsFormatException.class,
                "{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12,
                "tensor 'b'", "[4, 12] overlap tensor 'a' [0, 8]", "expected begin 8");
        fails(SafetensorsFormatException.class,
                "{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8,
                "overlap tensor 'a'");
        fails(SafetensorsFormatException.class,
                "{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", 16,
                "tensor 'b'", "leave a hole of 4 bytes after tensor 'a'", "expected begin 8");
        fails(SafetensorsFormatException.class,
                "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8,
                "tensor 'b'", "hole of 4 bytes after the start of the data area");
        fails(SafetensorsFormatException.class, "{" + a + "}", 11,
                "data area has 11 bytes but the tensors index only 8", "3 unindexed trailing bytes");
    }

    @Test
    void zeroSizeTensorsMayShareAnOffset() throws IOException {
        String h = "{\"e1\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"e2\":{\"dtype\":\"I64\",\"shape\":[3,0],\"data_offsets\":[4,4]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[4,6]}}";
        Path file = RawSafetensors.write(dir, "zeros.safetensors", RawSafetensors.bytes(h, 6));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(0, f.get("e2").numel());
            assertArrayEquals(new int[]{3, 0}, f.get("e2").shape());
            assertArrayEquals(new float[]{4, 5}, f.get("b").toFloatArray());
        }
    }

    @Test
    void unknownTensorNameIsAMissingWeightNamingTheFile() throws IOException {
        Path file = RawSafetensors.write(dir, "ok.safetensors", RawSafetensors.bytes("{" + W + "}", 8));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            MissingWeightException e = assertThrows(MissingWeightException.class, () -> f.get("v"));
            assertTrue(e.getMessage().contains("'v'") && e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Test
    void readsAfterCloseFailInsteadOfCrashing() throws IOException {
        Path file = RawSafetensors.write(dir, "ok.safetensors", RawSafetensors.bytes("{" + W + "}", 8));
        SafetensorsFile f = SafetensorsFile.open(file);
        var w = f.get("w");
        f.close();
        f.close();   // idempotent
        assertThrows(IllegalStateException.class, () -> w.get(0));
    }
}
