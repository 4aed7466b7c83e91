package dev.genai4j.models.bert;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.genai4j.models.bert.onnx.BertOnnxImporter;
import dev.genai4j.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Test access to the real encoders on the test classpath (LangChain4j's jars): the ONNX file and
 * tokenizer copied out once per JVM, our converted HF folder, and an ONNX Runtime session as reference.
 */
final class RealEncoders {
    private static final Map<String, Path> ONNX = new HashMap<>();
    private static final Map<String, Path> FOLDERS = new HashMap<>();
    private static Path root;

    private RealEncoders() {}

    /**
     * {@code target/real-encoders}: the extracted and converted models persist across test runs
     * of one build folder (converting three encoders takes tens of seconds); {@code mvn clean} removes them.
     */
    static synchronized Path tempRoot() {
        if (root == null) {
            try {
                root = Files.createDirectories(Path.of("target", "real-encoders").toAbsolutePath());
            } catch (IOException e) { throw new UncheckedIOException(e); }
        }
        return root;
    }

    static synchronized Path onnx(String name) {
        return ONNX.computeIfAbsent(name, n -> copyResource(n + ".onnx"));
    }

    static synchronized Path tokenizer(String name) { return copyResource(name + "-tokenizer.json"); }

    /** Our HF folder converted from the ONNX file (once per JVM). */
    static synchronized Path folder(String name) {
        return FOLDERS.computeIfAbsent(name, n -> {
            Path dir = tempRoot().resolve(n + "-hf");
            // the importer writes the folder atomically: if it exists, it is complete
            return Files.isRegularFile(dir.resolve("model.safetensors")) ? dir : BertOnnxImporter.importTo(onnx(n), tokenizer(n), dir);
        });
    }

    private static Path copyResource(String resource) {
        Path out = tempRoot().resolve(resource);
        if (Files.exists(out)) return out;
        try (InputStream in = RealEncoders.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("test classpath has no " + resource + " (a langchain4j-embeddings test dependency)");
            Path tmp = out.resolveSibling(resource + ".part");
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);   // never a half-copied file under the final name
            return out;
        } catch (IOException e) { throw new UncheckedIOException(e); }
    }

    /** ONNX Runtime's last_hidden_state [B, T, H] for ids / mask / types [B, T] (given as our float tensors). */
    static float[][][] ort(OrtSession s, Tensor ids, Tensor mask, Tensor types) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor a = OnnxTensor.createTensor(env, longs(ids));
             OnnxTensor b = OnnxTensor.createTensor(env, longs(mask));
             OnnxTensor c = OnnxTensor.createTensor(env, longs(types));
             OrtSession.Result r = s.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
            return (float[][][]) r.get(0).getValue();
        }
    }

    /**
     * ONNX Runtime executing the graph as written (no graph optimizations): its fused kernels
     * (LayerNorm, GELU, MatMul+Add) round differently, which padded rows, attending to a handful
     * of keys, amplify to ~1.6e-4 (measured on MiniLM; real tokens stay ~2e-6 either way).
     */
    static OrtSession session(String name, int threads) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
        return OrtEnvironment.getEnvironment().createSession(onnx(name).toString(), o);
    }

    static long[][] longs(Tensor t) {
        int b = t.size(0), n = t.size(1);
        float[] f = t.toFloatArray();
        long[][] out = new long[b][n];
        for (int i = 0; i < b; i++) for (int j = 0; j < n; j++) out[i][j] = (long) f[i * n + j];
        return out;
    }
}
