package dev.genai4j.tensor;

/** Tensors made from nothing: ranges, one-hot rows, index vectors. */
final class Creation {
    private Creation() {}

    static Tensor arange(float start, float end, float step) {
        if (step == 0 || !Float.isFinite(step) || !Float.isFinite(start) || !Float.isFinite(end)) {
            throw new TensorException("arange: start, end and step must be finite and step non-zero, got ["
                    + start + ", " + end + ") step " + step);
        }
        // length as torch: ceil((end - start) / step) in double
        double len = Math.ceil(((double) end - start) / step);
        if (len > Integer.MAX_VALUE - 8) throw new TensorException("arange: " + len + " elements is too many");
        int n = (int) Math.max(0, len);
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

    /**
     * A [rows, cols] 0/1 mask: 1 where {@code col - row >= diagonal} (upper) or
     * {@code col - row <= diagonal} (lower), as {@code torch.triu / torch.tril} of a ones matrix.
     */
    static Tensor triangleMask(int rows, int cols, int diagonal, boolean upper) {
        if (rows < 0 || cols < 0) throw new ShapeException((upper ? "triu" : "tril") + "Mask: negative size " + rows + " x " + cols);
        float[] d = new float[Shapes.numel(new int[]{rows, cols})];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                boolean keep = upper ? j - i >= diagonal : j - i <= diagonal;
                if (keep) d[i * cols + j] = 1f;
            }
        }
        return Tensor.of(d, rows, cols);
    }

    /** A 1-d tensor holding the given indices. */
    static Tensor indices(int... idx) {
        float[] d = new float[idx.length];
        for (int i = 0; i < idx.length; i++) d[i] = idx[i];
        return Tensor.of(d, idx.length);
    }
}
