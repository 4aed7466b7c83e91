package dev.genai4j.models.bert.onnx;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.Weights;
import dev.genai4j.io.onnx.OnnxFormatException;
import dev.genai4j.io.onnx.OnnxModel;
import dev.genai4j.io.onnx.OnnxTensor;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The importer on the real MiniLM files (fp32 and int8) and on things that are not BERT graphs. */
class BertOnnxImporterTest {

    static Path resource(String name, Path dir) throws IOException {
        Path out = dir.resolve(name);
        try (InputStream in = BertOnnxImporterTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("test classpath has no " + name);
            Files.copy(in, out);
        }
        return out;
    }

    @Test
    void int8ImportIsTheFp32ModelWithinHalfAQuantizationStep(@TempDir Path dir) throws IOException {
        OnnxModel fp = OnnxModel.read(resource("all-minilm-l6-v2.onnx", dir));
        OnnxModel q = OnnxModel.read(resource("all-minilm-l6-v2-q.onnx", dir));
        var a = BertOnnxImporter.convert(fp);
        var b = BertOnnxImporter.convert(q);
        assertFalse(a.dequantized());
        assertTrue(b.dequantized());
        assertEquals(a.config(), b.config());
        assertEquals(a.tensors().keySet(), b.tensors().keySet());
        // query weight of layer 0 is onnx::MatMul_787 in both files; int8 per output column
        OnnxTensor scale = q.initializers().get("onnx::MatMul_787_scale");
        double[] s = scale.toDoubles();
        Tensor wf = a.tensors().get("encoder.layer.0.attention.self.query.weight");   // [out, in]
        Tensor wq = b.tensors().get("encoder.layer.0.attention.self.query.weight");
        float[] x = wf.toFloatArray(), y = wq.toFloatArray();
        int in = wf.size(1);
        double worst = 0;
        for (int i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / s[i / in]);
        assertTrue(worst <= 0.5 + 1e-3, "dequantized weights are off by " + worst + " quantization steps");
        // the embeddings are quantized per tensor
        float[] e1 = a.tensors().get("embeddings.word_embeddings.weight").toFloatArray();
        float[] e2 = b.tensors().get("embeddings.word_embeddings.weight").toFloatArray();
        double es = q.initializers().get("embeddings.word_embeddings.weight_scale").toDoubles()[0];
        double ew = 0;
        for (int i = 0; i < e1.length; i++) ew = Math.max(ew, Math.abs(e1[i] - e2[i]));
        assertTrue(ew <= es * 0.5 + 1e-6, "embedding dequantization off by " + ew + " (step " + es + ")");
        // torch layout [out, in] and the inferred config
        assertArrayEquals(new int[]{1536, 384}, a.tensors().get("encoder.layer.3.intermediate.dense.weight").shape());
        assertArrayEquals(new int[]{384, 1536}, a.tensors().get("encoder.layer.3.output.dense.weight").shape());
        assertEquals(6, a.config().get("num_hidden_layers"));
        assertEquals(12, a.config().get("num_attention_heads"));
        assertEquals(1536, a.config().get("intermediate_size"));
        assertEquals(30522, a.config().get("vocab_size"));
        assertEquals(512, a.config().get("max_position_embeddings"));
        assertEquals(1e-12, (double) a.config().get("layer_norm_eps"), 1e-18);
    }

    @Test
    void matMulWeightIsTransposedNotCopiedAsIs(@TempDir Path dir) throws IOException {
        OnnxModel fp = OnnxModel.read(resource("all-minilm-l6-v2.onnx", dir));
        Tensor w = BertOnnxImporter.convert(fp).tensors().get("encoder.layer.0.attention.self.query.weight");   // [out, in]
        float[] stored = fp.initializers().get("onnx::MatMul_787").toFloats();                                   // [in, out]
        for (int[] io : new int[][]{{0, 1}, {5, 300}, {383, 2}}) {
            assertEquals(stored[io[0] * 384 + io[1]], w.get(io[1], io[0]));
        }
    }

    @Test
    void writesAWholeFolderAndRefusesANonEmptyOne(@TempDir Path dir) throws IOException {
        Path onnx = resource("all-minilm-l6-v2-q.onnx", dir);
        Path tok = resource("all-minilm-l6-v2-q-tokenizer.json", dir);
        Path out = BertOnnxImporter.importTo(onnx, tok, dir.resolve("minilm-q"));
        assertEquals("bert", JsonConfig.read(out.resolve("config.json")).getString("model_type"));
        assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
        try (var w = Weights.open(out)) {
            assertArrayEquals(new int[]{384, 384}, w.get("encoder.layer.5.attention.output.dense.weight").shape());
        }
        var e = assertThrows(CheckpointException.class, () -> BertOnnxImporter.importTo(onnx, tok, out));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        var noTok = assertThrows(CheckpointException.class, () -> BertOnnxImporter.importTo(onnx, dir.resolve("missing.json"), dir.resolve("x")));
        assertTrue(noTok.getMessage().contains("missing.json"), noTok.getMessage());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void aGraphWithoutBertWeightsIsRejectedByName(@TempDir Path dir) throws IOException {
        // a real ONNX file that is not a BERT graph: drop the word embeddings from MiniLM's initializers
        OnnxModel fp = OnnxModel.read(resource("all-minilm-l6-v2-q.onnx", dir));
        var inits = new java.util.LinkedHashMap<>(fp.initializers());
        inits.keySet().removeIf(k -> k.startsWith("embeddings.word_embeddings"));
        OnnxModel broken = new OnnxModel(fp.source(), fp.producer(), fp.nodes(), inits, fp.graphInputs(), fp.graphOutputs());
        var e = assertThrows(OnnxFormatException.class, () -> BertOnnxImporter.convert(broken));
        assertTrue(e.getMessage().contains("not a BERT graph") && e.getMessage().contains("embeddings.word_embeddings.weight"), e.getMessage());
    }
}
