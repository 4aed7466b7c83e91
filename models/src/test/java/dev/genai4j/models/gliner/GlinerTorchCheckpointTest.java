package dev.genai4j.models.gliner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsFile;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.models.check.CheckResult;
import dev.genai4j.models.check.CheckRunner;
import dev.genai4j.tensor.SegmentStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A GLiNER folder whose weights are a {@code pytorch_model.bin} written by {@code torch.save}
 * (no {@code model.safetensors}) passes the same reference check as the safetensors case, and
 * {@link Gliner#load} finds the same entities in it. See {@code fixtures/gliner_torch/README.md}
 * for how the committed, trimmed torch file becomes the whole checkpoint here.
 */
class GlinerTorchCheckpointTest {
    static final Path CASE = GlinerFixturesTest.ROOT.resolve("bert_lstm_markerV0_fp32");
    static final Path TORCH = Path.of("src/test/resources/fixtures/gliner_torch");

    @TempDir Path tmp;

    /** The fixture folder with pytorch_model.bin (torch.save of its state dict) instead of model.safetensors. */
    private Path torchCase() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bert_lstm_markerV0_fp32_torch"));
        try (Stream<Path> files = Files.list(CASE)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("model.safetensors")) Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        String stem = "bert_lstm_markerV0_fp32.without_word_embeddings";
        JsonNode dropped = JsonConfig.read(TORCH.resolve(stem + ".json")).tree();
        byte[] embeddings;
        try (SafetensorsFile st = SafetensorsFile.open(CASE.resolve("model.safetensors"))) {
            embeddings = ((SegmentStorage) st.get(dropped.get("tensor").asText()).storage()).segment().toArray(ValueLayout.JAVA_BYTE);
        }
        try (ZipFile in = new ZipFile(TORCH.resolve(stem + ".bin").toFile());
             OutputStream os = Files.newOutputStream(dir.resolve("pytorch_model.bin"));
             ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e : Collections.list(in.entries())) {
                try (InputStream s = in.getInputStream(e)) {
                    putStored(out, e.getName(), s.readAllBytes());
                }
            }
            putStored(out, dropped.get("dropped_entry").asText(), embeddings);
        }
        return dir;
    }

    private static void putStored(ZipOutputStream out, String name, byte[] bytes) throws IOException {
        ZipEntry z = new ZipEntry(name);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        z.setMethod(ZipEntry.STORED);
        z.setSize(bytes.length);
        z.setCompressedSize(bytes.length);
        z.setCrc(crc.getValue());
        out.putNextEntry(z);
        out.write(bytes);
        out.closeEntry();
    }

    @Test
    void pytorchModelBinPassesTheSameCheck() throws IOException {
        Path dir = torchCase();
        assertFalse(Files.exists(dir.resolve("model.safetensors")));
        try (SafetensorsWeights w = Weights.open(dir);
             SafetensorsWeights reference = Weights.open(CASE)) {
            assertEquals(List.of(dir.resolve("pytorch_model.bin")), w.files());
            assertEquals(reference.names(), w.names());
        }
        CheckResult r = CheckRunner.check(dir);
        r.lines().forEach(l -> System.out.println("torch " + l.format()));
        assertEquals(4, r.lines().size(), "span_logits, words_embedding, prompts_embedding, entities");
        assertTrue(r.allOk(), r.summary());
    }

    @Test
    void glinerLoadsAPytorchModelBinFolder() throws IOException {
        Path dir = torchCase();
        String text = "Marie Curie was born in Warsaw and worked in Paris.";
        List<String> labels = List.of("person", "location", "organization");
        ExtractOptions all = ExtractOptions.defaults().withThreshold(0.0).nestedNer();
        try (Gliner fromTorch = Gliner.load(dir); Gliner fromSafetensors = Gliner.load(CASE)) {
            // a random tiny model: the entities mean nothing, but both files must give the same ones, scores included
            List<Entity> want = fromSafetensors.extract(text, labels, all);
            assertFalse(want.isEmpty());
            assertEquals(want, fromTorch.extract(text, labels, all));
        }
    }
}
