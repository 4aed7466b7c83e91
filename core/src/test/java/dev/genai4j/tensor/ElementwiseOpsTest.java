package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.genai4j.tensor.TensorAssert.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values, broadcasting, strided operands and errors of the elementwise ops. */
class ElementwiseOpsTest {
    private static final float NAN = Float.NaN, INF = Float.POSITIVE_INFINITY;

    @Test
    void binaryOpsWithBroadcasting() {
        Tensor a = t(f(1, 2, 3, 4, 5, 6), 2, 3);      // [2, 3]
        Tensor row = t(f(10, 20, 30), 3);             // [3]
        Tensor col = t(f(100, 200), 2, 1);            // [2, 1]
        assertTensor(a.add(row), new int[]{2, 3}, 11, 22, 33, 14, 25, 36);
        assertTensor(row.add(a), new int[]{2, 3}, 11, 22, 33, 14, 25, 36);
        assertTensor(a.sub(col), new int[]{2, 3}, -99, -98, -97, -196, -195, -194);
        assertTensor(col.sub(a), new int[]{2, 3}, 99, 98, 97, 196, 195, 194);
        assertTensor(a.mul(row), new int[]{2, 3}, 10, 40, 90, 40, 100, 180);
        assertTensor(row.div(a), new int[]{2, 3}, 10, 10, 10, 2.5f, 4, 5);
        // [2, 1] with [3] → [2, 3]: both broadcast
        assertTensor(col.add(row), new int[]{2, 3}, 110, 120, 130, 210, 220, 230);
        // rank-0 scalars
        assertTensor(a.mul(Tensor.scalar(2)), new int[]{2, 3}, 2, 4, 6, 8, 10, 12);
        assertTensor(Tensor.scalar(2).mul(Tensor.scalar(3)), new int[]{}, 6);
        Tensor b = t(f(3, 1, 3, 9, 0, -1), 2, 3);
        assertTensor(a.maximum(b), new int[]{2, 3}, 3, 2, 3, 9, 5, 6);
        assertTensor(a.minimum(b), new int[]{2, 3}, 1, 1, 3, 4, 0, -1);
        // NaN propagates through maximum / minimum, as torch
        assertTensor(t(f(NAN, 1), 2).maximum(t(f(0, NAN), 2)), new int[]{2}, NAN, NAN);
        // division by zero follows IEEE
        assertTensor(t(f(1, -1, 0), 3).div(t(f(0, 0, 0), 3)), new int[]{3}, INF, -INF, NAN);
    }

    @Test
    void perImagePerChannelShiftBroadcastsOverTheTrailingDims() {
        // [2, 3, 2, 2] with [2, 3, 1, 1] (a UNet's time embedding): every op, either order
        float[] x = new float[24], y = {1, -2, 3, 0.5f, -1, 4};
        for (int i = 0; i < 24; i++) x[i] = i - 7.5f;
        Tensor a = t(x, 2, 3, 2, 2), b = t(y, 2, 3, 1, 1);
        float[] add = new float[24], sub = new float[24], rsub = new float[24], mul = new float[24], div = new float[24], max = new float[24];
        for (int i = 0; i < 24; i++) {
            float v = y[i / 4];
            add[i] = x[i] + v; sub[i] = x[i] - v; rsub[i] = v - x[i]; mul[i] = x[i] * v; div[i] = x[i] / v; max[i] = Math.max(x[i], v);
        }
        int[] shape = {2, 3, 2, 2};
        assertTensor(a.add(b), shape, add);
        assertTensor(a.sub(b), shape, sub);
        assertTensor(b.sub(a), shape, rsub);
        assertTensor(a.mul(b), shape, mul);
        assertTensor(a.div(b), shape, div);
        assertTensor(a.maximum(b), shape, max);
        // [2, 1, 1, 1]: one value per image
        float[] perImage = new float[24];
        for (int i = 0; i < 24; i++) perImage[i] = x[i] + (i < 12 ? 100 : 200);
        assertTensor(a.add(t(f(100, 200), 2, 1, 1, 1)), shape, perImage);
    }

