package dev.genai4j.io;

import dev.genai4j.io.TorchZips.Pickle;
import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Hand-built hostile and broken checkpoints: every one fails with a typed exception that says what
 * was refused, and nothing named in a file is run. (The malicious pickles below would run a shell
 * command under {@code torch.load(weights_only=False)}; here they must not get past GLOBAL.)
 */
class TorchCheckpointRefusalTest {
    static final Path VIEWS = TorchCheckpointFileTest.DIR.resolve("views.pt");

    @TempDir Path tmp;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    private Path checkpoint(byte[] pickle) throws IOException {
        return write("model.pt", TorchZips.checkpoint(pickle, Map.of()));
    }

    @ParameterizedTest
    @CsvSource({"os, system", "posix, system", "builtins, eval", "__builtin__, exec", "subprocess, Popen", "torch, load",
            "torch._utils, _rebuild_device_tensor_from_numpy", "collections, defaultdict"})
    void globalOutsideTheAllowListIsRefusedBeforeAnythingRuns(String module, String name) throws IOException {
        // GLOBAL module.name, ("echo pwned > /tmp/x",), REDUCE — the classic pickle payload
        byte[] pickle = new Pickle().global(module, name).str("touch " + tmp.resolve("pwned")).op(0x85, 'R').stop();
        UnsafePickleException e = assertThrows(UnsafePickleException.class, () -> TorchCheckpointFile.open(checkpoint(pickle)));
        assertTrue(e.getMessage().contains("'" + module + "." + name + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing from the file was run"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("pwned")));
    }

    @Test
    void stackGlobalIsCheckedLikeGlobal() throws IOException {
        // protocol 4: SHORT_BINUNICODE 'builtins', SHORT_BINUNICODE 'eval', STACK_GLOBAL
        byte[] pickle = concat(new byte[]{(byte) 0x80, 4, (byte) 0x8c, 8}, "builtins".getBytes(StandardCharsets.US_ASCII),
                new byte[]{(byte) 0x8c, 4}, "eval".getBytes(StandardCharsets.US_ASCII), new byte[]{(byte) 0x93, 'X', 3, 0, 0, 0, '1', '+', '1', (byte) 0x85, 'R', '.'});
        UnsafePickleException e = assertThrows(UnsafePickleException.class, () -> TorchCheckpointFile.open(checkpoint(pickle)));
        assertTrue(e.getMessage().contains("'builtins.eval'"), e.getMessage());
    }

    @Test
    void objectCreatingOpcodesAreRefused() throws IOException {
        // INST: '(' then 'i' "os\nsystem\n" — creates an instance of an arbitrary class
        byte[] inst = new Pickle().op('(').str("id").op('i').raw("os\nsystem\n").stop();
        UnsafePickleException e = assertThrows(UnsafePickleException.class, () -> TorchCheckpointFile.open(checkpoint(inst)));
        assertTrue(e.getMessage().contains("0x69 ('i')") && e.getMessage().contains("offset 10"), e.getMessage());
        // an allowed storage class used as a callable
        byte[] call = new Pickle().global("torch", "FloatStorage").op(')', 'R').stop();
        e = assertThrows(UnsafePickleException.class, () -> TorchCheckpointFile.open(checkpoint(call)));
        assertTrue(e.getMessage().contains("torch.FloatStorage"), e.getMessage());
    }

    @Test
    void unknownOpcodeIsNamedWithItsOffset() throws IOException {
        byte[] pickle = new Pickle().orderedDict().op(0xff).stop();
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpointFile.open(checkpoint(pickle)));
        assertFalse(e instanceof UnsafePickleException);
        int offset = new Pickle().orderedDict().bytes().length;
        assertTrue(e.getMessage().contains("opcode 0xff") && e.getMessage().contains("offset " + offset), e.getMessage());
    }

    @Test
    void truncatedFilesFail() throws IOException {
        byte[] valid = Files.readAllBytes(VIEWS);
        for (int keep : new int[]{0, 3, 30, valid.length / 2, valid.length - 23, valid.length - 1}) {
            Path p = write("cut" + keep + ".pt", Arrays.copyOf(valid, keep));
            TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpointFile.open(p), "kept " + keep);
            assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        }
        // the pickle itself cut short inside an opcode
        byte[] pickle = Arrays.copyOf(new Pickle().orderedDict().str("a.weight").stop(), 31);   // inside BINUNICODE's length
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpointFile.open(checkpoint(pickle)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void missingStorageEntryIsNamed() throws IOException {
        Map<String, byte[]> entries = TorchZips.entries(VIEWS);
        assertNotNull(entries.remove("views/data/3"));
        Path p = write("missing.pt", TorchZips.zip(entries, true));
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpointFile.open(p));
        assertTrue(e.getMessage().contains("no entry views/data/3"), e.getMessage());
    }

    @Test
    void corruptPickleCrcIsRefused() throws IOException {
        byte[] file = Files.readAllBytes(VIEWS);
        int at = indexOf(file, "transposed".getBytes(StandardCharsets.US_ASCII));
        file[at] = 'T';   // inside the stored data.pkl; the zip directory's CRC no longer matches
        Path p = write("crc.pt", file);
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpointFile.open(p));
        assertTrue(e.getMessage().contains("CRC-32"), e.getMessage());
    }

