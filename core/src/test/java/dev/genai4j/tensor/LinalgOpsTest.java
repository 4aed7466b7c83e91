package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import static dev.genai4j.tensor.TensorAssert.*;

/** matmul with NumPy semantics: 1-d promotion, batches, broadcast batches, strided operands. */
class LinalgOpsTest {
    /** Naive reference over dense [.., M, K] · [.., K, N] with equal batch. */
    private static float[] naive(float[] a, float[] b, int batch, int m, int k, int n, boolean aBroadcast, boolean bBroadcast) {
        float[] c = new float[batch * m * n];
        for (int z = 0; z < batch; z++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a[(aBroadcast ? 0 : z * m * k) + i * k + p] * b[(bBroadcast ? 0 : z * k * n) + p * n + j];
                    }
                    c[z * m * n + i * n + j] = (float) s;
                }
        return c;
    }

    @Test
    void vectorAndMatrixShapes() {
        Tensor v = t(f(1, 2, 3), 3);
        Tensor m = t(f(1, 0, 0, 1, 1, 1), 3, 2);            // [3, 2]
        assertTensor(v.matmul(v), new int[]{}, 14);
        assertTensor(v.matmul(m), new int[]{2}, 4, 5);
        assertTensor(m.mT().matmul(v), new int[]{2}, 4, 5);
        assertTensor(t(f(1, 2, 3, 4, 5, 6), 2, 3).matmul(m), new int[]{2, 2}, 4, 5, 10, 11);
        // batched [2, 1, 3] · [3, 2] and [3] · [2, 3, 2]
        assertTensor(t(f(1, 2, 3, 0, 0, 1), 2, 1, 3).matmul(m), new int[]{2, 1, 2}, 4, 5, 1, 1);
        assertTensor(v.matmul(Tensor.stack(java.util.List.of(m, m.mul(2)), 0)), new int[]{2, 2}, 4, 5, 8, 10);
        assertTensor(Tensor.zeros(2, 0).matmul(Tensor.zeros(0, 3)), new int[]{2, 3}, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void batchedAndBroadcastBatchesMatchTheNaiveProduct() {
        Rng rng = new Rng(3);
        Tensor a = Tensor.randn(rng, 4, 5, 7), b = Tensor.randn(rng, 4, 7, 3);
        assertTensor(a.matmul(b), 1e-5, new int[]{4, 5, 3}, naive(a.toFloatArray(), b.toFloatArray(), 4, 5, 7, 3, false, false));
        Tensor w = Tensor.randn(rng, 7, 3);
        assertTensor(a.matmul(w), 1e-5, new int[]{4, 5, 3}, naive(a.toFloatArray(), w.toFloatArray(), 4, 5, 7, 3, false, true));
        Tensor a1 = Tensor.randn(rng, 5, 7);
        assertTensor(a1.matmul(b), 1e-5, new int[]{4, 5, 3}, naive(a1.toFloatArray(), b.toFloatArray(), 4, 5, 7, 3, true, false));
        // [2, 1, M, K] · [3, K, N] → [2, 3, M, N]
        Tensor p = Tensor.randn(rng, 2, 1, 2, 4), q = Tensor.randn(rng, 3, 4, 2);
        Tensor out = p.matmul(q);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertClose(p.select(0, i).select(0, 0).matmul(q.select(0, j)), out.select(0, i).select(0, j), 1e-6);
            }
        }
    }

    @Test
    void stridedAndBf16OperandsAreLayoutIndependent() {
        Tensor a = t(f(1, -2, 3, 0.5f, 4, -1, 2, 2, 0.25f, 1, -3, 6), 3, 4), b = t(f(2, 1, -1, 0.5f, 3, 1, 0, -2), 4, 2);
        assertLayoutIndependent("matmul", in -> in.get(0).matmul(in.get(1)), a, b);
        assertLayoutIndependent("matmul batched", in -> in.get(0).reshape(3, 1, 4).matmul(in.get(1)), a, b);
        Tensor ex = t(f(1, 2, 3, 4), 4).expand(3, 4);                   // stride-0 rows
        assertTensor(ex.matmul(b), new int[]{3, 2}, 9, -3, 9, -3, 9, -3);
        Tensor col = a.select(1, 2);                                      // stride-4 vector
        assertTensor(col.matmul(t(f(1, 1, 1), 3)), new int[]{}, 3 + 2 - 3);
    }

    @Test
    void shapeErrors() {
        assertFails(ShapeException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 2)), "matmul", "[2, 3]", "[4, 2]");
        assertFails(ShapeException.class, () -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(3, 3, 2)), "matmul", "[2]", "[3]");
        assertFails(ShapeException.class, () -> Tensor.scalar(1).matmul(Tensor.zeros(1)), "matmul");
    }
}
