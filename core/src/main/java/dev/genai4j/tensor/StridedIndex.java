package dev.genai4j.tensor;

/**
 * Walks an n-d index space in row-major order and yields the storage offset of each element
 * for one strided layout. The inner dimension is left to the caller (hot loops run it flat).
 */
final class StridedIndex {
    private final int[] shape, strides;
    private final int[] counter;
    private int offset;

    StridedIndex(int[] shape, int[] strides, int offset) {
        this.shape = shape;
        this.strides = strides;
        this.counter = new int[shape.length];
        this.offset = offset;
    }

    int offset() { return offset; }

    /** Advances over all dimensions but the last {@code inner} ones. */
    void advanceOuter(int inner) {
        for (int d = shape.length - 1 - inner; d >= 0; d--) {
            counter[d]++;
            offset += strides[d];
            if (counter[d] < shape[d]) return;
            offset -= strides[d] * shape[d];
            counter[d] = 0;
        }
    }

    /** Offsets of all elements, row-major. */
    static int[] offsets(int[] shape, int[] strides, int offset) {
        int n = Shapes.numel(shape);
        int[] out = new int[n];
        if (n == 0) return out;
        if (shape.length == 0) {
            out[0] = offset;
            return out;
        }
        int last = shape.length - 1, len = shape[last], st = strides[last];
        StridedIndex it = new StridedIndex(shape, strides, offset);
        for (int base = 0; base < n; base += len) {
            int o = it.offset();
            for (int j = 0; j < len; j++) out[base + j] = o + j * st;
            it.advanceOuter(1);
        }
        return out;
    }
}
