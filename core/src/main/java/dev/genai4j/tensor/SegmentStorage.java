package dev.genai4j.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Storage over a memory segment (typically a memory-mapped safetensors file), in any
 * {@link DType}, little-endian as safetensors stores it. Values convert to fp32 on read; nothing
 * is copied at load.
 */
public final class SegmentStorage extends Storage {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;

    private final MemorySegment segment;
    private final DType dtype;
    private final long length;
    private final boolean writable;

    public SegmentStorage(MemorySegment segment, DType dtype, boolean writable) {
        if (segment.byteSize() % dtype.byteSize() != 0) {
            throw new IllegalArgumentException("segment of " + segment.byteSize()
                    + " bytes is not a whole number of " + dtype + " elements");
        }
        this.segment = segment;
        this.dtype = dtype;
        this.length = segment.byteSize() / dtype.byteSize();
        this.writable = writable;
    }

    public MemorySegment segment() { return segment; }

    @Override public long length() { return length; }
    @Override public DType dtype() { return dtype; }
    @Override public boolean isWritable() { return writable; }

    @Override
    public float get(long i) {
        return switch (dtype) {
            case F32 -> segment.getAtIndex(F32, i);
            case BF16 -> HalfFloats.bf16ToFloat(segment.getAtIndex(I16, i));
            case F16 -> HalfFloats.f16ToFloat(segment.getAtIndex(I16, i));
            case I64 -> segment.getAtIndex(I64, i);
            case I32 -> segment.getAtIndex(I32, i);
            case I8 -> segment.get(ValueLayout.JAVA_BYTE, i);
            case U8 -> segment.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
            case BOOL -> segment.get(ValueLayout.JAVA_BYTE, i) != 0 ? 1f : 0f;
        };
    }

    /**
     * Bulk read: one memory copy for fp32, one tight conversion loop for bf16 / f16 (no dtype
     * switch per element). Weights mapped from safetensors are read this way whenever a kernel
     * needs them as an array, e.g. an LSTM's recurrent matrix on every forward pass.
     */
    @Override
    public void read(long from, float[] dst, int dstOff, int n) {
        switch (dtype) {
            case F32 -> MemorySegment.copy(segment, F32, from * 4, dst, dstOff, n);
            case BF16 -> dev.genai4j.tensor.kernels.VectorMath.widenBf16(segment, from * 2, dst, dstOff, n);
            case F16 -> {
                long base = from * 2;
                for (int i = 0; i < n; i++) dst[dstOff + i] = HalfFloats.f16ToFloat(segment.get(I16, base + 2L * i));
            }
            default -> super.read(from, dst, dstOff, n);
        }
    }

    /** Exact integer read (I64 ids beyond 2^24 do not survive a float). */
    public long getLong(long i) {
        return switch (dtype) {
            case I64 -> segment.getAtIndex(I64, i);
            case I32 -> segment.getAtIndex(I32, i);
            default -> (long) get(i);
        };
    }

    @Override
    public void set(long i, float v) {
        if (!writable) throw new ReadOnlyStorageException("set: " + dtype + " storage of " + length
                + " elements is read-only (memory-mapped weights); write to tensor.copy() instead");
        switch (dtype) {
            case F32 -> segment.setAtIndex(F32, i, v);
            case BF16 -> segment.setAtIndex(I16, i, HalfFloats.floatToBf16(v));
            case F16 -> segment.setAtIndex(I16, i, HalfFloats.floatToF16(v));
            case I64 -> segment.setAtIndex(I64, i, (long) v);
            case I32 -> segment.setAtIndex(I32, i, (int) v);
            case I8 -> segment.set(ValueLayout.JAVA_BYTE, i, (byte) v);
            case U8 -> segment.set(ValueLayout.JAVA_BYTE, i, (byte) (int) v);
            case BOOL -> segment.set(ValueLayout.JAVA_BYTE, i, (byte) (v != 0 ? 1 : 0));
        }
    }
}
