package dev.genai4j.models.bert;

import ai.onnxruntime.OrtSession;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.EncodeOptions;
import dev.genai4j.text.Encoding;
import dev.genai4j.text.HfTokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our BertModel on the converted real checkpoints against ONNX Runtime on the original ONNX
 * files: last hidden states within 1e-4 absolute at every real token of a padded batch of 22
 * varied sentences (non-ASCII among them) and of one long text truncated to 512 tokens.
 */
class BertOrtParityTest {
    static final List<String> SENTENCES = List.of(
            "Hello world.",
            "The quick brown fox jumps over the lazy dog.",
            "A man is playing a guitar on the street corner while people walk by.",
            "Machine learning models can be evaluated with held-out data.",
            "What time does the train to Edinburgh leave tomorrow morning?",
            "I can't believe it's already November!",
            "Photosynthesis converts light energy into chemical energy stored in glucose.",
            "Die Straße ist nass, weil es geregnet hat.",
            "Le café était délicieux, merci beaucoup.",
            "東京は日本の首都です。",
            "Москва — столица России.",
            "El niño comió una manzana. ¿Y tú?",
            "Emoji test: 🙂🚀 are not in the vocabulary.",
            "σ = √(Σ(xᵢ − μ)² / N)",
            "public static void main(String[] args) { System.out.println(\"hi\"); }",
            "query: how much protein should a female eat",
            "passage: As a general guideline, the CDC's average requirement of protein for women ages 19 to 70 is 46 grams per day.",
            "Represent this sentence for searching relevant passages: what is a tensor?",
            "1234567890 3.14159 2026-11-28 user@example.com https://example.org/a?b=c",
            "a",
            "UPPER CASE AND lower case And MiXeD",
            "Short.");

    static String longText() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 4000; i++) sb.append(SENTENCES.get(i % SENTENCES.size())).append(' ');
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2", "bge-small-en-v1.5", "e5-small-v2"})
    void lastHiddenStateMatchesOnnxRuntime(String name) throws Exception {
        try (BertModel model = BertModel.load(RealEncoders.folder(name));
             HfTokenizer tok = HfTokenizer.load(RealEncoders.folder(name).resolve("tokenizer.json"));
             OrtSession ort = RealEncoders.session(name, 2)) {
            EncodeOptions pad = EncodeOptions.defaults().padToLongest().maxLength(512, EncodeOptions.Overflow.TRUNCATE);
            List<Encoding> batch = tok.encodeBatch(SENTENCES, pad);
            assertTrue(batch.stream().anyMatch(e -> e.realLength() < e.length()), "the batch must contain padding");
            double[] batchDiff = maxDiff(model, ort, batch);

            List<Encoding> longOne = tok.encodeBatch(List.of(longText()), pad);
            assertEquals(512, longOne.getFirst().length(), "the long text is truncated to 512 tokens");
            double[] longDiff = maxDiff(model, ort, longOne);

            System.out.printf("parity %s: max|ours-ort| padded batch %d×%d: tokens %.2e, padding %.2e; long 1×512: %.2e%n",
                    name, batch.size(), batch.getFirst().length(), batchDiff[0], batchDiff[1], longDiff[0]);
            assertTrue(batchDiff[0] <= 1e-4, name + ": padded batch (real tokens) differs from ONNX Runtime by " + batchDiff[0]);
            // Padding positions are implementation-defined (NaN in the shared fixtures): a [PAD] query
            // attending to a few keys amplifies rounding, so ORT with and without its graph
            // optimizations already differs there by ~1.6e-4 (MiniLM). Only a gross error is checked.
            assertTrue(batchDiff[1] <= 1e-2, name + ": padding positions differ from ONNX Runtime by " + batchDiff[1] + " (mask bug?)");
            assertTrue(longDiff[0] <= 1e-4, name + ": long text differs from ONNX Runtime by " + longDiff[0]);
        }
    }

    /** {max over real tokens, max over padding positions} of |ours − ORT|. */
    static double[] maxDiff(BertModel model, OrtSession ort, List<Encoding> batch) throws Exception {
        Tensor[] in = Embedder.toTensors(batch);
        float[][][] ref = RealEncoders.ort(ort, in[0], in[1], in[2]);
        float[] ours;
        int[] shape;
        try (var g = NoGrad.enter()) {
            Tensor h = model.forward(in[0], in[1], in[2]);
            ours = h.toFloatArray();
            shape = h.shape();
        }
        assertEquals(ref.length, shape[0]);
        assertEquals(ref[0].length, shape[1]);
        assertEquals(ref[0][0].length, shape[2]);
        double[] max = new double[2];
        int k = 0;
        for (int b = 0; b < ref.length; b++) {
            for (int t = 0; t < ref[b].length; t++) {
                int slot = batch.get(b).attentionMask()[t] == 1 ? 0 : 1;
                for (float v : ref[b][t]) max[slot] = Math.max(max[slot], Math.abs(v - ours[k++]));
            }
        }
        return max;
    }
}
