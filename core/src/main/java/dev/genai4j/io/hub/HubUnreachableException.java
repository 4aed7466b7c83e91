package dev.genai4j.io.hub;

/** The hub endpoint could not be reached at all (refused, unknown host, timed out). */
public final class HubUnreachableException extends HubException {
    public HubUnreachableException(String message, Throwable cause) { super(message, cause); }
}