    @Test
    void scalarOps() {
        Tensor a = t(f(1, 2, 3), 3);
        assertTensor(a.add(1.5f), new int[]{3}, 2.5f, 3.5f, 4.5f);
        assertTensor(a.sub(1), new int[]{3}, 0, 1, 2);
        assertTensor(a.mul(-2), new int[]{3}, -2, -4, -6);
        // true division: 1/3 as PyTorch rounds it, not 1 · fl(1/3)
        assertEquals(1f / 3f, t(f(1), 1).div(3f).item());
        assertEquals(10f / 3f, t(f(10), 1).div(3f).item());
        assertTensor(a.pow(2), new int[]{3}, 1, 4, 9);
        assertTensor(a.pow(0.5f), new int[]{3}, 1, (float) Math.sqrt(2), (float) Math.sqrt(3));
        assertTensor(a.pow(-1), new int[]{3}, 1, 0.5f, 1f / 3);
        assertTensor(t(f(0, -2), 2).pow(0), new int[]{2}, 1, 1);
    }

    @Test
    void unaryValues() {
        Tensor x = t(f(-2, -0.5f, 0, 0.5f, 2), 5);
        int[] s = {5};
        assertTensor(x.neg(), s, 2, 0.5f, 0, -0.5f, -2);
        assertTensor(x.abs(), s, 2, 0.5f, 0, 0.5f, 2);
        assertTensor(x.square(), s, 4, 0.25f, 0, 0.25f, 4);
        assertTensor(x.relu(), s, 0, 0, 0, 0.5f, 2);
        assertTensor(x.exp(), s, (float) Math.exp(-2), (float) Math.exp(-0.5), 1, (float) Math.exp(0.5), (float) Math.exp(2));
        assertTensor(x.tanh(), s, (float) Math.tanh(-2), (float) Math.tanh(-0.5), 0, (float) Math.tanh(0.5), (float) Math.tanh(2));
        assertTensor(x.sin(), s, (float) Math.sin(-2), (float) Math.sin(-0.5), 0, (float) Math.sin(0.5), (float) Math.sin(2));
        assertTensor(x.cos(), s, (float) Math.cos(-2), (float) Math.cos(-0.5), 1, (float) Math.cos(0.5), (float) Math.cos(2));
        assertTensor(x.sigmoid(), s, 0.11920292f, 0.37754067f, 0.5f, 0.62245933f, 0.88079708f);
        assertTensor(x.silu(), s, -0.23840584f, -0.18877033f, 0, 0.31122967f, 1.76159416f);
        // erf reference values (Abramowitz & Stegun table)
        assertTensor(t(f(-2, -0.5f, 0, 0.5f, 1, 3.5f, 7), 7).erf(), new int[]{7},
                -0.99532227f, -0.52049988f, 0, 0.52049988f, 0.84270079f, 0.99999926f, 1f);
        // exact GELU: x · Φ(x)
        assertTensor(x.gelu(), s, -0.04550026f, -0.15426877f, 0, 0.34573123f, 1.95449974f);
        // tanh GELU (gelu_new) reference values
        assertTensor(x.geluTanh(), s, -0.04540231f, -0.15428599f, 0, 0.34571401f, 1.95459769f);
        assertTensor(x.quickGelu(), s, -2 * sig(-3.404f), -0.5f * sig(-0.851f), 0, 0.5f * sig(0.851f), 2 * sig(3.404f));
        assertTensor(t(f(-30, 0, 1, 25), 4).softplus(), new int[]{4}, (float) Math.log1p(Math.exp(-30)), 0.69314718f, 1.31326169f, 25);
        Tensor p = t(f(0.25f, 1, 4), 3);
        assertTensor(p.log(), new int[]{3}, (float) Math.log(0.25), 0, (float) Math.log(4));
        assertTensor(p.sqrt(), new int[]{3}, 0.5f, 1, 2);
        assertTensor(p.rsqrt(), new int[]{3}, 2, 1, 0.5f);
        assertTensor(p.reciprocal(), new int[]{3}, 4, 1, 0.25f);
        // IEEE edge values as torch
        assertTensor(t(f(0, -1), 2).log(), new int[]{2}, -INF, NAN);
        assertTensor(t(f(-1000, 1000), 2).sigmoid(), new int[]{2}, 0, 1);
        assertTensor(t(f(NAN, -0f), 2).relu(), new int[]{2}, NAN, 0);   // NaN propagates, as torch.relu
    }

