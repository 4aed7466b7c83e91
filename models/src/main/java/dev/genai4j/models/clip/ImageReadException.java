package dev.genai4j.models.clip;

import dev.genai4j.tensor.TensorException;

/**
 * An image cannot be used: unreadable, truncated, of an unknown format or colour model, or larger
 * than the pixel cap. The message names the file (or "bytes"), what was found and what to do.
 */
public class ImageReadException extends TensorException {
    public ImageReadException(String message) { super(message); }
    public ImageReadException(String message, Throwable cause) { super(message, cause); }

    /** The header announces more pixels than the cap allows; nothing was decoded. */
    public static final class TooLarge extends ImageReadException {
        public TooLarge(String message) { super(message); }
    }
}
