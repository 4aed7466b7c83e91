package dev.genai4j.io.hub;

/** Offline mode was asked for (or forced) and the cache does not hold what is needed. */
public final class HubNotCachedException extends HubException {
    public HubNotCachedException(String message) { super(message); }
}
