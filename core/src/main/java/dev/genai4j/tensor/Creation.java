package dev.genai4j.tensor;

/** Tensors made from nothing: ranges, one-hot rows, index vectors. */
final class Creation {
    private Creation() {}

    static Tensor arange(float start, float end, float step) {
        if (step == 0 || Float.isNaN(step)) throw new TensorException("arange: step must be non-zero, got " + step);
        int n = (int) Math.max(0, Math.ceil((end - start) / (double) step));
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) (start + (double) i * step);
        return Tensor.of(d, n);
    }

    static Tensor oneHot(Tensor indices, int numClasses) {
        if (numClasses <= 0) throw new TensorException("oneHot: numClasses must be positive, got " + numClasses);
        float[] idx = indices.data();
        float[] d = new float[idx.length * numClasses];
        for (int i = 0; i < idx.length; i++) {
            int c = (int) idx[i];
            if (c != idx[i] || c < 0 || c >= numClasses) {
                throw new IndexOutOfRangeException("oneHot: class " + idx[i] + " outside [0, " + numClasses + ")");
            }
            d[i * numClasses + c] = 1f;
        }
        int[] s = indices.shape();
        int[] out = java.util.Arrays.copyOf(s, s.length + 1);
        out[s.length] = numClasses;
        return Tensor.of(d, out);
    }

    /** A 1-d tensor holding the given indices. */
    static Tensor indices(int... idx) {
        float[] d = new float[idx.length];
        for (int i = 0; i < idx.length; i++) d[i] = idx[i];
        return Tensor.of(d, idx.length);
    }
}
