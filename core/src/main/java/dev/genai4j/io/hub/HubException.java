package dev.genai4j.io.hub;

import dev.genai4j.tensor.TensorException;

/**
 * Base of the hub client's typed errors. Messages name the repository, revision and file and say
 * what to do next; they never contain the access token (see {@link HubConfig#redact}).
 */
public class HubException extends TensorException {
    public HubException(String message) { super(message); }
    public HubException(String message, Throwable cause) { super(message, cause); }
}
