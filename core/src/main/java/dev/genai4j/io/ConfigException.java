package dev.genai4j.io;

/** A {@code config.json} (or another JSON file of a checkpoint) lacks a key or holds a value of the wrong type. */
public class ConfigException extends CheckpointException {
    public ConfigException(String message) { super(message); }
    public ConfigException(String message, Throwable cause) { super(message, cause); }
}
