package dev.genai4j.models.mixtral;

import dev.genai4j.tensor.TensorException;

/** A generation request that cannot run: bad sampling options, an empty prompt, a prompt longer than the context. */
public class GenerationException extends TensorException {
    public GenerationException(String message) { super(message); }
}
