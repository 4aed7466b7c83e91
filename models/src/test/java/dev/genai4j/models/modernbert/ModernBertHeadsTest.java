package dev.genai4j.models.modernbert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Randoms;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The classification heads and the bare encoder, on the classic_fp32 fixture's encoder and head
 * with a random 3-label classifier: pooling and wiring checked against the same steps done by hand.
 */
class ModernBertHeadsTest {
    static SafetensorsWeights file;
    static Weights weights;
    static Tensor ids, mask;
    static Path dir = ModernBertFixturesTest.fixture("classic_fp32");

    @BeforeAll
    static void open() {
        file = Weights.open(dir);
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (String n : file.names()) all.put(n, file.get(n));
        Rng rng = new Rng(5);
        all.put("classifier.weight", Randoms.normal(rng, 0f, 0.2f, 3, 64));
        all.put("classifier.bias", Randoms.normal(rng, 0f, 0.2f, 3));
        weights = Weights.ofMap(all);
        // right-padded batch: row 1 has 5 tokens of 9
        ids = Tensor.of(new float[]{1, 20, 30, 40, 50, 60, 70, 80, 2, 1, 21, 31, 41, 2, 0, 0, 0, 0}, 2, 9);
        mask = Tensor.of(new float[]{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0}, 2, 9);
    }

    @AfterAll
    static void close() { file.close(); }

    static ModernBertConfig config(String pooling) {
        ObjectNode tree = JsonConfig.read(dir.resolve("config.json")).tree();
        tree.put("classifier_pooling", pooling);
        tree.put("num_labels", 3);
        return ModernBertConfig.fromJson(JsonConfig.parse(tree.toString(), "classifier config"));
    }

    /** classifier(head(x)) by hand. */
    static Tensor classify(Tensor x, ModernBertConfig c) {
        Tensor h = ModernBertPredictionHead.load(weights.sub("head"), c).forward(x);
        return h.matmul(weights.get("classifier.weight").mT()).add(weights.get("classifier.bias"));
    }

    static void assertClose(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-5f + 1e-5f * Math.abs(e[i]), "element " + i);
    }

    @Test
    void meanPoolingAveragesOnlyRealTokens() {
        ModernBertConfig c = config("mean");
        try (var g = NoGrad.enter()) {
            Tensor h = ModernBertModel.load(weights.sub("model"), c).forward(ids, mask);   // [2, 9, 64]
            float[] pooled = new float[2 * 64];
            int[] lengths = {9, 5};
            for (int b = 0; b < 2; b++)
                for (int t = 0; t < lengths[b]; t++)
                    for (int d = 0; d < 64; d++) pooled[b * 64 + d] += h.get(b, t, d) / lengths[b];
            Tensor expected = classify(Tensor.of(pooled, 2, 64), c);
            assertClose(expected, ModernBertForSequenceClassification.load(weights, c).forward(ids, mask));
        }
    }

    @Test
    void clsPoolingTakesPositionZero() {
        ModernBertConfig c = config("cls");
        try (var g = NoGrad.enter()) {
            Tensor h = ModernBertModel.load(weights.sub("model"), c).forward(ids, mask);
            Tensor expected = classify(h.select(1, 0), c);
            Tensor logits = ModernBertForSequenceClassification.load(weights, c).forward(ids, mask);
            assertArrayEquals(new int[]{2, 3}, logits.shape());
            assertClose(expected, logits);
        }
    }

    @Test
    void tokenClassificationScoresEveryPosition() {
        ModernBertConfig c = config("cls");
        try (var g = NoGrad.enter()) {
            Tensor h = ModernBertModel.load(weights.sub("model"), c).forward(ids, mask);
            Tensor logits = ModernBertForTokenClassification.load(weights, c).forward(ids, mask);
            assertArrayEquals(new int[]{2, 9, 3}, logits.shape());
            assertClose(classify(h, c), logits);
        }
    }

    @Test
    void theEncoderLoadsFromATaskCheckpointFolder() {
        try (var enc = ModernBertModel.load(dir); var mlm = ModernBertForMaskedLM.load(dir); var g = NoGrad.enter()) {
            assertClose(mlm.forward(ids, mask).lastHiddenState(), enc.forward(ids, mask));
        }
    }

    @Test
    void parameterNamesAreHfs() {
        ModernBertConfig c = config("cls");
        var names = ModernBertForMaskedLM.load(weights, c).namedParameters().keySet();
        assertTrue(names.contains("model.embeddings.tok_embeddings.weight"));
        assertTrue(names.contains("model.embeddings.norm.weight"));
        assertTrue(names.contains("model.layers.0.attn.Wqkv.weight"));
        assertTrue(names.contains("model.layers.1.attn_norm.weight"));
        assertFalse(names.contains("model.layers.0.attn_norm.weight"), "layer 0 has no attention norm");
        assertTrue(names.contains("model.layers.3.mlp.Wi.weight"));
        assertTrue(names.contains("model.layers.3.mlp.Wo.weight"));
        assertTrue(names.contains("model.final_norm.weight"));
        assertTrue(names.contains("head.dense.weight"));
        assertTrue(names.contains("head.norm.weight"));
        assertTrue(names.contains("decoder.bias"));
        assertFalse(names.contains("decoder.weight"), "tied to the token embeddings");
        // every stored tensor of the checkpoint is a parameter, and nothing else
        assertEquals(file.names(), new java.util.TreeSet<>(names));
    }
}
