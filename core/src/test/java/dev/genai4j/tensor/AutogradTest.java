package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import static dev.genai4j.tensor.TensorAssert.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tape semantics: propagation, accumulation, detach, NoGrad, shared subgraphs. */
class AutogradTest {
    @Test
    void requiresGradPropagatesThroughOpsAndViews() {
        Tensor leaf = t(f(1, 2, 3, 4), 2, 2).requiresGrad(true);
        Tensor plain = t(f(1, 1, 1, 1), 2, 2);
        assertFalse(plain.add(plain).requiresGrad());
        assertNull(plain.exp().gradFn());
        assertFalse(plain.transpose(0, 1).requiresGrad());
        Tensor y = plain.mul(leaf);
        assertTrue(y.requiresGrad());
        assertEquals("mul", y.gradFn().name());
        assertTrue(leaf.transpose(0, 1).requiresGrad());
        assertTrue(leaf.reshape(4).requiresGrad());
        assertTrue(leaf.sum().requiresGrad());
        assertFalse(leaf.argmax(0, false).requiresGrad());     // indices are not differentiable
        assertFalse(leaf.gt(1).requiresGrad());
        assertTrue(leaf.isLeaf());
        assertFalse(y.isLeaf());
        assertFails(TensorException.class, () -> y.requiresGrad(false), "detach");
    }

    @Test
    void noGradRecordsNoTape() {
        Tensor leaf = t(f(1, 2), 2).requiresGrad(true);
        Tensor inside;
        try (var g = NoGrad.enter()) {
            assertFalse(NoGrad.isGradEnabled());
            try (var nested = NoGrad.enter()) {
                assertFalse(NoGrad.isGradEnabled());
            }
            assertFalse(NoGrad.isGradEnabled());
            inside = leaf.mul(leaf).transpose(0, 0).sum();
        }
        assertTrue(NoGrad.isGradEnabled());
        assertFalse(inside.requiresGrad());
        assertNull(inside.gradFn());
        assertFails(TensorException.class, inside::backward, "does not require grad");
    }

    @Test
    void twoBackwardPassesAccumulate() {
        Tensor x = t(f(1, 2, 3), 3).requiresGrad(true);
        x.mul(x).sum().backward();
        assertTensor(x.grad(), new int[]{3}, 2, 4, 6);
        x.mul(3).sum().backward();
        assertTensor(x.grad(), new int[]{3}, 5, 7, 9);
        x.zeroGrad();
        assertNull(x.grad());
        x.sum().backward();
        assertTensor(x.grad(), new int[]{3}, 1, 1, 1);
    }

    @Test
    void detachCutsTheTapeButSharesStorage() {
        Tensor x = t(f(1, 2), 2).requiresGrad(true);
        Tensor d = x.detach();
        assertFalse(d.requiresGrad());
        assertSame(x.storage(), d.storage());
        // y = x · detach(x): gradient only through the first factor
        x.mul(x.detach()).sum().backward();
        assertTensor(x.grad(), new int[]{2}, 1, 2);
    }

    @Test
    void diamondGraphSumsBothPaths() {
        // y = 2x; z = y² + exp(y) + y  →  dz/dx = 2·(2y + exp(y) + 1)
        Tensor x = t(f(0.5f, -1), 2).requiresGrad(true);
        Tensor y = x.mul(2);
        y.square().add(y.exp()).add(y).sum().backward();
        float[] xv = {0.5f, -1};
        float[] expected = new float[2];
        for (int i = 0; i < 2; i++) expected[i] = (float) (2 * (4 * xv[i] + Math.exp(2 * xv[i]) + 1));
        assertTensor(x.grad(), new int[]{2}, expected);
        // the same tensor twice in one op
        Tensor w = t(f(3), 1).requiresGrad(true);
        w.mul(w).sum().backward();
        assertTensor(w.grad(), new int[]{1}, 6);
    }

    @Test
    void backwardThroughViewsReachesTheBase() {
        Tensor x = t(f(1, 2, 3, 4, 5, 6), 2, 3).requiresGrad(true);
        Tensor v = x.transpose(0, 1).narrow(0, 1, 2).reshape(4);       // x[0,1], x[1,1], x[0,2], x[1,2]
        v.mul(t(f(1, 2, 3, 4), 4)).sum().backward();
        assertTensor(x.grad(), new int[]{2, 3}, 0, 1, 3, 0, 2, 4);
    }

    @Test
    void backwardWithExplicitGradientAndErrors() {
        Tensor x = t(f(1, 2), 2).requiresGrad(true);
        x.mul(2).backward(t(f(1, 10), 2));
        assertTensor(x.grad(), new int[]{2}, 2, 20);
        assertFails(ShapeException.class, () -> x.mul(2).backward(), "backward", "[2]");
        assertFails(ShapeException.class, () -> x.mul(2).backward(t(f(1), 1)), "backward", "[1]");
        // a deep chain does not overflow the stack
        Tensor h = t(f(1), 1).requiresGrad(true), acc = h;
        for (int i = 0; i < 20000; i++) acc = acc.add(0f);
        acc.sum().backward();
        assertNotNull(h.grad());
        assertTensor(h.grad(), new int[]{1}, 1);
    }
}
