package dev.genai4j.nn.functional;

import dev.genai4j.tensor.GradCheck;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.AttentionOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AttentionOpTest {
    /** softmax(q·kᵀ/√D + causal mask)·v by tensor ops, kv heads repeated for GQA. */
    private static Tensor composed(Tensor q, Tensor k, Tensor v, boolean causal) {
        int g = q.size(1) / k.size(1), tq = q.size(2), tk = k.size(2);
        if (g > 1) {
            k = k.unsqueeze(2).expand(k.size(0), k.size(1), g, tk, k.size(3)).reshape(q.size(0), q.size(1), tk, k.size(3));
            v = v.unsqueeze(2).expand(v.size(0), v.size(1), g, tk, v.size(3)).reshape(q.size(0), q.size(1), tk, v.size(3));
        }
        Tensor s = q.matmul(k.mT()).mul((float) (1 / Math.sqrt(q.size(3))));
        if (causal) s = s.add(Tensor.triuMask(tq, tk, 1 + tk - tq).mul(-1e9f));
        return s.softmax(-1).matmul(v);
    }

    @Test
    void gqaCausalMatchesComposedOpsAndFiniteDifferences() {
        Tensor q = Tensor.randn(new Rng(1), 2, 4, 5, 3), k = Tensor.randn(new Rng(2), 2, 2, 5, 3), v = Tensor.randn(new Rng(3), 2, 2, 5, 3);
        float[] e = composed(q, k, v, true).toFloatArray();
        float[] a = AttentionOp.attention(q, k, v, AttentionOptions.defaults().causal(0)).toFloatArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-5, "element " + i);
        GradCheck.check("attention op gqa causal", in -> AttentionOp.attention(in.get(0), in.get(1), in.get(2),
                        AttentionOptions.defaults().causal(0)),
                GradCheck.input(4, 1, 4, 3, 2), GradCheck.input(5, 1, 2, 3, 2), GradCheck.input(6, 1, 2, 3, 2));
        GradCheck.check("attention op window + strided q", in -> AttentionOp.attention(in.get(0).transpose(1, 2), in.get(1), in.get(2),
                        AttentionOptions.defaults().localWindow(2).withScale(0.7f)),
                GradCheck.input(7, 1, 4, 2, 2), GradCheck.input(8, 1, 2, 4, 2), GradCheck.input(9, 1, 2, 4, 2));
    }

    @Test
    void shapeErrors() {
        assertThrows(ShapeException.class, () -> AttentionOp.attention(Tensor.zeros(1, 3, 2, 4), Tensor.zeros(1, 2, 2, 4),
                Tensor.zeros(1, 2, 2, 4), AttentionOptions.defaults()));
        ShapeException e = assertThrows(ShapeException.class, () -> AttentionOp.attention(Tensor.zeros(1, 2, 2, 4),
                Tensor.zeros(1, 2, 2, 3), Tensor.zeros(1, 2, 2, 3), AttentionOptions.defaults()));
        assertTrue(e.getMessage().contains("attention k"), e.getMessage());
    }
}
