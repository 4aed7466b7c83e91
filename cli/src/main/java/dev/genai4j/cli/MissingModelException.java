package dev.genai4j.cli;

import dev.genai4j.tensor.TensorException;

/**
 * A {@code --model} that names neither an existing folder, a hub id nor a known model name
 * (exit code {@link ExitCodes#MISSING}), e.g. {@code ner: model folder not found: /nope}.
 */
final class MissingModelException extends TensorException {
    MissingModelException(String message) { super(message); }
}
