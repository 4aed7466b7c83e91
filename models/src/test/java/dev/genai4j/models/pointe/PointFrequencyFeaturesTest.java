package dev.genai4j.models.pointe;

import dev.genai4j.models.pointe.train.PointEInit;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The point frequency features ({@code point_frequencies}, our extension): layout, values, and the reference's F = 0. */
class PointFrequencyFeaturesTest {
    private static PointEConfig config(int f) {
        return new PointEConfig(PointEConfig.Kind.GRID, 6, 12, 2, 16, 1, 2, true, 0, 2, 8, f);
    }

    @Test
    void featuresAreSinThenCosOfXyzAtDoublingFrequencies() {
        PointETransformer m = PointEInit.create(config(2), new Rng(1));
        float[] v = {0.1f, -0.7f,    0.25f, 0.5f,    -0.3f, 0.9f,    1f, 2f,    3f, 4f,    5f, 6f};   // [1, 6, 2]: x y z r g b
        Tensor out = m.withPointFeatures(Tensor.of(v, 1, 6, 2));
        assertArrayEquals(new int[]{1, 18, 2}, out.shape());
        float[] o = out.toFloatArray();
        for (int p = 0; p < 2; p++) {
            for (int c = 0; c < 6; c++) assertEquals(v[c * 2 + p], o[c * 2 + p], 0f, "channel " + c + " kept");
            for (int f = 0; f < 2; f++) {
                for (int a = 0; a < 3; a++) {
                    double arg = Math.PI * (1 << f) * v[a * 2 + p];
                    assertEquals(Math.sin(arg), o[(6 + 3 * f + a) * 2 + p], 1e-5, "sin f=" + f + " axis " + a + " point " + p);
                    assertEquals(Math.cos(arg), o[(12 + 3 * f + a) * 2 + p], 1e-5, "cos f=" + f + " axis " + a + " point " + p);
                }
            }
        }
        assertArrayEquals(new int[]{1, 12, 2}, m.forward(Tensor.of(v, 1, 6, 2), Tensor.of(new float[]{5}, 1),
                Tensor.zeros(1, 8, 4), null).shape());
    }

    @Test
    void theReferenceLayoutFeedsThePointsAsTheyAre() {
        PointETransformer m = PointEInit.create(config(0), new Rng(1));
        Tensor x = Tensor.zeros(1, 6, 2);
        assertSame(x, m.withPointFeatures(x));
        assertEquals(6, config(0).pointFeatureChannels());
        assertEquals(6 + 6 * 4, config(4).pointFeatureChannels());
    }
}
