package dev.genai4j.models.modernbert;

import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.nn.Losses;
import dev.genai4j.nn.Reduction;
import dev.genai4j.optim.AdamW;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The Tensor-op (autograd) path: gradients against finite differences, the decoder tie, and learning. */
class ModernBertTrainingTest {
    static final Path DIR = ModernBertFixturesTest.fixture("classic_fp32");
    // padded batch; the ids avoid token 100, whose embedding row then gets gradient only through the tied decoder
    static final Tensor IDS = Tensor.of(new float[]{1, 20, 4, 40, 50, 4, 70, 80, 2, 1, 21, 4, 41, 2, 0, 0, 0, 0}, 2, 9);
    static final Tensor MASK = Tensor.of(new float[]{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0}, 2, 9);
    static final Tensor LABELS = Tensor.of(new float[]{-100, -100, 30, -100, -100, 60, -100, -100, -100,
            -100, -100, 31, -100, -100, -100, -100, -100, -100}, 2, 9);

    static Tensor loss(ModernBertForMaskedLM m) {
        return Losses.crossEntropy(m.forward(IDS, MASK).logits(), LABELS, -100, 0f, Reduction.SUM);
    }

    static ModernBertForMaskedLM trainable(SafetensorsWeights w) {
        ModernBertForMaskedLM m = ModernBertForMaskedLM.load(w, ModernBertConfig.read(DIR.resolve("config.json")));
        m.trainable();
        return m;
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        try (SafetensorsWeights w = Weights.open(DIR)) {
            ModernBertForMaskedLM m = trainable(w);
            loss(m).backward();
            var params = m.namedParameters();
            // (parameter, row, column): a local layer's fused qkv, the MLP, the tied table on a row used
            // only by the decoder, and the decoder bias
            Object[][] probes = {
                    {"model.layers.1.attn.Wqkv.weight", 70, 5}, {"model.layers.2.mlp.Wi.weight", 130, 7},
                    {"model.layers.0.attn.Wo.weight", 3, 60}, {"model.embeddings.tok_embeddings.weight", 100, 11},
                    {"model.embeddings.tok_embeddings.weight", 40, 2}, {"head.dense.weight", 9, 9}};
            for (Object[] p : probes) {
                Tensor t = params.get((String) p[0]).value();
                int i = (Integer) p[1], j = (Integer) p[2];
                double analytic = t.grad().get(i, j);
                double numeric = numeric(m, t, i, j);
                assertEquals(numeric, analytic, 2e-2 * Math.abs(numeric) + 2e-3, p[0] + "[" + i + "," + j + "]");
            }
            Tensor decoderBias = params.get("decoder.bias").value();
            assertEquals(numeric(m, decoderBias, 30), decoderBias.grad().get(30), 2e-3);
            assertNotEquals(0f, params.get("model.embeddings.tok_embeddings.weight").value().grad().get(100, 11),
                    "the tied table gets the decoder's gradient");
        }
    }

    private static double numeric(ModernBertForMaskedLM m, Tensor t, int... idx) {
        float eps = 1e-2f, v = t.get(idx);
        try (var g = NoGrad.enter()) {
            t.set(v + eps, idx);
            double up = loss(m).item();
            t.set(v - eps, idx);
            double down = loss(m).item();
            t.set(v, idx);
            return (up - down) / (2 * eps);
        }
    }

    @Test
    void fusedAndTensorAttentionGiveTheSameGradients() {
        try (SafetensorsWeights w = Weights.open(DIR)) {
            ModernBertForMaskedLM fused = trainable(w), tensor = trainable(w);
            tensor.model().fusedAttention(false);
            Tensor lf = loss(fused), lt = loss(tensor);
            assertEquals(lt.item(), lf.item(), 1e-4 * Math.abs(lt.item()));
            lf.backward();
            lt.backward();
            var pf = fused.namedParameters();
            tensor.namedParameters().forEach((name, p) -> {
                float[] a = pf.get(name).grad().toFloatArray(), e = p.grad().toFloatArray();
                double scale = 0;
                for (float x : e) scale = Math.max(scale, Math.abs(x));
                for (int i = 0; i < e.length; i++) {
                    assertEquals(e[i], a[i], 1e-4 * scale + 1e-6, name + "[" + i + "]");
                }
            });
        }
    }

    @Test
    void aFewAdamWStepsFitOneBatch() {
        try (SafetensorsWeights w = Weights.open(DIR)) {
            ModernBertForMaskedLM m = trainable(w);
            m.train(true);
            AdamW opt = new AdamW(m.parameters(), 3e-3);
            float first = Float.NaN, last = Float.NaN;
            for (int step = 0; step < 15; step++) {
                m.zeroGrad();
                Tensor l = loss(m);
                if (step == 0) first = l.item();
                last = l.item();
                l.backward();
                opt.step();
            }
            assertTrue(last < 0.25f * first, "loss " + first + " → " + last);
        }
    }
}
