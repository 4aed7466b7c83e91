package dev.genai4j.tensor;

/**
 * Flat element storage behind one or more tensors. Element {@code i} is read as fp32 whatever
 * the storage dtype; kernels that care about speed look at the concrete class
 * ({@link FloatStorage} exposes its array, {@link SegmentStorage} its memory segment).
 */
public abstract sealed class Storage permits FloatStorage, SegmentStorage {

    /** Number of elements. */
    public abstract long length();

    public abstract DType dtype();

    public abstract float get(long index);

    public abstract void set(long index, float value);

    public abstract boolean isWritable();

    /**
     * Copies elements [from, from + n) as fp32 into {@code dst[dstOff ..]}. Subclasses read in
     * bulk; this element-by-element loop is the reference they are tested against.
     */
    public void read(long from, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) dst[dstOff + i] = get(from + i);
    }
}
