package dev.genai4j.models.modernbert;

import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.nn.Losses;
import dev.genai4j.optim.AdamW;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Classifiers fine-tuned from a ForMaskedLM checkpoint: pretrained encoder and head kept, classifier fresh, and they learn. */
class ModernBertFineTuneTest {
    static final Path DIR = ModernBertFixturesTest.fixture("classic_fp32");
    static final Tensor IDS = Tensor.of(new float[]{1, 20, 30, 40, 2, 0, 1, 50, 60, 70, 80, 2, 1, 21, 2, 0, 0, 0}, 3, 6);
    static final Tensor MASK = Tensor.of(new float[]{1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, 3, 6);

    @Test
    void sequenceClassifierStartsFromThePretrainedWeightsAndLearns() {
        var clf = ModernBertForSequenceClassification.forFineTuning(DIR, 3, new Rng(9));
        var p = clf.namedParameters();
        try (SafetensorsWeights w = Weights.open(DIR)) {
            for (String n : new String[]{"model.layers.2.mlp.Wi.weight", "head.dense.weight", "model.final_norm.weight"}) {
                assertArrayEquals(w.get(n).toFloatArray(), p.get(n).value().toFloatArray(), n);
            }
        }
        assertArrayEquals(new int[]{3, 64}, p.get("classifier.weight").shape());
        assertArrayEquals(new float[3], p.get("classifier.bias").value().toFloatArray());
        for (float v : p.get("classifier.weight").value().toFloatArray()) assertTrue(Math.abs(v) <= 2.0 / 8 + 1e-6);
        assertFalse(p.containsKey("decoder.bias"), "the MLM decoder is not part of a classifier");

        Tensor labels = Tensor.of(new float[]{0, 2, 1}, 3);
        AdamW opt = new AdamW(clf.parameters(), 1e-3);
        float first = Float.NaN, last = Float.NaN;
        for (int step = 0; step < 12; step++) {
            clf.zeroGrad();
            Tensor loss = Losses.crossEntropy(clf.forward(IDS, MASK), labels);
            if (step == 0) first = loss.item();
            last = loss.item();
            loss.backward();
            opt.step();
        }
        assertTrue(last < 0.3f * first, "loss " + first + " → " + last);
    }

    @Test
    void tokenClassifierHasOneScorePerTokenAndLabel() {
        var ner = ModernBertForTokenClassification.forFineTuning(DIR, 5, new Rng(10));
        Tensor logits = ner.forward(IDS, MASK);
        assertArrayEquals(new int[]{3, 6, 5}, logits.shape());
        Tensor loss = Losses.crossEntropy(logits, Tensor.of(new float[]{-100, 1, 2, 3, -100, -100, -100, 4, 4, 0, 1, -100,
                -100, 2, -100, -100, -100, -100}, 3, 6));
        loss.backward();
        assertNotNull(ner.namedParameters().get("model.layers.1.attn.Wqkv.weight").grad());
    }
}
