package dev.genai4j.io;

/**
 * A safetensors file breaks the format: its length field, JSON header, a tensor's dtype, shape or
 * data offsets, or the layout of its byte buffer. Such a file is corrupt or was not written by a
 * conforming writer; nothing of it is used.
 */
public class SafetensorsFormatException extends CheckpointException {
    public SafetensorsFormatException(String message) { super(message); }
    public SafetensorsFormatException(String message, Throwable cause) { super(message, cause); }
}
