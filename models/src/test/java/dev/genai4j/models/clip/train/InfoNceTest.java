package dev.genai4j.models.clip.train;

import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InfoNceTest {
    private static final float S = (float) (1 / Math.sqrt(2));

    /** Images e1, e2, e3; texts e1, e2, (e1 + e3)/√2; logit_scale ln 2 → logits 2·cos. */
    private static Tensor[] case3() {
        Tensor img = Tensor.of(new float[]{1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3).requiresGrad(true);
        Tensor txt = Tensor.of(new float[]{1, 0, 0, 0, 1, 0, S, 0, S}, 3, 3);
        Tensor scale = Tensor.of(new float[]{(float) Math.log(2)}).requiresGrad(true);
        return new Tensor[]{img, txt, scale};
    }

    @Test
    void lossMatchesHandComputedThreeByThree() {
        Tensor[] c = case3();
        float loss = InfoNce.loss(c[0], c[1], c[2], null).item();
        // logits [[2, 0, √2], [0, 2, 0], [0, 0, √2]]: rows are image→text, columns text→image
        double r2 = Math.sqrt(2), e2 = Math.exp(2), er2 = Math.exp(r2);
        double rows = (-2 + Math.log(e2 + 1 + er2)) + (-2 + Math.log(2 + e2)) + (-r2 + Math.log(2 + er2));
        double cols = (-2 + Math.log(e2 + 2)) + (-2 + Math.log(e2 + 2)) + (-r2 + Math.log(2 * er2 + 1));
        double expected = (rows / 3 + cols / 3) / 2;
        assertEquals(expected, loss, 1e-6);
        assertEquals(0.4081098437309265, loss, 1e-6);   // torch: (cross_entropy(L) + cross_entropy(Lᵀ)) / 2
    }

    @Test
    void gradientMatchesTorch() {
        Tensor[] c = case3();
        InfoNce.loss(c[0], c[1], c[2], null).backward();
        // torch 1.13 autograd of (cross_entropy(L, arange) + cross_entropy(Lᵀ, arange)) / 2 on this case
        float[] expectedImg = {-0.024708986f, 0.062164068f, 0.182623893f, 0.121654801f, -0.142009340f, 0.050650157f,
                -0.117707491f, 0.090028688f, -0.207736179f};
        assertArrayEquals(expectedImg, c[0].grad().toFloatArray(), 1e-5f);
        assertEquals(-0.37445446848869324, c[2].grad().toFloatArray()[0], 1e-5);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Tensor[] c = case3();
        InfoNce.loss(c[0], c[1], c[2], new int[]{0, 1, 0}).backward();
        float[] g = c[0].grad().toFloatArray();
        float[] base = c[0].toFloatArray();
        double h = 1e-3;
        for (int i = 0; i < base.length; i++) {
            float[] plus = base.clone(), minus = base.clone();
            plus[i] += (float) h;
            minus[i] -= (float) h;
            double fp = InfoNce.loss(Tensor.of(plus, 3, 3), c[1], c[2].detach(), new int[]{0, 1, 0}).item();
            double fm = InfoNce.loss(Tensor.of(minus, 3, 3), c[1], c[2].detach(), new int[]{0, 1, 0}).item();
            assertEquals((fp - fm) / (2 * h), g[i], 2e-3, "d loss / d img[" + i + "]");
        }
    }

    @Test
    void groupsMakeSharedPairsJointPositives() {
        float[] q = InfoNce.targets(new int[]{4, 7, 4}, 3).toFloatArray();
        assertArrayEquals(new float[]{0.5f, 0, 0.5f, 0, 1, 0, 0.5f, 0, 0.5f}, q, 0f);
        // rows (1,0), (0,1), (1,0), scale 1: logits [[1,0,1],[0,1,0],[1,0,1]]; pairs 0 and 2 share a group
        Tensor a = Tensor.of(new float[]{1, 0, 0, 1, 1, 0}, 3, 2);
        float grouped = InfoNce.loss(a, a, Tensor.of(new float[]{0f}), new int[]{0, 1, 0}).item();
        double e = Math.E;
        assertEquals((2 * (Math.log(2 * e + 1) - 1) + Math.log(2 + e) - 1) / 3, grouped, 1e-6);
        float distinct = InfoNce.loss(a, a, Tensor.of(new float[]{0f}), new int[]{5, 6, 7}).item();
        float plain = InfoNce.loss(a, a, Tensor.of(new float[]{0f}), null).item();
        assertEquals(plain, distinct, 0f);
    }

    @Test
    void logitScaleIsClampedAtLn100() {
        Parameter p = new Parameter(Tensor.of(new float[]{5.3f}));
        p.trainable();
        InfoNce.clamp(p);
        assertEquals(Math.log(100), p.value().toFloatArray()[0], 1e-6);
        p.value().data()[0] = 3f;
        InfoNce.clamp(p);
        assertEquals(3f, p.value().toFloatArray()[0], 0f);
    }
}