    @Test
    void tensorReachingPastItsStorageIsRefused() throws IOException {
        byte[] pickle = new Pickle().orderedDict().str("w").tensor("FloatStorage", "0", 6, 2, new int[]{2, 3}, new int[]{3, 1}).op('s').stop();
        Path p = write("oob.pt", TorchZips.checkpoint(pickle, Map.of("0", new byte[24])));
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpointFile.open(p));
        assertTrue(e.getMessage().contains("past the end of its storage"), e.getMessage());
        // the storage entry is smaller than the persistent id claims
        byte[] claim = new Pickle().orderedDict().str("w").tensor("FloatStorage", "0", 6, 0, new int[]{6}, new int[]{1}).op('s').stop();
        Path q = write("short.pt", TorchZips.checkpoint(claim, Map.of("0", new byte[20])));
        e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpointFile.open(q));
        assertTrue(e.getMessage().contains("archive/data/0 is 20 bytes"), e.getMessage());
    }

    @Test
    void legacyAndForeignFilesGetAClearMessage() throws IOException {
        Path legacy = write("old.bin", new byte[]{(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19, '.'});
        CheckpointException e = assertThrows(TorchCheckpointException.class, () -> Weights.open(legacy));
        assertTrue(e.getMessage().contains("legacy (pre-1.6)"), e.getMessage());
        Path zipNoPickle = write("other.pt", TorchZips.zip(Map.of("a/readme.txt", new byte[]{1}), true));
        e = assertThrows(TorchCheckpointException.class, () -> Weights.open(zipNoPickle));
        assertTrue(e.getMessage().contains("without <archive>/data.pkl"), e.getMessage());
        Path list = checkpoint(new Pickle().op(']').stop());
        e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpointFile.open(list));
        assertTrue(e.getMessage().contains("holds a list of 0; expected a state dict"), e.getMessage());
    }

    @Test
    void deflatedBigEndianAndDoubleStoragesConvert() throws IOException {
        // a state dict of one float64 [2, 2] transposed view and one float32 vector, written big-endian and deflated
        ByteBuffer d = ByteBuffer.allocate(32).order(ByteOrder.BIG_ENDIAN);
        for (double v : new double[]{1.5, -2, 3.25, 1e-3}) d.putDouble(v);
        ByteBuffer f = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN).putFloat(0.5f).putFloat(-7f).putFloat(1e20f);
        byte[] pickle = new Pickle().orderedDict()
                .str("t").tensor("DoubleStorage", "0", 4, 0, new int[]{2, 2}, new int[]{1, 2}).op('s')
                .str("v").tensor("FloatStorage", "1", 3, 1, new int[]{2}, new int[]{1}).op('s').stop();
        Map<String, byte[]> e = new LinkedHashMap<>();
        e.put("archive/data.pkl", pickle);
        e.put("archive/byteorder", "big".getBytes(StandardCharsets.US_ASCII));
        e.put("archive/data/0", d.array());
        e.put("archive/data/1", f.array());
        Path p = write("be.pt", TorchZips.zip(e, false));
        try (TorchCheckpointFile pt = TorchCheckpointFile.open(p)) {
            Tensor t = pt.get("t"), v = pt.get("v");
            assertEquals(DType.F32, t.dtype());
            assertArrayEquals(new float[]{1.5f, 3.25f, -2f, 1e-3f}, t.toFloatArray());
            assertArrayEquals(new float[]{-7f, 1e20f}, v.toFloatArray());
        }
    }

    @Test
    void unsupportedStorageDtypeIsNamed() throws IOException {
        byte[] pickle = new Pickle().orderedDict().str("c").tensor("ComplexFloatStorage", "0", 1, 0, new int[]{1}, new int[]{1}).op('s').stop();
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpointFile.open(checkpoint(pickle)));
        assertTrue(e.getMessage().contains("torch.ComplexFloatStorage are not supported"), e.getMessage());
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void selfReferenceAndSharedSubDictsAreWalkedOnce() throws IOException {
        // a dict that contains itself: no recursion without end, and no tensors in it
        byte[] self = new Pickle().op('}', 'q', 0).str("me").op('h', 0, 's').stop();
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpointFile.open(checkpoint(self)));
        assertTrue(e.getMessage().contains("no tensors"), e.getMessage());
        // d0 = {w: tensor}; d(k+1) = {a: dk, b: dk} for 40 levels: 2^40 paths to w, each dict must be walked once
        Pickle p = new Pickle().op('}').str("w").tensor("FloatStorage", "0", 1, 0, new int[]{1}, new int[]{1}).op('s', 'q', 0);
        int levels = 40;
        for (int k = 0; k < levels; k++) p.op('}', '(').str("a").op('h', k).str("b").op('h', k).op('u', 'q', k + 1);
        Path file = write("dag.pt", TorchZips.checkpoint(p.stop(), Map.of("0", new byte[4])));
        try (TorchCheckpointFile f = TorchCheckpointFile.open(file)) {
            assertEquals(1, f.names().size());
            assertEquals("a.".repeat(levels) + "w", f.names().iterator().next());
        }
        // nesting deeper than any real checkpoint is refused rather than recursed into
        Pickle deep = new Pickle().op('}').str("w").tensor("FloatStorage", "0", 1, 0, new int[]{1}, new int[]{1}).op('s');
        for (int k = 0; k < 100; k++) deep.op('q', 0, '}').str("k").op('h', 0, 's');   // {k: {k: … {w: tensor}}}
        Path deepFile = write("deep.pt", TorchZips.checkpoint(deep.stop(), Map.of("0", new byte[4])));
        e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpointFile.open(deepFile));
        assertTrue(e.getMessage().contains("nested more than 64 deep"), e.getMessage());
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) b.put(p);
        return b.array();
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }
}