    private static float sig(float x) { return (float) (1 / (1 + Math.exp(-x))); }

    @Test
    void clampComparisonsWhereMaskedFill() {
        Tensor x = t(f(-3, -1, 0, 1, 3, NAN), 6);
        assertTensor(x.clamp(-1, 2), new int[]{6}, -1, -1, 0, 1, 2, NAN);
        Tensor a = t(f(1, 2, 3), 3), b = t(f(2), 1);
        assertTensor(a.eq(b), new int[]{3}, 0, 1, 0);
        assertTensor(a.ne(b), new int[]{3}, 1, 0, 1);
        assertTensor(a.lt(b), new int[]{3}, 1, 0, 0);
        assertTensor(a.le(b), new int[]{3}, 1, 1, 0);
        assertTensor(a.gt(2), new int[]{3}, 0, 0, 1);
        assertTensor(a.ge(2), new int[]{3}, 0, 1, 1);
        assertTensor(t(f(NAN), 1).eq(t(f(NAN), 1)), new int[]{1}, 0);
        // where with all three broadcasting: cond [2, 1], a [3], b scalar → [2, 3]
        Tensor cond = t(f(1, 0), 2, 1);
        assertTensor(Tensor.where(cond, a, Tensor.scalar(-1)), new int[]{2, 3}, 1, 2, 3, -1, -1, -1);
        // maskedFill with a [1, 3] mask over [2, 3]
        Tensor m = t(f(0, 1, 0), 1, 3);
        Tensor y = t(f(1, 2, 3, 4, 5, 6), 2, 3);
        assertTensor(y.maskedFill(m, Float.NEGATIVE_INFINITY), new int[]{2, 3}, 1, -INF, 3, 4, -INF, 6);
        // causal mask: hide the future
        Tensor scores = Tensor.zeros(3, 3).maskedFill(Tensor.triuMask(3, 3, 1), -INF);
        assertTensor(scores, new int[]{3, 3}, 0, -INF, -INF, 0, 0, -INF, 0, 0, 0);
    }

    @Test
    void expandedAndStridedOperands() {
        Tensor base = t(f(1, 2, 3, 4, 5, 6), 2, 3);
        Tensor tr = base.transpose(0, 1);                        // [3, 2], non-contiguous
        assertTensor(tr.add(t(f(10, 20), 2)), new int[]{3, 2}, 11, 24, 12, 25, 13, 26);
        Tensor ex = t(f(1, 2, 3), 3).expand(2, 3);               // stride 0 rows
        assertTensor(ex.mul(base), new int[]{2, 3}, 1, 4, 9, 4, 10, 18);
        assertTensor(base.mul(ex), new int[]{2, 3}, 1, 4, 9, 4, 10, 18);
        Tensor nar = base.narrow(1, 1, 2);                       // [2, 2] at offset 1
        assertTensor(nar.sub(nar.exp().log()), 1e-5, new int[]{2, 2}, 0, 0, 0, 0);
        assertTensor(nar.mul(2), new int[]{2, 2}, 4, 6, 10, 12);
        assertTensor(nar.add(t(f(1, 1), 2)), new int[]{2, 2}, 3, 4, 6, 7);
        assertTensor(Tensor.where(nar.gt(3), nar, tr.narrow(0, 0, 2)), new int[]{2, 2}, 1, 4, 5, 6);
    }

