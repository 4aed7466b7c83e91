package dev.genai4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genai4j.tensor.DType;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Real safetensors files written by the reference tooling: the copy in test resources, and every shared fixture when present. */
class CheckpointFixturesTest {
    @TempDir Path tmp;

    private static Path resourceCase() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(CheckpointFixturesTest.class.getResource("/fixtures/modernbert/classic_bf16/model.safetensors"),
                "test resource fixtures/modernbert/classic_bf16 missing").toURI()).getParent();
    }

    /** fp32 value of BF16 element {@code index} of {@code name}, from the raw file bytes parsed independently of our reader. */
    private static float rawBf16(byte[] file, JsonNode header, long dataStart, String name, int index) {
        long begin = header.get(name).get("data_offsets").get(0).asLong();
        int at = (int) (dataStart + begin + 2L * index);
        int bits = (file[at] & 0xFF) | (file[at + 1] & 0xFF) << 8;     // little-endian u16
        return Float.intBitsToFloat(bits << 16);                        // bf16 is the top half of an fp32
    }

    @Test
    void theBf16ResourceCaseReadsTheValuesItsBytesHold() throws Exception {
        Path folder = resourceCase();
        byte[] bytes = Files.readAllBytes(folder.resolve("model.safetensors"));
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, java.nio.charset.StandardCharsets.UTF_8));

        CheckpointFolder ckpt = CheckpointFolder.open(folder);
        JsonConfig config = ckpt.config();
        assertEquals(64, config.getInt("hidden_size"));
        assertEquals("bfloat16", config.getString("torch_dtype"));
        assertTrue(config.getBoolean("tie_word_embeddings"));

        try (SafetensorsWeights root = ckpt.openWeights()) {
            Weights w = root.withAlias("decoder.weight", "model.embeddings.tok_embeddings.weight");
            assertEquals(header.size() - 1, root.names().size(), "every header entry but __metadata__ is a tensor");
            Tensor emb = w.get("model.embeddings.tok_embeddings.weight", 128, 64);   // [V, H]
            assertEquals(DType.BF16, emb.dtype());
            assertSame(emb, w.get("decoder.weight", 128, 64));

            // values computed outside Java from the same bytes (python struct): bits 0x3E2D, 0x3EAD, 0x3E4C, 0x3F3D
            assertEquals(0.1689453125f, emb.get(5, 7));
            assertEquals(0.337890625f, w.sub("head.dense").get("weight").get(63, 63));
            assertEquals(0.19921875f, w.get("decoder.bias").get(0));
            assertEquals(0.73828125f, w.sub("model.layers.3").get("mlp_norm.weight").get(10));

            int checked = 0;
            for (String name : root.names()) {
                Tensor t = root.get(name);
                assertEquals(DType.BF16, t.dtype(), name);
                float[] values = t.toFloatArray();
                for (int i : new int[]{0, values.length / 2, values.length - 1}) {
                    assertEquals(rawBf16(bytes, header, 8 + n, name, i), values[i], name + "[" + i + "]");
                    checked++;
                }
            }
            assertEquals(3 * 29, checked);
            Tensor wqkv = root.get("model.layers.0.attn.Wqkv.weight");   // [3H, H]: every element
            float[] all = wqkv.toFloatArray();
            for (int i = 0; i < all.length; i++) assertEquals(rawBf16(bytes, header, 8 + n, "model.layers.0.attn.Wqkv.weight", i), all[i]);
        }
    }

    @Test
    void rewritingTheReferenceFileIsByteIdentical() throws Exception {
        Path original = resourceCase().resolve("model.safetensors");
        Path copy = tmp.resolve("model.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(original)) {
            new SafetensorsWriter().withMetadata(f.metadata()).write(copy, f.tensors());
            assertEquals(Map.of("format", "pt"), f.metadata());
        }
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy),
                "same header text, padding and data as the reference writer");
    }

    /** {@code shared/fixtures} beside the repository (CI lays it next to the clone): searched upwards from the working folder. */
    private static Path sharedFixtures() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) return candidate;
        }
        return null;
    }

    @Test
    void everySharedFixtureModelLoadsWithConsistentSizesAndFiniteValues() throws IOException {
        Path root = sharedFixtures();
        Assumptions.assumeTrue(root != null, "no shared/fixtures folder beside the repository");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.getFileName().toString().equals("model.safetensors")).sorted().toList();
        }
        Assumptions.assumeFalse(files.isEmpty(), "shared/fixtures holds no model.safetensors");
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                assertFalse(f.names().isEmpty(), file + " holds no tensor");
                for (String name : f.names()) {
                    Tensor t = f.get(name);
                    SafetensorsHeader.Entry e = f.header().entries().get(name);
                    assertEquals((long) t.numel() * t.dtype().byteSize(), e.byteLength(), file + " " + name);
                    if (!t.dtype().isFloatingPoint()) continue;
                    float[] v = t.toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        if (!Float.isFinite(v[i])) {
                            problems.add(file + " " + name + "[" + i + "] = " + v[i]);
                            break;
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }
}
