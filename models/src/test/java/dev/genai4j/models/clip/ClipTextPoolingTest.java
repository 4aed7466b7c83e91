package dev.genai4j.models.clip;

import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.SafetensorsWeights;
import dev.genai4j.io.Weights;
import dev.genai4j.nn.Activation;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both HF pooling rules, the causal mask and the length limit of the text tower. */
class ClipTextPoolingTest {
    static final ClipTextConfig EOS3 = new ClipTextConfig(100, 48, 96, 2, 4, 16, Activation.QUICK_GELU, 1e-5f, 1, 3, 0);
    static final ClipTextConfig LEGACY = new ClipTextConfig(100, 48, 96, 2, 4, 16, Activation.QUICK_GELU, 1e-5f, 1, 2, 0);

    @Test
    void legacyRuleIsExactlyEosTwo() {
        assertTrue(LEGACY.legacyPooling());
        assertFalse(EOS3.legacyPooling());
        assertFalse(ClipTextConfig.defaults().legacyPooling(), "HF default eos 49407 takes the first-eos rule");
    }

    @Test
    void poolPositionsFollowBothRules() {
        Tensor ids = Tensor.of(new float[]{
                1, 40, 3, 3, 99, 0,      // eos rule: first 3 at 2; legacy: max 99 at 4
                1, 5, 7, 99, 99, 3,      // eos rule: 5; legacy: first of the two maxima, 3
                1, 5, 6, 7, 8, 9}, 3, 6); // no eos: position 0 (torch argmax of zeros); legacy: 5
        try (SafetensorsWeights w = Weights.open(ClipFixturesTest.ROOT.resolve("eos_rule_fp32"))) {
            Weights t = w.sub("text_model");
            assertArrayEquals(new int[]{2, 5, 0}, ClipTextTransformer.load(t, EOS3).poolPositions(ids));
            assertArrayEquals(new int[]{4, 3, 5}, ClipTextTransformer.load(t, LEGACY).poolPositions(ids));
        }
    }

    @Test
    void causalMaskMakesPooledStateIndependentOfLaterTokens() {
        ClipConfig c = ClipConfig.from(JsonConfig.read(ClipFixturesTest.ROOT.resolve("eos_rule_fp32/config.json")));
        try (SafetensorsWeights w = Weights.open(ClipFixturesTest.ROOT.resolve("eos_rule_fp32")); var g = NoGrad.enter()) {
            ClipModel m = ClipModel.load(w, c);
            Tensor a = Tensor.of(new float[]{1, 20, 30, 3, 50, 60, 70, 80}, 1, 8);
            Tensor b = Tensor.of(new float[]{1, 20, 30, 3, 9, 9, 9, 9}, 1, 8);
            Tensor short4 = Tensor.of(new float[]{1, 20, 30, 3}, 1, 4);
            float[] pa = m.text(a, null).pooled().toFloatArray();
            assertArrayEquals(pa, m.text(b, null).pooled().toFloatArray(), 1e-6f);
            assertArrayEquals(pa, m.text(short4, null).pooled().toFloatArray(), 1e-5f);   // other GEMM shape, other summation order
            assertEquals(48, pa.length);
            ShapeException e = assertThrows(ShapeException.class, () -> m.text(Tensor.zeros(1, 17), null));
            assertTrue(e.getMessage().contains("max_position_embeddings 16"), e.getMessage());
        }
    }
}
