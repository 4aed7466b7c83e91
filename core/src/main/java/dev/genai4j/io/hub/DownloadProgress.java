package dev.genai4j.io.hub;

/**
 * Hears how a download goes, so a command line can draw a progress bar with rate and ETA while
 * the library itself prints nothing. Calls come from the downloading thread.
 *
 * <pre>{@code
 * DownloadProgress p = new DownloadProgress() {
 *     public void started(String file, long total, long resumedFrom) { System.err.println(file + ": " + total + " bytes"); }
 *     public void advanced(long bytesSoFar) {}
 *     public void finished(String file) {}
 * };
 * }</pre>
 */
public interface DownloadProgress {
    /** A transfer of {@code file} ({@code total} bytes) starts; {@code resumedFrom} bytes were already on disk. */
    void started(String file, long total, long resumedFrom);

    /** {@code bytesSoFar} of the current file are on disk (resumed bytes included). */
    void advanced(long bytesSoFar);

    /** The current file is complete and verified (or failed: the next call is {@code started} again or nothing). */
    void finished(String file);

    /** Something a person may want to know: a resume, a retry, a skipped file. */
    default void note(String message) {}

    /** Hears nothing. */
    DownloadProgress NONE = new DownloadProgress() {
        @Override public void started(String file, long total, long resumedFrom) {}
        @Override public void advanced(long bytesSoFar) {}
        @Override public void finished(String file) {}
    };
}
