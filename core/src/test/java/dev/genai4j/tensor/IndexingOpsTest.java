package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.genai4j.tensor.TensorAssert.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** gather / scatterAdd / indexSelect / cat / stack / split / chunk / oneHot / arange. */
class IndexingOpsTest {
    private static final Tensor X = t(f(1, 2, 3, 4, 5, 6), 2, 3);

    @Test
    void gatherAsTorch() {
        // out[i][j] = x[i][idx[i][j]] along axis 1
        assertTensor(X.gather(1, t(f(2, 0, 1, 1), 2, 2)), new int[]{2, 2}, 3, 1, 5, 5);
        // out[i][j] = x[idx[i][j]][j] along axis 0; index may be smaller than the input
        assertTensor(X.gather(0, t(f(1, 0, 1), 1, 3)), new int[]{1, 3}, 4, 2, 6);
        // gathering from a strided view reads it in place
        assertTensor(X.transpose(0, 1).gather(1, t(f(1, 0, 1), 3, 1)), new int[]{3, 1}, 4, 2, 6);
        assertTensor(X.expand(2, 2, 3).gather(2, t(f(2, 2, 2, 2), 2, 2, 1)), new int[]{2, 2, 1}, 3, 6, 3, 6);
        assertFails(IndexOutOfRangeException.class, () -> X.gather(1, t(f(3), 1, 1)), "gather", "index 3", "size 3");
        assertFails(IndexOutOfRangeException.class, () -> X.gather(1, t(f(-1), 1, 1)), "gather", "-1");
        assertFails(ShapeException.class, () -> X.gather(1, t(f(0, 0), 2)), "gather", "[2]", "[2, 3]");
        assertFails(ShapeException.class, () -> X.gather(1, Tensor.zeros(3, 1)), "gather", "[3, 1]", "[2, 3]");
    }

    @Test
    void scatterAddAccumulatesRepeatedIndices() {
        Tensor base = Tensor.zeros(2, 3);
        Tensor idx = t(f(0, 0, 2, 1, 1, 1), 2, 3);
        Tensor src = t(f(1, 2, 3, 4, 5, 6), 2, 3);
        assertTensor(base.scatterAdd(1, idx, src), new int[]{2, 3}, 3, 0, 3, 0, 15, 0);
        // axis 0: column j adds src[i][j] into row idx[i][j]
        Tensor idx0 = t(f(1, 0, 1), 1, 3);
        assertTensor(X.scatterAdd(0, idx0, t(f(10, 20, 30), 1, 3)), new int[]{2, 3}, 1, 22, 3, 14, 5, 36);
        assertTensor(X, new int[]{2, 3}, 1, 2, 3, 4, 5, 6);     // out of place
        assertFails(IndexOutOfRangeException.class, () -> base.scatterAdd(0, t(f(2), 1, 1), t(f(1), 1, 1)), "scatterAdd", "index 2");
        assertFails(ShapeException.class, () -> base.scatterAdd(0, t(f(0), 1, 1), t(f(1, 2), 1, 2)), "scatterAdd", "[1, 1]", "[1, 2]");
    }

    @Test
    void indexSelectWithRepeatsAndAnyLayout() {
        assertTensor(X.indexSelect(0, 1, 1, 0), new int[]{3, 3}, 4, 5, 6, 4, 5, 6, 1, 2, 3);
        assertTensor(X.indexSelect(1, t(f(2, 0), 2)), new int[]{2, 2}, 3, 1, 6, 4);
        assertTensor(X.transpose(0, 1).indexSelect(0, 2, 2), new int[]{2, 2}, 3, 6, 3, 6);
        assertTensor(X.narrow(0, 1, 1).indexSelect(1, 0), new int[]{1, 1}, 4);
        assertTensor(X.indexSelect(0, new int[0]), new int[]{0, 3});
        assertLayoutIndependent("indexSelect", in -> in.get(0).indexSelect(1, 2, 0, 2), X);
        assertLayoutIndependent("gather", in -> in.get(0).gather(0, in.get(1)), X, t(f(1, 0, 1, 0, 0, 1), 2, 3));
        assertLayoutIndependent("scatterAdd", in -> in.get(0).scatterAdd(1, in.get(1), in.get(2)),
                X, t(f(1, 0, 1, 0, 0, 1), 2, 3), t(f(1, 2, 3, 4, 5, 6), 2, 3));
        assertFails(IndexOutOfRangeException.class, () -> X.indexSelect(0, 2), "indexSelect", "index 2", "size 2");
        assertFails(ShapeException.class, () -> X.indexSelect(0, Tensor.zeros(1, 1)), "indexSelect", "[1, 1]");
        assertFails(ShapeException.class, () -> X.indexSelect(2, 0), "indexSelect", "axis 2");
    }

