package dev.genai4j.io;

import dev.genai4j.tensor.TensorException;

/**
 * A checkpoint file or folder cannot be read or written: it is missing, unreadable, malformed or
 * inconsistent. The message names the file (and the tensor or key where there is one), what was
 * expected and what was found.
 */
public class CheckpointException extends TensorException {
    public CheckpointException(String message) { super(message); }
    public CheckpointException(String message, Throwable cause) { super(message, cause); }
}
