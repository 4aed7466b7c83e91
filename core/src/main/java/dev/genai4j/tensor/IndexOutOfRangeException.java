package dev.genai4j.tensor;

/** An index (element, token id, gather index …) lies outside the dimension it indexes. */
public class IndexOutOfRangeException extends TensorException {
    public IndexOutOfRangeException(String message) { super(message); }
}
