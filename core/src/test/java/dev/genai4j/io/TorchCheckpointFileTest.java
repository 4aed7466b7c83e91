package dev.genai4j.io;

import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Checkpoints written by real {@code torch.save} (see {@code fixtures/torch/README.md}) load as the
 * same tensors as their safetensors twins: names, shapes, dtypes and every byte of every value.
 */
class TorchCheckpointFileTest {
    static final Path DIR = Path.of("src/test/resources/fixtures/torch");

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"pointe_grid_cond_fp32", "pointe_grid_cond_bf16"})
    void torchSaveStateDictEqualsItsSafetensorsTwin(String name) {
        try (TorchCheckpointFile pt = TorchCheckpointFile.open(DIR.resolve(name + ".pt"));
             SafetensorsFile st = SafetensorsFile.open(DIR.resolve(name + ".safetensors"))) {
            assertEquals(st.names(), pt.names());
            assertSameTensors(st.tensors(), pt.tensors());
            DType want = name.endsWith("bf16") ? DType.BF16 : DType.F32;
            assertTrue(pt.tensors().values().stream().allMatch(t -> t.dtype() == want), "all " + want);
            // stored entries are mapped, not copied: each tensor is a slice of the file's mapping
            Tensor w = pt.get("backbone.resblocks.0.attn.c_qkv.weight");
            assertArrayEquals(new int[]{192, 64}, w.shape());
            assertTrue(((SegmentStorage) w.storage()).segment().isMapped());
        }
    }

    @Test
    void wrappedStateDictWithViewsSharedStoragesAndEveryDtype() {
        try (TorchCheckpointFile pt = TorchCheckpointFile.open(DIR.resolve("views.pt"));
             SafetensorsFile want = SafetensorsFile.open(DIR.resolve("views_expected.safetensors"))) {
            // shared.col = storage.view(4, 6)[:, 1:3]: elements 1, 2, 7, 8 of 0.5 * i - 3
            // {"model": state_dict, "epoch": 3, "blob": b"...", ...}: the state dict is unwrapped, other values skipped
            assertEquals(want.names(), pt.names());
            assertSameTensors(want.tensors(), pt.tensors());
            assertArrayEquals(new int[]{5, 3}, pt.get("transposed").shape());
            assertTrue(pt.get("transposed").isContiguous(), "transposed view materialized");
            assertEquals(DType.F32, pt.get("f64").dtype());
            assertEquals(DType.I32, pt.get("i16").dtype());
            assertEquals((1L << 40) + 3, ((SegmentStorage) pt.get("i64").storage()).getLong(0));
            assertArrayEquals(new float[]{-2.5f, -2f, 0.5f, 1f}, Arrays.copyOf(pt.get("shared.col").toFloatArray(), 4));
            assertArrayEquals(new int[]{}, pt.get("scalar").shape());
            assertEquals(7.25f, pt.get("scalar").item());
            assertArrayEquals(new int[]{0, 3}, pt.get("empty").shape());
            assertArrayEquals(new int[]{0, 1}, pt.get("expanded").strides(), "a stride-0 view stays a view");
        }
    }

    @Test
    void weightsOpenReadsATorchFileByPathAndAFolderWithPytorchModelBin() throws IOException {
        Path file = Files.copy(DIR.resolve("pointe_grid_cond_fp32.pt"), tmp.resolve("model.pt"));
        try (SafetensorsWeights byFile = Weights.open(file);
             SafetensorsFile st = SafetensorsFile.open(DIR.resolve("pointe_grid_cond_fp32.safetensors"))) {
            assertEquals(st.names(), byFile.names());
            assertSameTensors(Map.of("ln_pre.weight", st.get("ln_pre.weight")), Map.of("ln_pre.weight", byFile.get("ln_pre.weight")));
        }
        Path folder = Files.createDirectories(tmp.resolve("ckpt"));
        Files.copy(DIR.resolve("pointe_grid_cond_fp32.pt"), folder.resolve("pytorch_model.bin"));
        try (SafetensorsWeights w = CheckpointFolder.open(folder).openWeights()) {
            assertEquals(List.of(folder.resolve("pytorch_model.bin")), w.files());
            Tensor proj = w.sub("backbone.resblocks.1.mlp").get("c_proj.weight", 64, 256);   // [H, 4H]
            assertEquals(DType.F32, proj.dtype());
        }
        // safetensors win when both are present
        Files.copy(DIR.resolve("pointe_grid_cond_fp32.safetensors"), folder.resolve("model.safetensors"));
        try (SafetensorsWeights w = Weights.open(folder)) {
            assertEquals(List.of(folder.resolve("model.safetensors")), w.files());
        }
    }

    @Test
    void shardedPytorchCheckpointOpensThroughItsIndex() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("sharded"));
        Files.copy(DIR.resolve("pointe_grid_cond_bf16.pt"), folder.resolve("pytorch_model-00001-of-00002.bin"));
        Files.copy(DIR.resolve("views.pt"), folder.resolve("pytorch_model-00002-of-00002.bin"));
        StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        try (TorchCheckpointFile a = TorchCheckpointFile.open(DIR.resolve("pointe_grid_cond_bf16.pt"));
             TorchCheckpointFile b = TorchCheckpointFile.open(DIR.resolve("views.pt"))) {
            a.names().forEach(n -> index.append('"').append(n).append("\": \"pytorch_model-00001-of-00002.bin\", "));
            b.names().forEach(n -> index.append('"').append(n).append("\": \"pytorch_model-00002-of-00002.bin\", "));
            index.setLength(index.length() - 2);
            Files.writeString(folder.resolve("pytorch_model.bin.index.json"), index.append("}}").toString());
            try (SafetensorsWeights w = Weights.open(folder)) {
                assertEquals(a.names().size() + b.names().size(), w.names().size());
                assertSameTensors(Map.of("ln_pre.bias", a.get("ln_pre.bias"), "transposed", b.get("transposed")),
                        Map.of("ln_pre.bias", w.get("ln_pre.bias"), "transposed", w.get("transposed")));
            }
        }
    }

    @Test
    void protocol4OpcodesAndTheOlderRebuildTensor() throws IOException {
        // FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL, BINGET and torch._utils._rebuild_tensor(storage, offset, size, stride)
        TorchZips.Pickle body = new TorchZips.Pickle(4).op(0x95, 0, 0, 0, 0, 0, 0, 0, 0);
        body.op(0x8c, 11).raw("collections").op(0x94).op(0x8c, 11).raw("OrderedDict").op(0x94).op(0x93, 0x94, ')', 'R', 0x94);
        body.op(0x8c, 1).raw("w");
        body.op(0x8c, 12).raw("torch._utils").op(0x8c, 15).raw("_rebuild_tensor").op(0x93);
        body.op('(').op('(').str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(4).op('t', 'Q');
        body.integer(1).ints(3).ints(1).op('t', 'R', 's');
        body.op(0x8c, 5).raw("again").op('h', 2, 's');   // the memoized OrderedDict class object is not a tensor: skipped
        byte[] pickle = body.stop();
        byte[] storage = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(9).putFloat(1).putFloat(2).putFloat(3).array();
        Path p = Files.write(tmp.resolve("p4.pt"), TorchZips.checkpoint(pickle, Map.of("0", storage)));
        try (TorchCheckpointFile f = TorchCheckpointFile.open(p)) {
            assertEquals(java.util.Set.of("w"), f.names());
            assertArrayEquals(new float[]{1, 2, 3}, f.get("w").toFloatArray());
        }
    }

    @Test
    void closedCheckpointUnmapsItsTensors() {
        TorchCheckpointFile pt = TorchCheckpointFile.open(DIR.resolve("pointe_grid_cond_bf16.pt"));
        Tensor t = pt.get("ln_pre.weight");
        assertTrue(Float.isFinite(t.get(0)));
        pt.close();
        pt.close();   // idempotent
        assertThrows(IllegalStateException.class, () -> t.get(0));
    }

    /** Same names, shapes and dtypes, and bit-identical values (raw bytes for every dtype). */
    static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            String name = e.getKey();
            Tensor want = e.getValue(), got = actual.get(name);
            assertNotNull(got, name);
            assertArrayEquals(want.shape(), got.shape(), name);
            assertEquals(want.dtype(), got.dtype(), name);
            if (got.isContiguous() && got.offset() == 0 && got.storage() instanceof SegmentStorage gs && want.storage() instanceof SegmentStorage ws) {
                MemorySegment a = ws.segment(), b = gs.segment().asSlice(0, (long) got.numel() * got.dtype().byteSize());
                assertEquals(-1, a.mismatch(b), name + ": bytes differ");
            } else {
                float[] a = want.toFloatArray(), b = got.toFloatArray();
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), name + "[" + i + "]");
                }
            }
        }
    }
}
