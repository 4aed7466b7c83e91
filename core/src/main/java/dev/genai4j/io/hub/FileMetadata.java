package dev.genai4j.io.hub;

import java.net.URI;

/**
 * What a HEAD of a file's resolve URL tells, read the way the hub's Python client reads it:
 * the commit from {@code X-Repo-Commit}; the etag from {@code X-Linked-Etag} (an LFS file's
 * SHA-256, sent with the redirect to the CDN) else {@code ETag} (a git blob hash), with
 * {@code W/} and quotes removed; the size from {@code X-Linked-Size} else, when the answer is
 * not a redirect, {@code Content-Length}; and where to GET it: the redirect's {@code Location},
 * else the resolve URL itself.
 *
 * @param file     the file's path in the repository
 * @param commit   the commit the revision resolved to
 * @param etag     blob name in the cache; for LFS files also the content's SHA-256
 * @param size     bytes the file has
 * @param location where the bytes are fetched from
 */
public record FileMetadata(String file, String commit, String etag, long size, URI location) {
    /** True when the etag is an LFS SHA-256 that the downloaded bytes are checked against. */
    public boolean isLfs() { return HubCache.isSha256(etag); }

    /** {@code W/"abc"} or {@code "abc"} → {@code abc}, as the hub's client normalizes ETags. */
    static String normalizeEtag(String etag) {
        if (etag == null) return null;
        String e = etag.strip();
        if (e.startsWith("W/")) e = e.substring(2);
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) e = e.substring(1, e.length() - 1);
        return e.isEmpty() ? null : e;
    }
}
