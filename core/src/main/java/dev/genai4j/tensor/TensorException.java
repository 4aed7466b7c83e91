package dev.genai4j.tensor;

/** Base of genai4j's typed runtime errors: the message says what was wrong and what was expected. */
public class TensorException extends RuntimeException {
    public TensorException(String message) { super(message); }
    public TensorException(String message, Throwable cause) { super(message, cause); }
}
