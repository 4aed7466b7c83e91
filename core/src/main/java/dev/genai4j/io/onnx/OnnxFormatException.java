package dev.genai4j.io.onnx;

import dev.genai4j.io.CheckpointException;

/** An ONNX file cannot be read, or does not hold the graph the importer expects; the message names the file. */
public class OnnxFormatException extends CheckpointException {
    public OnnxFormatException(String message) { super(message); }
    public OnnxFormatException(String message, Throwable cause) { super(message, cause); }
}
