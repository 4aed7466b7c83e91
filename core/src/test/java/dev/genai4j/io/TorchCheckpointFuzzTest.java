package dev.genai4j.io;

import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Seeded mutations of a real {@code torch.save} file ({@code views.pt}: views, shared storages,
 * every dtype, a wrapped state dict): of its pickle, and of the zip around it. Each variant either
 * loads (and every value of every tensor reads) or fails with a {@link TorchCheckpointException} —
 * never another exception type, an out-of-memory or a hang.
 */
class TorchCheckpointFuzzTest {
    private static final int PICKLE_VARIANTS = 400, ZIP_VARIANTS = 120;
    /** Opcodes the unpickler knows plus some it refuses, to splice into the pickle. */
    private static final int[] OPCODES = {0x80, 0x95, '.', '}', ']', ')', '(', 0x85, 0x86, 0x87, 't', 'l', 'd', '0', '1', 'J', 'K', 'M',
            0x8a, 'G', 0x88, 0x89, 'N', 'X', 0x8c, 0x8d, 'B', 'C', 0x8e, 'q', 'r', 0x94, 'h', 'j', 'c', 0x93, 'R', 'b', 'Q', 's', 'u', 'a', 'e',
            'i', 'o', 0x81, 0x92, 0x82, 'P', 0xff, 0x00};

    @TempDir Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void mutatedPicklesLoadOrFailTyped() throws IOException {
        Map<String, byte[]> entries = TorchZips.entries(TorchCheckpointRefusalTest.VIEWS);
        byte[] pickle = entries.get("views/data.pkl");
        Random rnd = new Random(20261128);
        int loaded = 0, refused = 0;
        for (int i = 0; i < PICKLE_VARIANTS; i++) {
            byte[] m = mutate(pickle, i % 5, rnd);
            Map<String, byte[]> e = new LinkedHashMap<>(entries);
            e.put("views/data.pkl", m);
            if (attempt(dir.resolve("p" + i + ".pt"), TorchZips.zip(e, true), "pickle variant " + i + " (kind " + i % 5 + ")")) loaded++;
            else refused++;
        }
        System.out.println("pickle mutations: " + loaded + " loaded, " + refused + " refused with TorchCheckpointException");
        assertTrue(refused > PICKLE_VARIANTS / 2, "most mutations break the pickle: " + refused);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void mutatedZipsLoadOrFailTyped() throws IOException {
        byte[] file = Files.readAllBytes(TorchCheckpointRefusalTest.VIEWS);
        Random rnd = new Random(7);
        int refused = 0;
        for (int i = 0; i < ZIP_VARIANTS; i++) {
            byte[] m = file.clone();
            // half the flips land in the central directory and end record (the last ~1.5 KB), where the zip structure is
            int region = i % 2 == 0 ? m.length : Math.min(m.length, 1500);
            for (int k = 0, n = 1 + rnd.nextInt(4); k < n; k++) m[m.length - 1 - rnd.nextInt(region)] = (byte) rnd.nextInt(256);
            if (!attempt(dir.resolve("z" + i + ".pt"), m, "zip variant " + i)) refused++;
        }
        assertTrue(refused > 0, "some zip mutations are refused");
    }

    /** True when the variant loaded and every value read; false when it failed with a TorchCheckpointException. */
    private static boolean attempt(Path p, byte[] bytes, String what) throws IOException {
        Files.write(p, bytes);
        try (TorchCheckpointFile f = TorchCheckpointFile.open(p)) {
            for (Tensor t : f.tensors().values()) {
                float[] v = t.toFloatArray();
                assertEquals(t.numel(), v.length, what);
            }
            return true;
        } catch (TorchCheckpointException expected) {
            assertNotNull(expected.getMessage(), what);
            return false;
        } catch (Throwable other) {
            throw new AssertionError(what + " threw " + other + " instead of a TorchCheckpointException", other);
        } finally {
            Files.delete(p);
        }
    }

    private static byte[] mutate(byte[] valid, int kind, Random rnd) {
        byte[] f = valid.clone();
        switch (kind) {
            case 0 -> {   // random bytes anywhere
                for (int k = 0, n = 1 + rnd.nextInt(3); k < n; k++) f[rnd.nextInt(f.length)] = (byte) rnd.nextInt(256);
            }
            case 1 -> {   // an opcode spliced over a byte
                f[2 + rnd.nextInt(f.length - 2)] = (byte) OPCODES[rnd.nextInt(OPCODES.length)];
            }
            case 2 -> f = Arrays.copyOf(f, rnd.nextInt(f.length));   // truncated
            case 3 -> {   // a span deleted or repeated
                int a = rnd.nextInt(f.length), b = Math.min(f.length, a + 1 + rnd.nextInt(24));
                byte[] span = Arrays.copyOfRange(f, a, b);
                byte[] out = rnd.nextBoolean() ? TorchCheckpointRefusalTest.concat(Arrays.copyOf(f, a), Arrays.copyOfRange(f, b, f.length))
                        : TorchCheckpointRefusalTest.concat(Arrays.copyOf(f, b), span, Arrays.copyOfRange(f, b, f.length));
                f = out;
            }
            default -> {  // the argument of a small-int opcode (sizes, strides, offsets, numel, memo indices)
                int start = rnd.nextInt(f.length);
                for (int i = 0; i < f.length - 1; i++) {
                    int at = (start + i) % (f.length - 1);
                    if (f[at] == 'K' || f[at] == 'h' || f[at] == 'q') {
                        f[at + 1] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : f[at + 1] + rnd.nextInt(5) - 2);
                        break;
                    }
                }
            }
        }
        return f;
    }
}
