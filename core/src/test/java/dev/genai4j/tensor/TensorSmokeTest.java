package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TensorSmokeTest {
    @Test
    void matmulValuesAndGradient() {
        Tensor a = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new float[]{1, 0, 0, 1, 1, 1}, 3, 2);
        assertArrayEquals(new float[]{4, 5, 10, 11}, a.matmul(b).toFloatArray());
        GradCheck.check("matmul", in -> in.get(0).matmul(in.get(1)), GradCheck.input(1, 3, 4), GradCheck.input(2, 4, 5));
    }

    @Test
    void broadcastAddSumsGradientBack() {
        Tensor x = Tensor.zeros(2, 3).requiresGrad(true);
        Tensor bias = Tensor.zeros(3).requiresGrad(true);
        x.add(bias).sum().backward();
        assertArrayEquals(new float[]{2, 2, 2}, bias.grad().toFloatArray());
        assertEquals(6, x.grad().numel());
    }
}