    @Test
    void everyElementwiseOpIsLayoutIndependent() {
        Tensor x = t(f(0.5f, -1, 2, -3, 4, 1.5f), 2, 3), y = t(f(1, 2, -4, 0.5f, 8, -2), 2, 3);
        Tensor row = t(f(2, -1, 0.5f), 3), col = t(f(3, -2), 2, 1);
        for (var op : List.<java.util.function.BinaryOperator<Tensor>>of(Tensor::add, Tensor::sub, Tensor::mul, Tensor::div,
                Tensor::maximum, Tensor::minimum, Tensor::lt, Tensor::eq)) {
            assertLayoutIndependent("binary", in -> op.apply(in.get(0), in.get(1)), x, y);
            assertLayoutIndependent("binary row", in -> op.apply(in.get(0), in.get(1)), x, row);
            assertLayoutIndependent("binary row first", in -> op.apply(in.get(0), in.get(1)), row, x);
            assertLayoutIndependent("binary col", in -> op.apply(in.get(0), in.get(1)), col, x);
        }
        for (Unary u : Unary.values()) {
            assertLayoutIndependent(u.name(), in -> Elementwise.unary(in.get(0), u), x);
        }
        assertLayoutIndependent("clamp", in -> in.get(0).clamp(-1, 1), x);
        assertLayoutIndependent("pow", in -> in.get(0).pow(3), x);
        assertLayoutIndependent("addScalar", in -> in.get(0).add(1), x);
        assertLayoutIndependent("where", in -> Tensor.where(in.get(0).gt(0), in.get(1), in.get(2)), x, y, row);
    }

    @Test
    void periodicBroadcastOnLongTensorsMatchesTheMaterializedOperand() {
        Rng rng = new Rng(9);
        for (int[] shape : new int[][]{{300, 7}, {3, 1000, 3}, {5, 1}, {2049}}) {
            Tensor x = Tensor.randn(rng, shape);
            int[] tail = java.util.Arrays.copyOfRange(shape, 1, shape.length);
            for (Tensor small : List.of(Tensor.randn(rng, tail), Tensor.scalar(0.75f), Tensor.randn(rng, 1))) {
                Tensor full = small.expand(shape).contiguous();
                for (var op : List.<java.util.function.BinaryOperator<Tensor>>of(Tensor::add, Tensor::sub, Tensor::mul, Tensor::div,
                        Tensor::maximum, Tensor::minimum)) {
                    assertClose(op.apply(x, full), op.apply(x, small), 0);
                    assertClose(op.apply(full, x), op.apply(small, x), 0);
                }
            }
        }
    }

    @Test
    void shapeErrorsNameTheOpAndBothShapes() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4);
        assertFails(ShapeException.class, () -> a.add(b), "add", "[2, 3]", "[4]");
        assertFails(ShapeException.class, () -> a.mul(Tensor.zeros(3, 3)), "mul", "[2, 3]", "[3, 3]");
        assertFails(ShapeException.class, () -> a.maximum(b), "max", "[2, 3]", "[4]");
        assertFails(ShapeException.class, () -> a.lt(b), "lt", "[2, 3]", "[4]");
        assertFails(ShapeException.class, () -> Tensor.where(Tensor.zeros(5), a, a), "where", "[5]", "[2, 3]");
    }

    @Test
    void broadcastBackwardReducesToEachInputShape() {
        Tensor a = Tensor.ones(2, 3).requiresGrad(true);
        Tensor row = t(f(1, 2, 3), 3).requiresGrad(true);
        Tensor col = t(f(1, 2), 2, 1).requiresGrad(true);
        Tensor s = Tensor.scalar(2).requiresGrad(true);
        a.mul(row).add(col.mul(s)).sum().backward();
        assertTensor(a.grad(), new int[]{2, 3}, 1, 2, 3, 1, 2, 3);
        assertTensor(row.grad(), new int[]{3}, 2, 2, 2);
        assertTensor(col.grad(), new int[]{2, 1}, 6, 6);
        assertTensor(s.grad(), new int[]{}, 9);
        assertTrue(a.grad().isContiguous());
    }
}
