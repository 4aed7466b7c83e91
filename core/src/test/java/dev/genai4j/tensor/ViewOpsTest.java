package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import static dev.genai4j.tensor.TensorAssert.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Views share storage; copies happen only for non-contiguous reshapes and the copy ops. */
class ViewOpsTest {
    private static Tensor iota(int... shape) {
        return Tensor.arange(0, Shapes.numel(shape), 1).reshape(shape);
    }

    @Test
    void reshapeOfContiguousDataIsAView() {
        Tensor x = iota(2, 3, 4);
        Tensor r = x.reshape(4, -1);
        assertArrayEquals(new int[]{4, 6}, r.shape());
        assertSharesStorage(x, r);
        r.set(100f, 1, 0);                       // element 6
        assertEquals(100f, x.get(0, 1, 2));
        assertSharesStorage(x, x.view(24));
        assertSharesStorage(x, x.flatten(1, 2));
        assertArrayEquals(new int[]{2, 12}, x.flatten(1, 2).shape());
        assertArrayEquals(new int[]{24}, x.flatten(0, -1).shape());
        // a contiguous narrow along axis 0 reshapes as a view too (offset kept)
        Tensor n = x.narrow(0, 1, 1).reshape(3, 4);
        assertSharesStorage(x, n);
        assertEquals(12f, n.get(0, 0));
    }

    @Test
    void reshapeOfNonContiguousDataCopies() {
        Tensor x = iota(2, 3);
        Tensor tr = x.transpose(0, 1);            // [3, 2]: 0 3 / 1 4 / 2 5
        assertFalse(tr.isContiguous());
        Tensor r = tr.reshape(6);
        assertNotSame(x.storage(), r.storage());
        assertTensor(r, new int[]{6}, 0, 3, 1, 4, 2, 5);
        Tensor c = tr.contiguous();
        assertTrue(c.isContiguous());
        assertTensor(c, new int[]{3, 2}, 0, 3, 1, 4, 2, 5);
        assertTrue(x.contiguous() == x);
        Tensor cp = x.copy();
        assertNotSame(x.storage(), cp.storage());
        cp.set(-1, 0, 0);
        assertEquals(0f, x.get(0, 0));
    }

