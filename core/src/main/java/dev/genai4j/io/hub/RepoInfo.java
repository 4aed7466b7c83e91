package dev.genai4j.io.hub;

import java.util.List;

/**
 * A repository at one revision, from {@code GET /api/models/{repo}/revision/{rev}}: the commit
 * the revision points to ({@code sha}) and its file names ({@code siblings[].rfilename}).
 *
 * @param commit 40-hex commit hash
 * @param files  repository-relative file names, each checked by {@link HubCache#checkFileName}
 */
public record RepoInfo(String commit, List<String> files) {
    public RepoInfo {
        HubCache.checkCommit(commit);
        files = List.copyOf(files);
        files.forEach(HubCache::checkFileName);
    }
}
