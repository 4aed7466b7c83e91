package dev.genai4j.nn;

import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Linear's in-place bias add under NoGrad gives the same values as the broadcast op, and leaves inputs alone. */
class LinearInferenceTest {
    @Test
    void noGradBiasAddMatchesTheTapePath() {
        Rng rng = new Rng(3);
        for (int[] shape : new int[][]{{1, 7}, {5, 7}, {2, 3, 7}, {33, 7}}) {
            Linear l = new Linear(7, 33, true, rng);
            Tensor x = Tensor.randn(rng, shape);
            float[] before = x.toFloatArray();
            float[] expected = x.matmul(l.weight().value().mT()).add(l.bias().value()).toFloatArray();
            float[] withGrad = l.forward(x).toFloatArray();
            float[] inference;
            try (var g = NoGrad.enter()) {
                inference = l.forward(x).toFloatArray();
            }
            assertArrayEquals(expected, withGrad, 0f);
            assertArrayEquals(expected, inference, 0f);
            assertArrayEquals(before, x.toFloatArray(), 0f);
        }
    }
}
