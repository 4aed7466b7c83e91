package dev.genai4j.io.hub;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Downloads models from the Hugging Face hub (or any server speaking its protocol) into the hub
 * cache, and finds them there again offline.
 *
 * <p>A snapshot asks {@code GET {endpoint}/api/models/{repo}/revision/{rev}} for the commit and
 * file list (falling back to well-known file names on servers without that API), records the
 * revision under {@code refs/}, and fetches each selected file that the snapshot does not have
 * yet: a HEAD of {@code {endpoint}/{repo}/resolve/{commit}/{file}} gives etag, size and the CDN
 * location ({@link FileMetadata}); a blob already in the cache is linked, any other is downloaded
 * with resume and checks ({@link BlobDownload}). Offline (or {@code HF_HUB_OFFLINE=1}) nothing
 * touches the network and the cached snapshot of the revision is returned, or an error that says
 * what is missing.
 *
 * <pre>{@code
 * try (HubClient hub = new HubClient(HubConfig.fromEnvironment())) {
 *     Path folder = hub.snapshot(HubModelId.parse("hf:sentence-transformers/all-MiniLM-L6-v2"));
 *     // folder = ~/.cache/huggingface/hub/models--sentence-transformers--all-MiniLM-L6-v2/snapshots/<commit>
 * }
 * }</pre>
 */
