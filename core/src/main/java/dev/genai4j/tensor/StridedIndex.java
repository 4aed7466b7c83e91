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

    /**
     * Reads the elements of a strided layout into {@code out} in row-major order, walking the
     * layout directly (no offsets array: a strided copy costs its output and nothing more).
     */
    static void read(Storage storage, int[] shape, int[] strides, int offset, float[] out) {
        int n = out.length;
        if (n == 0) return;
        if (shape.length == 0) {
            out[0] = storage.get(offset);
            return;
        }
        int last = shape.length - 1, len = shape[last], st = strides[last];
        StridedIndex it = new StridedIndex(shape, strides, offset);
        if (storage instanceof FloatStorage fs) {
            float[] a = fs.array();
            for (int base = 0; base < n; base += len) {
                int o = it.offset();
                if (st == 1) System.arraycopy(a, o, out, base, len);
                else for (int j = 0; j < len; j++) out[base + j] = a[o + j * st];
                it.advanceOuter(1);
            }
        } else {
            for (int base = 0; base < n; base += len) {
                long o = it.offset();
                for (int j = 0; j < len; j++) out[base + j] = storage.get(o + (long) j * st);
                it.advanceOuter(1);
            }
        }
    }

    /** Writes {@code values} (row-major) into a strided layout; the inverse of {@link #read}. */
    static void write(float[] values, Storage storage, int[] shape, int[] strides, int offset) {
        int n = values.length;
        if (n == 0) return;
        if (shape.length == 0) {
            storage.set(offset, values[0]);
            return;
        }
        int last = shape.length - 1, len = shape[last], st = strides[last];
        StridedIndex it = new StridedIndex(shape, strides, offset);
        float[] a = storage instanceof FloatStorage fs ? fs.array() : null;
        for (int base = 0; base < n; base += len) {
            int o = it.offset();
            if (a != null) for (int j = 0; j < len; j++) a[o + j * st] = values[base + j];
            else for (int j = 0; j < len; j++) storage.set(o + (long) j * st, values[base + j]);
            it.advanceOuter(1);
        }
    }
}
