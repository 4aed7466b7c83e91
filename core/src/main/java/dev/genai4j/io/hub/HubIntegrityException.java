package dev.genai4j.io.hub;

/** A downloaded file does not match the size or SHA-256 the hub announced; the partial file was deleted. */
public final class HubIntegrityException extends HubException {
    public HubIntegrityException(String message) { super(message); }
}
