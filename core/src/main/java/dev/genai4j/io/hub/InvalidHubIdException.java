package dev.genai4j.io.hub;

/** A model id, revision or file name that is malformed or could leave the cache folder ({@code ..}, absolute paths). */
public final class InvalidHubIdException extends HubException {
    public InvalidHubIdException(String message) { super(message); }
}
