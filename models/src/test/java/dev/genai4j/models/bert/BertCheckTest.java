package dev.genai4j.models.bert;

import ai.onnxruntime.OrtSession;
import dev.genai4j.io.CheckpointFolder;
import dev.genai4j.io.SafetensorsWriter;
import dev.genai4j.models.check.CheckResult;
import dev.genai4j.models.check.CheckRunner;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.EncodeOptions;
import dev.genai4j.text.Encoding;
import dev.genai4j.text.HfTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code genai4j check} on BERT cases: the committed tiny synthetic case, and a real MiniLM case made from ONNX Runtime's output. */
class BertCheckTest {
    static final Path TINY = Path.of("src/test/resources/fixtures/bert/tiny_random_fp32");

    @Test
    void committedTinyCasePasses() {
        CheckResult r = CheckRunner.check(TINY);
        r.lines().forEach(l -> System.out.println(l.format()));
        assertEquals(2, r.lines().size());
        assertTrue(r.allOk(), r.summary());
    }

    /** The fused inference path (NoGrad) and the tensor-op path (gradients on) compute the same thing, padding included. */
    @Test
    void inferenceAndAutogradPathsAgree() {
        try (BertModel m = BertModel.load(TINY)) {
            Tensor ids = Tensor.of(new float[]{2, 17, 33, 5, 48, 9, 2, 44, 7, 0, 0, 0}, 2, 6);
            Tensor mask = Tensor.of(new float[]{1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, 2, 6);
            Tensor types = Tensor.of(new float[]{0, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0}, 2, 6);
            m.trainable();
            Tensor withGrad = m.forward(ids, mask, types);
            assertTrue(withGrad.requiresGrad(), "the tensor-op path must record the tape");
            float[] a = withGrad.toFloatArray(), b;
            try (var g = dev.genai4j.tensor.NoGrad.enter()) {
                b = m.forward(ids, mask, types).toFloatArray();
            }
            double max = 0;
            for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
            assertTrue(max < 1e-5, "paths differ by " + max);
            withGrad.square().sum().backward();
            assertTrue(m.namedParameters().get("encoder.layer.0.attention.self.query.weight").grad() != null);
        }
    }

    /**
     * Inference reuses a thread's activation buffers from call to call: a larger padded batch, a
     * smaller one, then the first again give the same results, and equal a fresh thread's. Equal up
     * to rounding: the Vector API's interpreted and compiled reductions add lanes in different
     * orders, and a cold JVM compiles the kernels between these calls; a stale buffer would differ
     * by whole activations.
     */
    private static void assertNearlyEqual(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5f * (1 + Math.abs(want[i])), what + " at " + i);
    }

