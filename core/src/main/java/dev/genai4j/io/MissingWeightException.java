package dev.genai4j.io;

import dev.genai4j.tensor.TensorException;

/** A checkpoint lacks a tensor the model needs; the message has its full name and the source. */
public class MissingWeightException extends TensorException {
    public MissingWeightException(String message) { super(message); }
}
