package dev.genai4j.models.clip;

import dev.genai4j.io.CheckpointException;

/** A CLIP checkpoint whose architecture this package does not implement (a ResNet image tower). */
public final class UnsupportedClipException extends CheckpointException {
    public UnsupportedClipException(String message) { super(message); }
}