public final class HubClient implements AutoCloseable {
    /** Files tried, in order, when the server has no file-listing API. */
    static final List<String> KNOWN_FILES = List.of("config.json", "model.safetensors", "model.safetensors.index.json",
            "pytorch_model.bin", "pytorch_model.bin.index.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
            "vocab.txt", "vocab.json", "merges.txt", "spm.model", "sentencepiece.bpe.model", "tokenizer.model", "added_tokens.json",
            "generation_config.json", "preprocessor_config.json", "gliner_config.json", "modules.json", "sentence_bert_config.json",
            "1_Pooling/config.json");
    private static final int MAX_API_BYTES = 16 << 20;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build()).build());

    private final HubConfig config;
    private final HubCache cache;
    private final HubHttp http;

    public HubClient(HubConfig config) {
        this.config = config;
        this.cache = new HubCache(config.cacheDir());
        this.http = new HubHttp(config);
    }

    public HubConfig config() { return config; }

    public HubCache cache() { return cache; }

    /** {@link #snapshot(HubModelId, FileSelection, DownloadProgress)} with the default files and no progress output. */
    public Path snapshot(HubModelId id) { return snapshot(id, FileSelection.defaults(), DownloadProgress.NONE); }

    /**
     * The snapshot folder of {@code id} with the selected files present, downloading what is
     * missing (online) or finding it in the cache (offline).
     *
     * @throws HubNotCachedException   offline and the cache lacks the revision
     * @throws HubUnreachableException the endpoint cannot be reached (the message says whether {@code --offline} would work)
     * @throws HubHttpException        the hub refused (401/403), does not know the repo/revision/file (404) or failed (5xx)
     * @throws HubIntegrityException   a file's size or SHA-256 did not match the hub's metadata
     */
    public Path snapshot(HubModelId id, FileSelection selection, DownloadProgress progress) {
        if (config.offline()) return cache.requireSnapshot(id);
        try {
            return download(id, selection, progress);
        } catch (HubUnreachableException e) {
            Optional<Path> cached = cache.cachedSnapshot(id);
            String hint = cached.isPresent()
                    ? "; a cached snapshot of " + id + " exists at " + cached.get() + ": run again with --offline (or HF_HUB_OFFLINE=1) to use it"
                    : "; nothing of " + id + " is cached in " + cache.root() + ", so --offline cannot help: check the network or HF_ENDPOINT";
            throw new HubUnreachableException(e.getMessage() + hint, e.getCause());
        }
    }

    /** The commit and file list of {@code id}'s revision, from the hub's API. */
    public RepoInfo repoInfo(HubModelId id) {
        URI uri = URI.create(config.endpoint() + "/api/models/" + id.repo() + "/revision/" + encode(id.revision()));
        try (HubResponse r = http.get(uri, 0)) {
            if (r.status() != 200) throw http.failure("listing " + id, r);
            JsonNode root;
            try {
                root = JSON.readTree(HubHttp.text(r, MAX_API_BYTES));
            } catch (IOException e) {
                throw new HubException("listing " + id + ": " + HubHttp.safe(uri) + " did not answer JSON (" + HubHttp.describe(e) + ")");
            }
            if (root == null || !root.path("sha").isTextual() || !root.path("siblings").isArray()) {
                throw new HubException("listing " + id + ": the answer of " + HubHttp.safe(uri) + " has no 'sha' and 'siblings'");
            }
            List<String> files = new ArrayList<>();
            for (JsonNode s : root.path("siblings")) {
                if (!s.path("rfilename").isTextual()) throw new HubException("listing " + id + ": a sibling has no 'rfilename'");
                files.add(s.path("rfilename").asText());
            }
            return new RepoInfo(root.path("sha").asText(), files);
        }
    }

    /** What a HEAD of {@code file}'s resolve URL at {@code id}'s revision says (see {@link FileMetadata}). */
    public FileMetadata fileMetadata(HubModelId id, String file) {
        URI uri = resolveUrl(id, file);
        HubResponse r = http.head(uri);
        if (r.status() >= 400) throw http.failure("looking up " + file + " in " + id, r);
        String commit = r.header("X-Repo-Commit");
        if (commit == null) {
            throw new HubException("looking up " + file + " in " + id + ": " + HubHttp.safe(r.uri()) + " sent no X-Repo-Commit header; "
                    + "it does not look like a Hugging Face hub (check HF_ENDPOINT, proxy and firewall)");
        }
        String linked = r.header("X-Linked-Etag");
        String etag = FileMetadata.normalizeEtag(linked != null ? linked : r.header("ETag"));
        if (etag == null) throw new HubException("looking up " + file + " in " + id + ": the hub sent no ETag, so the file cannot be cached reliably");
        long size = r.longHeader("X-Linked-Size");
        if (size < 0 && !r.isRedirect()) size = r.longHeader("Content-Length");
        if (size < 0) throw new HubException("looking up " + file + " in " + id + ": the hub sent no X-Linked-Size or Content-Length");
        URI location = r.uri();
        if (r.isRedirect() && r.header("Location") != null) {
            try {
                location = r.uri().resolve(r.header("Location").strip());
            } catch (IllegalArgumentException e) {
                throw new HubException("looking up " + file + " in " + id + ": the redirect names an invalid Location");
            }
        }
        return new FileMetadata(file, HubCache.checkCommit(commit.strip()), HubCache.checkEtag(etag), size, location);
    }

    /**
     * {@code file} of {@code id} in the cache, downloaded if missing; returns its path in the
     * snapshot folder (a link to the blob).
     */
    public Path downloadFile(HubModelId id, String file, DownloadProgress progress) {
        HubCache.checkFileName(file);
        if (config.offline()) {
            Path p = cache.requireSnapshot(id).resolve(file);
            if (!Files.exists(p)) throw new HubNotCachedException(id + ": the cached snapshot " + p.getParent() + " has no " + file);
            return p;
        }
        FileMetadata meta = fileMetadata(id, file);
        cache.writeRef(id, meta.commit());
        return fetch(id, meta, progress);
    }

    private Path download(HubModelId id, FileSelection selection, DownloadProgress progress) {
        String commit;
        List<String> files;
        Optional<RepoInfo> info = listing(id);
        if (info.isPresent()) {
            commit = info.get().commit();
            files = selection.select(info.get().files());
            if (files.isEmpty()) {
                throw new HubException(id + " (commit " + commit + ") has no " + selection + " among its " + info.get().files().size() + " files");
            }
            cache.writeRef(id, commit);
        } else {
            // no listing API: probe well-known names at the revision; the first hit tells the commit
            commit = null;
            files = new ArrayList<>();
            Set<String> candidates = new LinkedHashSet<>(selection.select(KNOWN_FILES));
            for (String f : List.copyOf(candidates)) {
                FileMetadata meta;
                try {
                    meta = fileMetadata(commit == null ? id : id.atRevision(commit), f);
                } catch (HubHttpException e) {
                    // a missing file is expected here; a missing repository or revision ends the search
                    if (e.status() == 404 && !"RepoNotFound".equals(e.errorCode()) && !"RevisionNotFound".equals(e.errorCode())) continue;
                    throw e;
                }
                if (commit == null) {
                    commit = meta.commit();
                    cache.writeRef(id, commit);
                }
                files.add(f);
                Path p = fetch(id.atRevision(commit), meta, progress);
                for (String shard : shardsOf(f, p)) {
                    if (!files.contains(shard)) files.add(shard);
                }
            }
            if (commit == null) {
                throw new HubHttpException(404, id + ": the server has no file listing API and none of the usual files " + KNOWN_FILES
                        + " (check the repository and revision)");
            }
        }
        HubModelId pinned = id.atRevision(commit);
        for (String f : files) {
            if (Files.exists(cache.pointer(pinned, commit, f))) continue;
            fetch(pinned, fileMetadata(pinned, f), progress);
        }
        return cache.snapshotDir(pinned, commit);
    }

    /** The API's listing, or empty when this server has no such API (a plain mirror); real refusals still throw. */
    private Optional<RepoInfo> listing(HubModelId id) {
        try {
            return Optional.of(repoInfo(id));
        } catch (HubHttpException e) {
            boolean noApi = (e.status() == 404 || e.status() == 405 || e.status() == 501) && e.errorCode() == null;
            if (noApi) return Optional.empty();
            throw e;
        }
    }

    /** Links or downloads one file described by {@code meta} into {@code snapshots/<commit>/}. */
    private Path fetch(HubModelId id, FileMetadata meta, DownloadProgress progress) {
        Path pointer = cache.pointer(id, meta.commit(), meta.file());
        if (Files.exists(pointer)) return pointer;
        Path blob = cache.blob(id, meta.etag());
        cache.withBlobLock(id, meta.etag(), () -> {
            if (!Files.isRegularFile(blob)) new BlobDownload(http, config, progress).fetch(meta, cache.incomplete(id, meta.etag()), blob);
            cache.link(blob, pointer);
            return null;
        });
        return pointer;
    }

    /** The shard files a {@code *.index.json} names in its {@code weight_map}. */
    private static List<String> shardsOf(String file, Path local) {
        if (!file.endsWith(".index.json")) return List.of();
        try {
            JsonNode map = JSON.readTree(Files.readString(local, StandardCharsets.UTF_8)).path("weight_map");
            Set<String> shards = new LinkedHashSet<>();
            map.forEach(v -> {
                if (v.isTextual()) shards.add(HubCache.checkFileName(prefix(file) + v.asText()));
            });
            return List.copyOf(shards);
        } catch (IOException e) {
            throw new HubException(file + " is not a valid shard index: " + HubHttp.describe(e));
        }
    }

    private static String prefix(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash + 1);
    }

    private URI resolveUrl(HubModelId id, String file) {
        StringBuilder path = new StringBuilder();
        for (String seg : HubCache.checkFileName(file).split("/")) path.append('/').append(encode(seg));
        return URI.create(config.endpoint() + "/" + id.repo() + "/resolve/" + encode(id.revision()) + path);
    }

    /** Percent-encodes one path segment (a revision such as {@code refs/pr/1} becomes one segment, as the hub expects). */
    static String encode(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"); }

    @Override
    public void close() { http.close(); }
}
