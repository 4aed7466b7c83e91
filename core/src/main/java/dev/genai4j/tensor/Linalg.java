package dev.genai4j.tensor;

import dev.genai4j.tensor.kernels.Gemm;

import java.util.Arrays;

/** Matrix products (NumPy matmul semantics) on the GEMM kernel, with backward. */
final class Linalg {
    private Linalg() {}

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) throw new ShapeException("matmul: scalars are not matrices; use mul");
        boolean aVec = a.dim() == 1, bVec = b.dim() == 1;
        if (a.size(-1) != b.size(bVec ? 0 : -2)) {
            throw new ShapeException("matmul: inner dimensions differ: " + Arrays.toString(a.shape()) + " · " + Arrays.toString(b.shape()));
        }
        if (b.dim() == 2 && a.dim() > 2 && a.isContiguous()) {
            // [.., M, K] · [K, N]: one GEMM over all rows (a view, no copy), so the weight
            // gradient is a single [K, N] product instead of one per batch summed afterwards
            int[] outShape = a.shape();
            outShape[outShape.length - 1] = b.size(1);
            return matmulNd(a.reshape(-1, a.size(-1)), b).reshape(outShape);
        }
        Tensor a2 = aVec ? a.unsqueeze(0) : a;
        Tensor b2 = bVec ? b.unsqueeze(1) : b;
        Tensor out = matmulNd(a2, b2);
        if (aVec) out = out.squeeze(-2);
        if (bVec) out = out.squeeze(-1);
        return out;
    }

    private static Tensor matmulNd(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        int m = as[as.length - 2], k = as[as.length - 1], k2 = bs[bs.length - 2], n = bs[bs.length - 1];
        if (k != k2) {
            throw new ShapeException("matmul: inner dimensions differ: " + Arrays.toString(as) + " · " + Arrays.toString(bs));
        }
        int[] batch = Shapes.broadcast(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2), "matmul (batch axes)");
        int nb = Shapes.numel(batch);
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        float[] c = new float[nb * m * n];
        // per-batch base offsets of A and B under broadcasting
        int[] aBatchStrides = batchStrides(a, batch), bBatchStrides = batchStrides(b, batch);
        int[] aOffs = StridedIndex.offsets(batch, aBatchStrides, a.offset());
        int[] bOffs = StridedIndex.offsets(batch, bBatchStrides, b.offset());
        int[] ast = a.strides(), bst = b.strides();
        int aRs = ast[ast.length - 2], aCs = ast[ast.length - 1], bRs = bst[bst.length - 2], bCs = bst[bst.length - 1];
        for (int i = 0; i < nb; i++) {
            Gemm.sgemm(m, n, k, a.storage(), aOffs[i], aRs, aCs, b.storage(), bOffs[i], bRs, bCs, c, i * m * n, n, false);
        }
        Tensor out = Tensor.of(c, outShape);
        if (Autograd.recording(a, b)) {
            Autograd.record(out, new GradFn("matmul", a, b) {
                @Override public Tensor[] backward(Tensor g) {
                    Tensor ga = needs(0) ? Reductions.sumToShape(g.matmul(b.detach().mT()), as) : null;
                    Tensor gb = needs(1) ? Reductions.sumToShape(a.detach().mT().matmul(g), bs) : null;
                    return new Tensor[]{ga, gb};
                }
            });
        }
        return out;
    }

    private static int[] batchStrides(Tensor t, int[] batch) {
        int[] shape = t.shape(), strides = t.strides();
        int r = shape.length - 2, off = batch.length - r;
        int[] s = new int[batch.length];
        for (int i = off; i < batch.length; i++) s[i] = shape[i - off] == 1 && batch[i] != 1 ? 0 : strides[i - off];
        return s;
    }
}
