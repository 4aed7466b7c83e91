package dev.genai4j.text;

import dev.genai4j.tensor.TensorException;

/** A tokenizer could not be loaded, or an input could not be encoded as asked (names the file or input). */
public class TokenizerException extends TensorException {
    public TokenizerException(String message) { super(message); }
    public TokenizerException(String message, Throwable cause) { super(message, cause); }
}
