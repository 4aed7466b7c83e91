package dev.genai4j.tensor;

/** A write reached read-only storage (memory-mapped weights); copy the tensor to get a writable one. */
public class ReadOnlyStorageException extends TensorException {
    public ReadOnlyStorageException(String message) { super(message); }
}