    @Test
    void catStackSplitChunk() {
        Tensor a = t(f(1, 2), 1, 2), b = t(f(3, 4, 5, 6), 2, 2);
        assertTensor(Tensor.cat(List.of(a, b), 0), new int[]{3, 2}, 1, 2, 3, 4, 5, 6);
        assertTensor(Tensor.cat(List.of(b, b.transpose(0, 1)), 1), new int[]{2, 4}, 3, 4, 3, 5, 5, 6, 4, 6);
        assertTensor(Tensor.cat(List.of(Tensor.zeros(0, 2), a), 0), new int[]{1, 2}, 1, 2);
        assertTensor(Tensor.stack(List.of(a.select(0, 0), b.select(1, 1)), 0), new int[]{2, 2}, 1, 2, 4, 6);
        assertTensor(Tensor.stack(List.of(a.select(0, 0), b.select(1, 1)), 1), new int[]{2, 2}, 1, 4, 2, 6);
        assertTensor(Tensor.stack(List.of(a.select(0, 0), b.select(1, 1)), -1), new int[]{2, 2}, 1, 4, 2, 6);
        assertFails(ShapeException.class, () -> Tensor.cat(List.of(a, b), 1), "cat", "[1, 2]", "[2, 2]");
        assertFails(ShapeException.class, () -> Tensor.cat(List.of(a, t(f(1, 2), 2)), 0), "cat", "[1, 2]", "[2]");
        assertFails(ShapeException.class, () -> Tensor.stack(List.of(a, b), 0), "stack", "[1, 2]", "[2, 2]");
        assertFails(ShapeException.class, () -> Tensor.cat(List.of(), 0), "cat");

        Tensor x = Tensor.arange(10).reshape(2, 5);
        List<Tensor> parts = x.split(new int[]{1, 4}, 1);
        assertTensor(parts.get(0), new int[]{2, 1}, 0, 5);
        assertTensor(parts.get(1), new int[]{2, 4}, 1, 2, 3, 4, 6, 7, 8, 9);
        assertSharesStorage(x, parts.get(1));
        assertFails(ShapeException.class, () -> x.split(new int[]{2, 2}, 1), "split", "[2, 2]", "5");
        // torch.chunk: ceil(5 / 3) = 2 per part → sizes 2, 2, 1
        List<Tensor> ch = x.chunk(3, 1);
        assertEquals(3, ch.size());
        assertTensor(ch.get(2), new int[]{2, 1}, 4, 9);
        assertTensor(ch.get(1), new int[]{2, 2}, 2, 3, 7, 8);
        // ceil(5 / 4) = 2 → only 3 parts, as torch
        assertEquals(3, x.chunk(4, 1).size());
        assertEquals(2, x.chunk(2, 0).size());
        assertFails(TensorException.class, () -> x.chunk(0, 1), "chunk");
    }

    @Test
    void oneHotAndArange() {
        assertTensor(Tensor.oneHot(t(f(2, 0, 1, 2), 2, 2), 3), new int[]{2, 2, 3}, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertFails(IndexOutOfRangeException.class, () -> Tensor.oneHot(t(f(3), 1), 3), "oneHot", "3");
        assertFails(IndexOutOfRangeException.class, () -> Tensor.oneHot(t(f(0.5f), 1), 3), "oneHot");
        // lengths as torch.arange: ceil((end - start) / step)
        assertTensor(Tensor.arange(5), new int[]{5}, 0, 1, 2, 3, 4);
        assertTensor(Tensor.arange(1, 2.5f, 0.5f), new int[]{3}, 1, 1.5f, 2);
        assertEquals(10, Tensor.arange(0, 1, 0.1f).numel());
        assertEquals(4, Tensor.arange(-1, 1, 0.6f).numel());
        assertTensor(Tensor.arange(3, 0, -1), new int[]{3}, 3, 2, 1);
        assertEquals(0, Tensor.arange(3, 0, 1).numel());
        assertEquals(0, Tensor.arange(0).numel());
        assertTensor(Tensor.arange(0, 1, 0.25f), new int[]{4}, 0, 0.25f, 0.5f, 0.75f);
        assertFails(TensorException.class, () -> Tensor.arange(0, 1, 0), "arange", "step");
        assertFails(TensorException.class, () -> Tensor.arange(0, Float.POSITIVE_INFINITY, 1), "arange");
        assertTensor(Tensor.full(2.5f, 2), new int[]{2}, 2.5f, 2.5f);
        assertTensor(Tensor.onesLike(X), new int[]{2, 3}, 1, 1, 1, 1, 1, 1);
        assertEquals("Tensor[2] F32 [1.0, 2.0]", t(f(1, 2), 2).toString());
    }
}
