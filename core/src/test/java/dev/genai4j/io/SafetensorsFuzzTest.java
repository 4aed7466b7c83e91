package dev.genai4j.io;

import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Seeded mutations of a valid file: each variant either loads (and every value of every tensor
 * reads) or fails with a {@link CheckpointException} — never another exception type, an OOM or a hang.
 */
class SafetensorsFuzzTest {
    @TempDir Path dir;

    private static final int PER_KIND = 130;
    private static final String[] DTYPES = {"F32", "F16", "BF16", "I64", "I32", "I8", "U8", "BOOL", "F64", "U16", "", "f32", "BF16 ", "F8_E4M3"};
    private static final String[] NUMBERS = {"0", "1", "-1", "7", "8", "2147483647", "2147483648", "4294967296", "9223372036854775807",
            "9223372036854775808", "18446744073709551615", "1e3", "2.5", "-0", "1" + "0".repeat(30), "null", "\"4\"", "[]", "{}"};

    private static byte[] validFile(Path dir) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a.f32", Tensor.of(new float[]{1, -2, 3.5f, 4, 5, 6}, 2, 3));
        t.put("b.bf16", RawSafetensors.tensor(DType.BF16, new float[]{0.5f, -1, 2, 3}, 4));
        t.put("c.f16", RawSafetensors.tensor(DType.F16, new float[]{0.25f, 8}, 1, 2));
        t.put("d.i64", RawSafetensors.longs(new long[]{1L << 40, -5, 3}, 3));
        t.put("e.i32", RawSafetensors.tensor(DType.I32, new float[]{9, -9}, 2));
        t.put("f.i8", RawSafetensors.tensor(DType.I8, new float[]{-3, 4, 5}, 3));
        t.put("g.u8", RawSafetensors.tensor(DType.U8, new float[]{200, 1}, 2, 1));
        t.put("h.bool", RawSafetensors.tensor(DType.BOOL, new float[]{1, 0, 1}, 3));
        t.put("i.scalar", Tensor.scalar(42));
        t.put("j.empty", Tensor.zeros(0, 2));
        Path p = dir.resolve("valid.safetensors");
        new SafetensorsWriter().withMetadata(Map.of("format", "pt", "note", "fuzz")).write(p, t);
        return Files.readAllBytes(p);
    }

    private static long headerLength(byte[] file) {
        return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    private static String headerText(byte[] file) {
        return new String(file, 8, (int) headerLength(file), StandardCharsets.UTF_8);
    }

    /** A file with {@code header} (its length field kept consistent) and the data area of {@code file}. */
    private static byte[] withHeader(byte[] file, String header) {
        int n = (int) headerLength(file);
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + file.length - 8 - n).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(file, 8 + n, file.length - 8 - n);
        return b.array();
    }

    /** Replaces the {@code k}-th match of {@code p} (group 1) in {@code s}. */
    private static String replaceMatch(String s, Pattern p, Random rnd, String replacement) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = p.matcher(s);
        while (m.find()) spans.add(new int[]{m.start(1), m.end(1)});
        int[] span = spans.get(rnd.nextInt(spans.size()));
        return s.substring(0, span[0]) + replacement + s.substring(span[1]);
    }

    private static final Pattern OFFSET_NUMBER = Pattern.compile("(?<=\"data_offsets\":\\[|,)(\\d+)(?=[,\\]])");
    private static final Pattern DTYPE = Pattern.compile("\"dtype\":(\"[A-Z0-9_]+\")");
    private static final Pattern SHAPE = Pattern.compile("\"shape\":(\\[[0-9,]*\\])");

    private static byte[] mutate(byte[] valid, int kind, Random rnd) {
        byte[] f = valid.clone();
        int n = (int) headerLength(valid);
        switch (kind) {
            case 0 -> {   // byte flips in the header
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) f[8 + rnd.nextInt(n)] = (byte) rnd.nextInt(256);
            }
            case 1 -> {   // byte flips anywhere, data included
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) f[rnd.nextInt(f.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            case 2 -> f = Arrays.copyOf(f, rnd.nextInt(f.length));          // truncation
            case 3 -> {   // length field changes
                ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
                switch (rnd.nextInt(4)) {
                    case 0 -> b.putLong(0, n + rnd.nextInt(33) - 16);
                    case 1 -> b.putLong(0, rnd.nextLong());
                    case 2 -> f[rnd.nextInt(8)] ^= (byte) (1 << rnd.nextInt(8));
                    default -> b.putLong(0, f.length - 8 - rnd.nextInt(4));
                }
            }
            case 4 -> {   // data_offsets edits, length field consistent
                String h = headerText(valid);
                String value = rnd.nextBoolean() ? NUMBERS[rnd.nextInt(NUMBERS.length)] : Integer.toString(rnd.nextInt(400));
                f = withHeader(valid, replaceMatch(h, OFFSET_NUMBER, rnd, value));
            }
            case 5 -> {   // dtype edits
                String h = headerText(valid);
                String value = rnd.nextInt(8) == 0 ? NUMBERS[rnd.nextInt(NUMBERS.length)] : "\"" + DTYPES[rnd.nextInt(DTYPES.length)] + "\"";
                f = withHeader(valid, replaceMatch(h, DTYPE, rnd, value));
            }
            case 6 -> {   // shape edits
                String h = headerText(valid);
                StringBuilder s = new StringBuilder("[");
                for (int d = rnd.nextInt(4); d > 0; d--) s.append(NUMBERS[rnd.nextInt(NUMBERS.length)]).append(d > 1 ? "," : "");
                String value = rnd.nextBoolean() ? s.append(']').toString() : "[" + rnd.nextInt(7) + "]";
                f = withHeader(valid, replaceMatch(h, SHAPE, rnd, value));
            }
            default -> {  // structural edits to the JSON text: delete, duplicate or insert a character
                StringBuilder h = new StringBuilder(headerText(valid));
                int at = rnd.nextInt(h.length());
                switch (rnd.nextInt(3)) {
                    case 0 -> h.deleteCharAt(at);
                    case 1 -> h.insert(at, h.charAt(rnd.nextInt(h.length())));
                    default -> h.insert(at, "{}[],:\"0-e.\\ \u00e9".charAt(rnd.nextInt(14)));
                }
                f = withHeader(valid, h.toString());
            }
        }
        return f;
    }

    /** Reads every element of every tensor, exactly as a model would. */
    private static double readEverything(SafetensorsFile f) {
        double sum = 0;
        for (Tensor t : f.tensors().values()) {
            for (float v : t.toFloatArray()) sum += Float.isFinite(v) ? v : 0;
            if (t.storage() instanceof SegmentStorage s) for (long i = 0; i < s.length(); i++) sum += s.getLong(i) & 1;
        }
        return sum + f.metadata().size();
    }

    @Test
    @Timeout(120)   // a hang guard for the parser, not a speed assertion: the loop runs in about a second
    void mutatedFilesLoadOrFailWithCheckpointException() throws IOException {
        byte[] valid = validFile(dir);
        Path target = dir.resolve("mutant.safetensors");
        Random rnd = new Random(20261128);
        int loaded = 0, rejected = 0, variants = 0;
        List<String> failures = new ArrayList<>();
        for (int kind = 0; kind < 8; kind++) {
            for (int i = 0; i < PER_KIND; i++, variants++) {
                byte[] mutant = mutate(valid, kind, rnd);
                Files.write(target, mutant);
                try (SafetensorsFile f = SafetensorsFile.open(target)) {
                    readEverything(f);
                    loaded++;
                } catch (CheckpointException e) {
                    assertNotNull(e.getMessage());
                    assertTrue(e.getMessage().contains(target.toString()), "names the file: " + e.getMessage());
                    rejected++;
                } catch (Throwable t) {   // anything else is a bug in the reader
                    if (failures.size() < 10) {
                        failures.add("kind " + kind + " variant " + i + ": " + t + "\n  header: "
                                + new String(mutant, 8, Math.max(0, Math.min(mutant.length - 8, 300)), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(variants >= 1000, "variants: " + variants);
        assertTrue(loaded >= 40 && rejected >= 500, "the mutations exercise both outcomes: loaded " + loaded + ", rejected " + rejected);
    }
}
