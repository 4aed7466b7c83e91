package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import static dev.genai4j.tensor.TensorAssert.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** sum / mean / var / std / max / min / arg-ops / logSumExp / softmax / cumsum / topk / sort. */
class ReductionOpsTest {
    private static final float INF = Float.POSITIVE_INFINITY, NAN = Float.NaN;
    // [2, 3, 2]: value = 100·i + 10·j + k
    private static Tensor cube() {
        float[] v = new float[12];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 2; k++) v[i * 6 + j * 2 + k] = 100 * i + 10 * j + k;
        return t(v, 2, 3, 2);
    }

    @Test
    void sumAndMeanOverAnyAxes() {
        Tensor x = cube();
        assertTensor(x.sum(), new int[]{}, 6 * 100 + 4 * 30 + 6);
        assertTensor(x.sum(0, false), new int[]{3, 2}, 100, 102, 120, 122, 140, 142);
        assertTensor(x.sum(1, false), new int[]{2, 2}, 30, 33, 330, 333);
        assertTensor(x.sum(-1, true), new int[]{2, 3, 1}, 1, 21, 41, 201, 221, 241);
        assertTensor(x.sum(new int[]{0, 2}, false), new int[]{3}, 202, 242, 282);
        assertTensor(x.sum(new int[]{0, 1}, true), new int[]{1, 1, 2}, 360, 366);
        assertTensor(x.sum(new int[]{2, 0}, false), new int[]{3}, 202, 242, 282);   // axis order does not matter
        assertTensor(x.mean(1, false), new int[]{2, 2}, 10, 11, 110, 111);
        assertTensor(x.mean(new int[]{0, 1, 2}, false), new int[]{}, 60.5f);
        assertTensor(x.mean(), new int[]{}, 60.5f);
        assertTensor(Tensor.zeros(0, 3).sum(0, false), new int[]{3}, 0, 0, 0);
    }

    @Test
    void varianceIsUnbiasedByDefaultLikeTorch() {
        Tensor x = t(f(1, 2, 3, 4, 2, 4, 6, 8), 2, 4);
        assertTensor(x.var(), new int[]{}, 37.5f / 7);                    // squared deviations 37.5, n − 1 = 7
        assertTensor(x.var(new int[]{1}, true, false), new int[]{2}, 5f / 3, 20f / 3);
        assertTensor(x.var(new int[]{1}, false, true), new int[]{2, 1}, 1.25f, 5f);
        assertTensor(x.std(new int[]{1}, true, false), new int[]{2}, (float) Math.sqrt(5.0 / 3), (float) Math.sqrt(20.0 / 3));
        assertTensor(x.std(), new int[]{}, (float) Math.sqrt(37.5 / 7));
        assertTensor(x.var(new int[]{0}, true, false), new int[]{4}, 0.5f, 2, 4.5f, 8);
        // one element, unbiased: 0/0 = NaN, as torch
        assertTensor(t(f(3), 1).var(new int[]{0}, true, false), new int[]{}, NAN);
        assertTensor(t(f(3), 1).var(new int[]{0}, false, false), new int[]{}, 0);
    }

    @Test
    void maxMinArgmaxArgmin() {
        Tensor x = t(f(3, 7, 7, -1, 0, 5, 5, 2), 2, 4);
        assertTensor(x.max(), new int[]{}, 7);
        assertTensor(x.max(1, false), new int[]{2}, 7, 5);
        assertTensor(x.max(0, true), new int[]{1, 4}, 3, 7, 7, 2);
        assertTensor(x.min(), new int[]{}, -1);
        assertTensor(x.min(1, true), new int[]{2, 1}, -1, 0);
        assertTensor(x.min(new int[]{0, 1}, false), new int[]{}, -1);
        assertTensor(t(f(2, Float.NaN, -1), 3).min(), new int[]{}, NAN);
        assertTensor(x.argmax(1, false), new int[]{2}, 1, 1);     // first of the tied maxima
        assertTensor(x.argmin(1, false), new int[]{2}, 3, 0);
        assertTensor(x.argmax(0, true), new int[]{1, 4}, 0, 0, 0, 1);
        assertTensor(t(f(1, 4, 4, 0, 0), 5).argmin(0, false), new int[]{}, 3);
        // NaN wins, as torch.max / argmax
        Tensor n = t(f(1, NAN, 5, NAN), 4);
        assertTensor(n.max(), new int[]{}, NAN);
        assertTensor(n.argmax(0, false), new int[]{}, 1);
        assertTensor(n.argmin(0, false), new int[]{}, 1);
        assertTensor(cube().max(new int[]{0, 2}, false), new int[]{3}, 101, 111, 121);
        assertFails(ShapeException.class, () -> Tensor.zeros(2, 0).argmax(1, false), "argmax", "[2, 0]");
        assertFails(ShapeException.class, () -> Tensor.zeros(2, 0).max(1, false), "max", "[2, 0]");
        assertFails(ShapeException.class, () -> Tensor.zeros(0).min(), "min", "[0]");
    }

    @Test
    void maxGradientIsSharedAmongTies() {
        Tensor x = t(f(1, 5, 5, 2), 4).requiresGrad(true);
        x.max().backward();
        assertTensor(x.grad(), new int[]{4}, 0, 0.5f, 0.5f, 0);
        Tensor y = t(f(1, 5, 1, 2), 4).requiresGrad(true);
        y.min().backward();
        assertTensor(y.grad(), new int[]{4}, 0.5f, 0, 0.5f, 0);
    }

    @Test
    void logSumExpIsStableAndHandlesInfiniteRows() {
        Tensor x = t(f(1000, 1000, -INF, -INF, 0, (float) Math.log(3)), 3, 2);
        assertTensor(x.logSumExp(1, false), new int[]{3}, 1000 + (float) Math.log(2), -INF, (float) Math.log(4));
        assertTensor(x.logSumExp(0, true), new int[]{1, 2}, 1000, 1000);
        assertTensor(t(f(INF, 1), 2).logSumExp(0, false), new int[]{}, INF);
    }

    @Test
    void softmaxAndLogSoftmax() {
        float e1 = (float) Math.E;
        Tensor x = t(f(0, 1, 0, -INF, -INF, -INF), 2, 3);
        float z = 2 + e1;
        // a row of all −∞ gives zeros (our documented choice; torch gives NaN)
        assertTensor(x.softmax(1), new int[]{2, 3}, 1 / z, e1 / z, 1 / z, 0, 0, 0);
        assertTensor(x.narrow(0, 0, 1).logSoftmax(-1), new int[]{1, 3},
                (float) -Math.log(z), (float) (1 - Math.log(z)), (float) -Math.log(z));
        // a masked position gets exactly 0
        assertTensor(t(f(0, -INF), 2).softmax(0), new int[]{2}, 1, 0);
        // over axis 0 equals over the last axis of the transpose
        Tensor y = t(f(1, 2, 3, 4, 5, 6), 2, 3);
        assertClose(y.transpose(0, 1).softmax(1).transpose(0, 1), y.softmax(0), 1e-6);
        assertClose(y.transpose(0, 1).logSoftmax(1).transpose(0, 1), y.logSoftmax(0), 1e-6);
        assertTensor(y.softmax(0).sum(0, false), new int[]{3}, 1, 1, 1);
        assertTensor(t(f(1000, 0), 2).softmax(0), new int[]{2}, 1, 0);
    }

    @Test
    void cumsumAlongAnyAxis() {
        Tensor x = t(f(1, 2, 3, 4, 5, 6), 2, 3);
        assertTensor(x.cumsum(1), new int[]{2, 3}, 1, 3, 6, 4, 9, 15);
        assertTensor(x.cumsum(0), new int[]{2, 3}, 1, 2, 3, 5, 7, 9);
        assertTensor(x.transpose(0, 1).cumsum(-1), new int[]{3, 2}, 1, 5, 2, 7, 3, 9);
    }

    @Test
    void topkSortedDescendingWithLowerIndexFirstOnTies() {
        Tensor x = t(f(1, 3, 3, 2, 5, 0, 3, 5), 2, 4);
        TopK top = x.topk(3, 1);
        assertTensor(top.values(), new int[]{2, 3}, 3, 3, 2, 5, 5, 3);
        assertTensor(top.indices(), new int[]{2, 3}, 1, 2, 3, 0, 3, 2);
        TopK col = x.topk(1, 0);
        assertTensor(col.values(), new int[]{1, 4}, 5, 3, 3, 5);
        assertTensor(col.indices(), new int[]{1, 4}, 1, 0, 0, 1);
        assertTensor(x.topk(0, 1).values(), new int[]{2, 0});
        // NaN counts as the largest, −0 ties with +0
        assertTensor(t(f(1, NAN, 2), 3).topk(2, 0).indices(), new int[]{2}, 1, 2);
        assertTensor(t(f(-0f, 0f, -1), 3).topk(2, 0).indices(), new int[]{2}, 0, 1);
        assertFails(ShapeException.class, () -> x.topk(5, 1), "topk", "k=5");
    }

    @Test
    void topkOfALongRowUsesTheHeapPathAndAgreesWithSort() {
        Rng rng = new Rng(5);
        Tensor x = Randoms.randint(rng, 0, 50, 3, 1000);          // many ties
        TopK top = x.topk(10, 1);
        Sorted all = x.sort(1, true);
        assertClose(all.values().narrow(1, 0, 10), top.values(), 0);
        assertClose(all.indices().narrow(1, 0, 10), top.indices(), 0);
    }

    @Test
    void sortIsStableBothWays() {
        Tensor x = t(f(2, 1, 2, 0, 1, NAN), 6);
        Sorted up = x.sort(0, false);
        assertTensor(up.values(), new int[]{6}, 0, 1, 1, 2, 2, NAN);
        assertTensor(up.indices(), new int[]{6}, 3, 1, 4, 0, 2, 5);
        Sorted down = x.sort(0, true);
        assertTensor(down.values(), new int[]{6}, NAN, 2, 2, 1, 1, 0);
        assertTensor(down.indices(), new int[]{6}, 5, 0, 2, 1, 4, 3);
        Tensor m = t(f(3, 1, 2, 0, 5, 4), 2, 3);
        assertTensor(m.sort(0, false).values(), new int[]{2, 3}, 0, 1, 2, 3, 5, 4);
        assertTensor(m.sort(0, false).indices(), new int[]{2, 3}, 1, 0, 0, 0, 1, 1);
        assertTensor(m.sort(-1, true).values(), new int[]{2, 3}, 3, 2, 1, 5, 4, 0);
        assertTensor(t(f(-INF, INF, -0f, -5), 4).sort(0, false).values(), new int[]{4}, -INF, -5, 0, INF);
    }

    @Test
    void reductionsAreLayoutIndependent() {
        Tensor x = t(f(0.5f, -1, 2, -3, 4, 1.5f, 6, -2, 0.25f, 3, -0.5f, 1), 3, 4);
        assertLayoutIndependent("sum0", in -> in.get(0).sum(0, false), x);
        assertLayoutIndependent("sum1", in -> in.get(0).sum(1, true), x);
        assertLayoutIndependent("sumAll", in -> in.get(0).sum(), x);
        assertLayoutIndependent("mean", in -> in.get(0).mean(0, true), x);
        assertLayoutIndependent("var", in -> in.get(0).var(new int[]{1}, true, false), x);
        assertLayoutIndependent("max", in -> in.get(0).max(0, false), x);
        assertLayoutIndependent("argmax", in -> in.get(0).argmax(1, false), x);
        assertLayoutIndependent("argmin", in -> in.get(0).argmin(0, false), x);
        assertLayoutIndependent("lse", in -> in.get(0).logSumExp(0, false), x);
        assertLayoutIndependent("softmax", in -> in.get(0).softmax(-1), x);
        assertLayoutIndependent("softmax0", in -> in.get(0).softmax(0), x);
        assertLayoutIndependent("logSoftmax", in -> in.get(0).logSoftmax(1), x);
        assertLayoutIndependent("cumsum", in -> in.get(0).cumsum(0), x);
        assertLayoutIndependent("topk", in -> in.get(0).topk(2, 1).values(), x);
        assertLayoutIndependent("sort", in -> in.get(0).sort(0, true).indices(), x);
        Tensor ex = t(f(1, 2, 3), 3).expand(4, 3);
        assertTensor(ex.sum(0, false), new int[]{3}, 4, 8, 12);
        assertTensor(ex.softmax(0), new int[]{4, 3}, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f);
    }

    @Test
    void badAxesFail() {
        Tensor x = Tensor.zeros(2, 3);
        assertFails(ShapeException.class, () -> x.sum(2, false), "sum", "axis 2", "rank 2");
        assertFails(ShapeException.class, () -> x.sum(new int[]{1, -1}, false), "sum", "twice");
        assertFails(ShapeException.class, () -> x.softmax(-3), "softmax", "axis -3");
        assertFails(ShapeException.class, () -> x.cumsum(5), "cumsum", "axis 5");
        assertFails(ShapeException.class, () -> x.argmin(3, false), "argmin");
        assertEquals(3, x.size(-1));
    }
}
