package dev.genai4j.models.diffusion;

import dev.genai4j.tensor.TensorException;

/** A bad argument to sampling or training (guidance, steps, prompt, checkpoint), with the value given and what is allowed. */
public class DiffusionException extends TensorException {
    public DiffusionException(String message) { super(message); }

    public DiffusionException(String message, Throwable cause) { super(message, cause); }
}
