package dev.genai4j.tensor;

/**
 * Element types a tensor's storage may hold. Compute is always fp32; the others are storage
 * formats (weights, token ids, masks) converted inside the kernels.
 * {@link #safetensorsName()} is the dtype string of the safetensors header.
 */
public enum DType {
    F32(4, "F32"), F16(2, "F16"), BF16(2, "BF16"), I64(8, "I64"), I32(4, "I32"),
    I8(1, "I8"), U8(1, "U8"), BOOL(1, "BOOL");

    private final int byteSize;
    private final String safetensorsName;

    DType(int byteSize, String safetensorsName) {
        this.byteSize = byteSize;
        this.safetensorsName = safetensorsName;
    }

    public int byteSize() { return byteSize; }

    public String safetensorsName() { return safetensorsName; }

    public boolean isFloatingPoint() { return this == F32 || this == F16 || this == BF16; }

    /** The dtype for a safetensors header string, or {@code null} if we do not compute with it. */
    public static DType fromSafetensors(String name) {
        for (DType d : values()) if (d.safetensorsName.equals(name)) return d;
        return null;
    }
}
