package dev.genai4j.io.hub;

/** The hub answered with an HTTP error status (401/403: token, 404: repository, revision or file not found, 5xx: hub trouble). */
public final class HubHttpException extends HubException {
    private final int status;
    private final String errorCode;

    public HubHttpException(int status, String message) { this(status, null, message); }

    public HubHttpException(int status, String errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The HTTP status code the hub answered. */
    public int status() { return status; }

    /** The hub's {@code X-Error-Code} ({@code RepoNotFound}, {@code RevisionNotFound}, {@code EntryNotFound}, {@code GatedRepo}), or null. */
    public String errorCode() { return errorCode; }
}
