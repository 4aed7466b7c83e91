package dev.genai4j.io;

import dev.genai4j.tensor.DType;

/**
 * The {@code torch.*Storage} classes a checkpoint names in its persistent ids, with their element
 * size on disk and the {@link DType} genai4j holds them in. float64 and int16 have no genai4j
 * dtype: they are converted (to F32 and I32) when the checkpoint is opened.
 */
enum TorchStorageType {
    FLOAT("FloatStorage", 4, DType.F32),
    DOUBLE("DoubleStorage", 8, DType.F32),
    HALF("HalfStorage", 2, DType.F16),
    BFLOAT16("BFloat16Storage", 2, DType.BF16),
    LONG("LongStorage", 8, DType.I64),
    INT("IntStorage", 4, DType.I32),
    SHORT("ShortStorage", 2, DType.I32),
    CHAR("CharStorage", 1, DType.I8),
    BYTE("ByteStorage", 1, DType.U8),
    BOOL("BoolStorage", 1, DType.BOOL),
    /** An untyped storage saved on its own: bytes. */
    UNTYPED("UntypedStorage", 1, DType.U8);

    private final String className;
    private final int elementBytes;
    private final DType dtype;

    TorchStorageType(String className, int elementBytes, DType dtype) {
        this.className = className;
        this.elementBytes = elementBytes;
        this.dtype = dtype;
    }

    /** The class name in module {@code torch}, e.g. {@code FloatStorage}. */
    String className() { return className; }

    /** Bytes per element in the file. */
    int elementBytes() { return elementBytes; }

    /** The dtype of the tensors genai4j builds over this storage. */
    DType dtype() { return dtype; }

    /** Whether the bytes need converting (not just reading in place) to become {@link #dtype()}. */
    boolean converts() { return elementBytes != dtype.byteSize(); }

    /** The type for {@code torch.<className>}, or {@code null}. */
    static TorchStorageType forClassName(String className) {
        for (TorchStorageType t : values()) if (t.className.equals(className)) return t;
        return null;
    }

    @Override
    public String toString() { return "torch." + className; }
}
