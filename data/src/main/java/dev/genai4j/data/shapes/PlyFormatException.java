package dev.genai4j.data.shapes;

import dev.genai4j.data.DataException;

/** A PLY file that is not one we can read: bad header, missing x/y/z, truncated body, bad number. */
public class PlyFormatException extends DataException {
    public PlyFormatException(String message) { super(message); }
}