    @Test
    void permuteTransposeNarrowSliceSelectShareStorage() {
        Tensor x = iota(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertArrayEquals(new int[]{4, 2, 3}, p.shape());
        assertSharesStorage(x, p);
        assertEquals(x.get(1, 2, 3), p.get(3, 1, 2));
        assertTensor(x.transpose(0, 2).select(0, 1).select(0, 2), new int[]{2}, 9, 21);
        Tensor n = x.narrow(2, 1, 2);
        assertSharesStorage(x, n);
        assertTensor(n.select(0, 0), new int[]{3, 2}, 1, 2, 5, 6, 9, 10);
        assertTensor(x.slice(1, -2, 3).select(0, 1).select(1, 0), new int[]{2}, 16, 20);
        assertTensor(x.slice(2, 1, 100).select(0, 0).select(0, 0), new int[]{3}, 1, 2, 3);   // end clamps like Python
        assertTensor(x.select(-1, -1), new int[]{2, 3}, 3, 7, 11, 15, 19, 23);
        // Python slicing clamps: x[:, 5:9] and x[:, 2:1] are empty, x[:, -9:1] is the first column
        assertArrayEquals(new int[]{2, 0, 4}, x.slice(1, 5, 9).shape());
        assertArrayEquals(new int[]{2, 0, 4}, x.slice(1, 2, 1).shape());
        assertArrayEquals(new int[]{2, 1, 4}, x.slice(1, -9, 1).shape());
        n.set(-5f, 0, 0, 0);
        assertEquals(-5f, x.get(0, 0, 1));
        assertTensor(x.mT().select(0, 0).select(0, 1), new int[]{3}, -5, 5, 9);
    }

    @Test
    void expandUnsqueezeSqueezeAreViews() {
        Tensor v = Tensor.of(new float[]{1, 2, 3}, 3);
        Tensor e = v.expand(2, 3);
        assertSharesStorage(v, e);
        assertArrayEquals(new int[]{0, 1}, e.strides());
        assertTensor(e, new int[]{2, 3}, 1, 2, 3, 1, 2, 3);
        Tensor col = Tensor.of(new float[]{1, 2}, 2, 1).expand(-1, 3);
        assertTensor(col, new int[]{2, 3}, 1, 1, 1, 2, 2, 2);
        Tensor u = v.unsqueeze(0);
        assertArrayEquals(new int[]{1, 3}, u.shape());
        assertSharesStorage(v, u);
        assertArrayEquals(new int[]{3, 1}, v.unsqueeze(-1).shape());
        // unsqueeze of a strided view stays a view (no copy)
        Tensor tr = iota(2, 3).transpose(0, 1);
        Tensor tu = tr.unsqueeze(1);
        assertSharesStorage(tr, tu);
        assertTensor(tu, new int[]{3, 1, 2}, 0, 3, 1, 4, 2, 5);
        assertTensor(tu.squeeze(1), new int[]{3, 2}, 0, 3, 1, 4, 2, 5);
        assertSharesStorage(tr, tu.squeeze(1));
        assertFails(ShapeException.class, () -> v.expand(2, 4), "expand", "[3]", "[2, 4]");
        assertFails(ShapeException.class, () -> iota(2, 3).squeeze(0), "squeeze", "size 2");
    }

    @Test
    void flipCopiesReversed() {
        Tensor x = iota(2, 3);
        assertTensor(x.flip(1), new int[]{2, 3}, 2, 1, 0, 5, 4, 3);
        assertTensor(x.flip(0), new int[]{2, 3}, 3, 4, 5, 0, 1, 2);
        assertTensor(x.flip(0, 1), new int[]{2, 3}, 5, 4, 3, 2, 1, 0);
        assertTensor(x.transpose(0, 1).flip(-1), new int[]{3, 2}, 3, 0, 4, 1, 5, 2);
        assertTensor(Tensor.zeros(0, 2).flip(0), new int[]{0, 2});
        assertNotSame(x.storage(), x.flip(0).storage());
    }

    @Test
    void repeatInterleaveRepeatAndPad() {
        Tensor x = iota(2, 2);                     // 0 1 / 2 3
        assertTensor(x.repeatInterleave(2, 0), new int[]{4, 2}, 0, 1, 0, 1, 2, 3, 2, 3);
        assertTensor(x.repeatInterleave(3, 1), new int[]{2, 6}, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3);
        assertTensor(x.repeatInterleave(0, 1), new int[]{2, 0});
        // GQA: [B=1, Hkv=2, T=1, D=2] → [1, 4, 1, 2], each kv head serving 2 query heads
        Tensor kv = iota(1, 2, 1, 2);
        assertTensor(kv.repeatInterleave(2, 1), new int[]{1, 4, 1, 2}, 0, 1, 0, 1, 2, 3, 2, 3);
        assertTensor(x.repeat(1, 2), new int[]{2, 4}, 0, 1, 0, 1, 2, 3, 2, 3);
        assertTensor(x.repeat(2, 1), new int[]{4, 2}, 0, 1, 2, 3, 0, 1, 2, 3);
        assertTensor(Tensor.of(new float[]{7, 8}, 2).repeat(2, 2), new int[]{2, 4}, 7, 8, 7, 8, 7, 8, 7, 8);
        assertFails(ShapeException.class, () -> x.repeat(2), "repeat");
        assertTensor(Tensor.of(new float[]{1, 2, 3}, 3).pad(new int[]{1, 2}, 0f), new int[]{6}, 0, 1, 2, 3, 0, 0);
        assertTensor(x.pad(new int[]{0, 1, 1, 0}, -1f), new int[]{3, 3}, -1, -1, -1, 0, 1, -1, 2, 3, -1);
        assertTensor(x.transpose(0, 1).pad(new int[]{1, 0}, 9f), new int[]{2, 3}, 9, 0, 2, 9, 1, 3);
        assertTensor(iota(4).pad(new int[]{-1, 1}, 5f), new int[]{4}, 1, 2, 3, 5);   // negative pads crop
        assertFails(ShapeException.class, () -> x.pad(new int[]{1}, 0f), "pad", "[1]");
        assertFails(ShapeException.class, () -> x.pad(new int[]{-2, -1}, 0f), "pad", "crops");
    }

    @Test
    void triangularMasks() {
        assertTensor(Tensor.triuMask(3, 3, 1), new int[]{3, 3}, 0, 1, 1, 0, 0, 1, 0, 0, 0);
        assertTensor(Tensor.triuMask(2, 3, 0), new int[]{2, 3}, 1, 1, 1, 0, 1, 1);
        assertTensor(Tensor.trilMask(3, 2, 0), new int[]{3, 2}, 1, 0, 1, 1, 1, 1);
        assertTensor(Tensor.trilMask(2, 3, -1), new int[]{2, 3}, 0, 0, 0, 1, 0, 0);
        Tensor x = iota(2, 2, 3).add(1);
        assertTensor(x.triu(0), new int[]{2, 2, 3}, 1, 2, 3, 0, 5, 6, 7, 8, 9, 0, 11, 12);
        assertTensor(x.tril(0), new int[]{2, 2, 3}, 1, 0, 0, 4, 5, 0, 7, 0, 0, 10, 11, 0);
    }

    @Test
    void viewErrors() {
        Tensor x = iota(2, 3);
        assertFails(ShapeException.class, () -> x.reshape(4, 2), "reshape", "[4, 2]", "6");
        assertFails(ShapeException.class, () -> x.reshape(-1, -1), "reshape", "-1");
        assertFails(ShapeException.class, () -> x.permute(0, 0), "permute", "repeated");
        assertFails(ShapeException.class, () -> x.permute(0), "permute");
        assertFails(ShapeException.class, () -> x.transpose(0, 2), "transpose", "axis 2");
        assertFails(IndexOutOfRangeException.class, () -> x.narrow(1, 2, 2), "narrow", "[2, 4)", "size 3");
        assertFails(IndexOutOfRangeException.class, () -> x.select(0, 2), "select", "index 2");
        assertFails(IndexOutOfRangeException.class, () -> x.get(0, 3), "[0, 3]", "[2, 3]");
        assertFails(IndexOutOfRangeException.class, () -> x.set(1f, -3, 0), "[-3, 0]");
        assertFails(ShapeException.class, () -> x.get(0), "rank 1");
        assertFails(ShapeException.class, () -> x.item(), "item", "[2, 3]");
        assertFails(ShapeException.class, () -> x.flip(2), "flip", "axis 2");
        assertEquals(5f, x.get(-1, -1));
    }

    @Test
    void viewsOfMemorySegmentsStayViews() {
        Tensor bf = layouts(iota(2, 3)).get(3);      // bf16 segment, read-only
        assertEquals(DType.BF16, bf.dtype());
        assertSharesStorage(bf, bf.reshape(3, 2));
        assertSharesStorage(bf, bf.transpose(0, 1));
        Tensor c = bf.contiguous();
        assertEquals(DType.F32, c.dtype());
        assertTensor(c, new int[]{2, 3}, 0, 1, 2, 3, 4, 5);
    }
}