    @Test
    void reusedInferenceBuffersLeaveNoTraceAcrossShapesAndThreads() throws Exception {
        try (BertModel m = BertModel.load(TINY); var g = dev.genai4j.tensor.NoGrad.enter()) {
            Tensor ids = Tensor.of(new float[]{2, 17, 33, 5, 48, 9, 2, 44, 7, 0, 0, 0}, 2, 6);
            Tensor mask = Tensor.of(new float[]{1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, 2, 6);
            Tensor smallIds = Tensor.of(new float[]{3, 21, 8}, 1, 3);
            float[] first = m.forward(ids, mask, null).toFloatArray();
            float[] small = m.forward(smallIds, null, null).toFloatArray();
            float[] again = m.forward(ids, mask, null).toFloatArray();
            assertNearlyEqual(first, again, "the same batch after another shape");
            float[][] fresh = new float[2][];
            Thread t = new Thread(() -> {
                try (var g2 = dev.genai4j.tensor.NoGrad.enter()) {
                    fresh[0] = m.forward(smallIds, null, null).toFloatArray();
                    fresh[1] = m.forward(ids, mask, null).toFloatArray();
                }
            });
            t.start();
            t.join();
            assertNearlyEqual(small, fresh[0], "a fresh thread's small batch");
            assertNearlyEqual(first, fresh[1], "a fresh thread's padded batch");
            assertEquals(2 * 6 * m.config().hiddenSize(), first.length);
            assertFalse(first == again, "each call returns its own array");
        }
    }

    @Test
    void tamperedWeightFailsTheCheck(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("case");
        Files.createDirectories(dir);
        for (String f : List.of("config.json", "inputs.json", "expected.safetensors", "NOTES.md")) Files.copy(TINY.resolve(f), dir.resolve(f));
        Map<String, Tensor> w = new LinkedHashMap<>();
        try (var sw = dev.genai4j.io.Weights.open(TINY)) {
            for (String n : sw.names()) w.put(n, Tensor.of(sw.get(n).toFloatArray(), sw.get(n).shape()));
        }
        Tensor ln = w.get("encoder.layer.1.output.LayerNorm.bias");
        ln.set(ln.get(3) + 0.01f, 3);
        SafetensorsWriter.save(dir.resolve("model.safetensors"), w);
        CheckResult r = CheckRunner.check(dir);
        assertFalse(r.allOk(), "a changed bias must show in the check");
    }

    /** A case from the real all-MiniLM-L6-v2 weights, expected values from ONNX Runtime; generated here as the model is 90 MB. */
    @Test
    void realMiniLmCaseFromOnnxRuntimePasses(@TempDir Path tmp) throws Exception {
        String name = "all-minilm-l6-v2";
        Path src = RealEncoders.folder(name);
        Path dir = tmp.resolve("minilm_real_fp32");
        Files.createDirectories(dir);
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        List<String> texts = List.of("A man is eating food.", "Ein Mann isst Essen, während es regnet — très bien!",
                "The new movie is awesome", "short");
        try (HfTokenizer tok = HfTokenizer.load(src.resolve("tokenizer.json"));
             OrtSession ort = RealEncoders.session(name, 2)) {
            List<Encoding> batch = tok.encodeBatch(texts, EncodeOptions.defaults().padToLongest());
            Tensor[] in = Embedder.toTensors(batch);
            float[][][] ref = RealEncoders.ort(ort, in[0], in[1], in[2]);
            writeCase(dir, batch, ref, "all-MiniLM-L6-v2 (real weights, converted from LangChain4j's ONNX file by BertOnnxImporter)",
                    "ONNX Runtime 1.29.0 (graph optimizations off) on the same ONNX file");
        }
        CheckResult r = CheckRunner.check(dir);
        r.lines().forEach(l -> System.out.println("minilm case: " + l.format()));
        assertTrue(r.allOk(), r.summary());
    }

    /** inputs.json, expected.safetensors (padded rows NaN; sentence_embedding pooled in double from {@code hidden}), NOTES.md. */
    static void writeCase(Path dir, List<Encoding> batch, float[][][] hidden, String model, String reference) throws Exception {
        int b = hidden.length, t = hidden[0].length, h = hidden[0][0].length;
        int[][] ids = new int[b][], mask = new int[b][], types = new int[b][];
        for (int i = 0; i < b; i++) { ids[i] = batch.get(i).ids(); mask[i] = batch.get(i).attentionMask(); types[i] = batch.get(i).typeIds(); }
        double[][][] hd = new double[b][t][h];
        float[] flat = new float[b * t * h];
        for (int i = 0; i < b; i++) for (int j = 0; j < t; j++) for (int c = 0; c < h; c++) {
            hd[i][j][c] = hidden[i][j][c];
            flat[(i * t + j) * h + c] = mask[i][j] == 0 ? Float.NaN : hidden[i][j][c];
        }
        double[][] emb = BertReference.meanPoolNormalized(hd, mask);
        float[] e = new float[b * h];
        for (int i = 0; i < b; i++) for (int c = 0; c < h; c++) e[i * h + c] = (float) emb[i][c];
        Map<String, Tensor> expected = new LinkedHashMap<>();
        expected.put("last_hidden_state", Tensor.of(flat, b, t, h));
        expected.put("sentence_embedding", Tensor.of(e, b, h));
        SafetensorsWriter.save(dir.resolve("expected.safetensors"), expected);
        Files.writeString(dir.resolve("inputs.json"), "{\"input_ids\": " + json(ids) + ", \"attention_mask\": " + json(mask)
                + ", \"token_type_ids\": " + json(types) + ", \"_comment\": \"right padding with pad id 0; position_ids = arange(T)\"}\n");
        Files.writeString(dir.resolve("NOTES.md"), "BertModel (model_type bert), " + model + ".\n"
                + "Inputs: input_ids / attention_mask / token_type_ids [" + b + "," + t + "], right padded.\n"
                + "expected.safetensors: last_hidden_state [" + b + "," + t + "," + h + "] and sentence_embedding [" + b + "," + h
                + "] (mean over attention_mask, L2-normalized, computed in double from the reference hidden state).\n"
                + "Reference: " + reference + ".\n"
                + "Padded rows of last_hidden_state are NaN (implementation-defined: they attend to a few keys only and amplify rounding).\n"
                + "Tolerance: atol 1e-4, rtol 1e-3.\n");
    }

    static String json(int[][] m) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < m.length; i++) {
            sb.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < m[i].length; j++) sb.append(j == 0 ? "" : ", ").append(m[i][j]);
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    /** Rewrites the committed tiny case: {@code mvn test -Dtest=BertCheckTest -Dgenai4j.regenerate=true}. */
    @Test
    @EnabledIfSystemProperty(named = "genai4j.regenerate", matches = "true")
    void regenerateTinyCase() throws Exception {
        int vocab = 50, hidden = 32, layers = 2, heads = 4, inter = 64, maxPos = 16;
        double eps = 1e-12;
        Rng rng = new Rng(20261128);
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("embeddings.word_embeddings.weight", normal(rng, 0.2f, vocab, hidden));
        w.put("embeddings.position_embeddings.weight", normal(rng, 0.2f, maxPos, hidden));
        w.put("embeddings.token_type_embeddings.weight", normal(rng, 0.2f, 2, hidden));
        w.put("embeddings.LayerNorm.weight", normal(rng, 0.2f, hidden).add(1f));
        w.put("embeddings.LayerNorm.bias", normal(rng, 0.2f, hidden));
        for (int l = 0; l < layers; l++) {
            String p = "encoder.layer." + l + ".";
            for (String n : List.of("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense")) {
                w.put(p + n + ".weight", normal(rng, 0.2f, hidden, hidden));
                w.put(p + n + ".bias", normal(rng, 0.2f, hidden));
            }
            w.put(p + "attention.output.LayerNorm.weight", normal(rng, 0.2f, hidden).add(1f));
            w.put(p + "attention.output.LayerNorm.bias", normal(rng, 0.2f, hidden));
            w.put(p + "intermediate.dense.weight", normal(rng, 0.2f, inter, hidden));
            w.put(p + "intermediate.dense.bias", normal(rng, 0.2f, inter));
            w.put(p + "output.dense.weight", normal(rng, 0.2f, hidden, inter));
            w.put(p + "output.dense.bias", normal(rng, 0.2f, hidden));
            w.put(p + "output.LayerNorm.weight", normal(rng, 0.2f, hidden).add(1f));
            w.put(p + "output.LayerNorm.bias", normal(rng, 0.2f, hidden));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architectures", List.of("BertModel"));
        config.put("model_type", "bert");
        config.put("vocab_size", vocab);
        config.put("hidden_size", hidden);
        config.put("num_hidden_layers", layers);
        config.put("num_attention_heads", heads);
        config.put("intermediate_size", inter);
        config.put("hidden_act", "gelu");
        config.put("max_position_embeddings", maxPos);
        config.put("type_vocab_size", 2);
        config.put("layer_norm_eps", eps);
        config.put("pad_token_id", 0);
        Path dir = TINY.toAbsolutePath();
        if (Files.exists(dir)) try (var s = Files.list(dir)) { for (Path p : s.toList()) Files.delete(p); }
        Files.deleteIfExists(dir);
        CheckpointFolder.write(dir, config, w);
        int[][] ids = {{2, 17, 33, 5, 48, 9, 21, 40, 11, 3}, {2, 44, 7, 30, 12, 3, 0, 0, 0, 0}};
        int[][] mask = {{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 0, 0, 0, 0}};
        int[][] types = {{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, {0, 0, 0, 1, 1, 1, 0, 0, 0, 0}};
        Map<String, double[]> wd = new LinkedHashMap<>();
        for (var e : w.entrySet()) {
            float[] f = e.getValue().toFloatArray();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) d[i] = f[i];
            wd.put(e.getKey(), d);
        }
        double[][][] ref = BertReference.forward(wd, layers, hidden, heads, inter, eps, ids, mask, types);
        float[][][] reff = new float[ref.length][ref[0].length][hidden];
        for (int i = 0; i < ref.length; i++) for (int j = 0; j < ref[0].length; j++) for (int c = 0; c < hidden; c++) reff[i][j][c] = (float) ref[i][j][c];
        List<Encoding> batch = List.of(enc(ids[0], mask[0], types[0]), enc(ids[1], mask[1], types[1]));
        writeCase(dir, batch, reff, "tiny random weights (seed 20261128, std 0.2; norm weights 1 + N(0, 0.2)): vocab 50, hidden 32, 2 layers, 4 heads, intermediate 64, 16 positions, 2 token types",
                "BertReference, an independent double-precision BERT forward with plain loops in this project's tests (written from HF modeling_bert.py; erf by Abramowitz-Stegun 7.1.26, error <= 1.5e-7); no ONNX graph was built for this case");
    }

    private static Encoding enc(int[] ids, int[] mask, int[] types) {
        int n = ids.length;
        String[] toks = new String[n];
        java.util.Arrays.fill(toks, "");
        return new Encoding(ids, types, mask, toks, new int[n], new int[n], new int[n], false);
    }

    private static Tensor normal(Rng rng, float std, int... shape) { return Tensor.randn(rng, shape).mul(std); }
}
