package dev.genai4j.data;

/** A data file that cannot be read or parsed, or a data-pipeline argument out of range. */
public class DataException extends RuntimeException {
    public DataException(String message) { super(message); }
    public DataException(String message, Throwable cause) { super(message, cause); }
}
