package dev.genai4j.tensor;

/** fp32 storage on the heap: the storage every computed tensor gets. */
public final class FloatStorage extends Storage {
    private final float[] data;

    public FloatStorage(float[] data) { this.data = data; }

    public FloatStorage(int length) { this(new float[length]); }

    /** The backing array (shared, not copied). */
    public float[] array() { return data; }

    @Override public long length() { return data.length; }
    @Override public DType dtype() { return DType.F32; }
    @Override public float get(long index) { return data[(int) index]; }
    @Override public void set(long index, float value) { data[(int) index] = value; }
    @Override public boolean isWritable() { return true; }

    @Override
    public void read(long from, float[] dst, int dstOff, int n) {
        System.arraycopy(data, (int) from, dst, dstOff, n);
    }
}
