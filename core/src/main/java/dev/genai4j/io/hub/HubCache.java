package dev.genai4j.io.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The hub cache on disk, laid out exactly as the hub's Python client lays it out so that either
 * can reuse what the other downloaded:
 * <pre>
 * HF_HUB_CACHE/models--org--name/
 *   blobs/&lt;etag&gt;                     file contents, named by git sha1 or LFS sha256
 *   blobs/&lt;etag&gt;.incomplete          a transfer in progress (resumed with Range)
 *   snapshots/&lt;commit&gt;/&lt;file&gt;        relative symlink to ../../blobs/&lt;etag&gt; (a copy where links fail)
 *   refs/&lt;revision&gt;                  the commit a branch or tag pointed to when last seen
 * </pre>
 * Every name that comes from a server (file names, etags, commits) is checked before it becomes
 * a path, so a hostile hub cannot make us write outside the repository folder.
 *
 * <pre>{@code
 * HubCache cache = new HubCache(Path.of(System.getProperty("user.home"), ".cache/huggingface/hub"));
 * Optional<Path> snap = cache.cachedSnapshot(HubModelId.parse("hf:org/name"));
 * }</pre>
 */
public final class HubCache {
    private static final Pattern ETAG = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    /** One JVM-wide lock per blob: FileChannel locks are per process and throw when the same JVM asks twice. */
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path root;

    public HubCache(Path root) { this.root = root.toAbsolutePath().normalize(); }

    /** The cache folder holding every {@code models--org--name}. */
    public Path root() { return root; }

    public Path repoDir(HubModelId id) { return root.resolve(id.cacheFolderName()); }

    public Path blob(HubModelId id, String etag) { return repoDir(id).resolve("blobs").resolve(checkEtag(etag)); }

    public Path incomplete(HubModelId id, String etag) { return repoDir(id).resolve("blobs").resolve(checkEtag(etag) + ".incomplete"); }

    public Path snapshotDir(HubModelId id, String commit) { return repoDir(id).resolve("snapshots").resolve(checkCommit(commit)); }

    /** Where {@code file} of {@code commit} appears: {@code snapshots/<commit>/<file>}. */
    public Path pointer(HubModelId id, String commit, String file) {
        Path dir = snapshotDir(id, commit);
        Path p = dir.resolve(checkFileName(file)).normalize();
        if (!p.startsWith(dir) || p.equals(dir)) throw new InvalidHubIdException("hub file name '" + HubModelId.clip(file) + "' leaves the snapshot folder");
        return p;
    }

    private Path refFile(HubModelId id) { return repoDir(id).resolve("refs").resolve(id.revision()); }

    /** The commit {@code id}'s revision resolves to in the cache: itself for a commit hash, else the {@code refs/} file. */
    public Optional<String> commitOf(HubModelId id) {
        if (id.isCommitHash()) return Optional.of(id.revision());
        Path ref = refFile(id);
        try {
            if (!Files.isRegularFile(ref)) return Optional.empty();
            String c = Files.readString(ref, StandardCharsets.UTF_8).strip();
            return COMMIT.matcher(c).matches() ? Optional.of(c) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records that {@code id}'s revision points at {@code commit}; atomic, and nothing for a commit-hash revision. */
    public void writeRef(HubModelId id, String commit) {
        checkCommit(commit);
        if (id.revision().equals(commit)) return;
        if (commitOf(id).filter(commit::equals).isPresent()) return;   // unchanged: leave a read-only cache alone
        Path ref = refFile(id);
        Path tmp = ref.resolveSibling(ref.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
        try {
            Files.createDirectories(ref.getParent());
            Files.writeString(tmp, commit, StandardCharsets.UTF_8);
            moveAtomically(tmp, ref);
        } catch (IOException e) {
            throw new HubException("cannot write the cache ref " + ref + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the tmp file is only left behind when the move failed, and that already threw
            }
        }
    }

    /** The cached snapshot folder of {@code id}'s revision, when the ref and the folder are both there. */
    public Optional<Path> cachedSnapshot(HubModelId id) {
        return commitOf(id).map(c -> snapshotDir(id, c)).filter(Files::isDirectory);
    }

    /**
     * The cached snapshot folder, or an error that says exactly what is missing.
     *
     * @throws HubNotCachedException naming the folder, revision and the revisions that are cached
     */
    public Path requireSnapshot(HubModelId id) {
        Path repo = repoDir(id);
        if (!Files.isDirectory(repo)) {
            throw new HubNotCachedException(id + " is not in the hub cache (no folder " + repo + "); run 'genai4j models download "
                    + id + "' while online first");
        }
        Optional<String> commit = commitOf(id);
        if (commit.isEmpty()) {
            throw new HubNotCachedException(id + ": the hub cache " + repo + " has no ref for revision '" + id.revision()
                    + "' (cached refs: " + list(repo.resolve("refs"), true) + ", snapshots: " + list(repo.resolve("snapshots"), false)
                    + "); download it while online or name a cached revision");
        }
        Path snap = repo.resolve("snapshots").resolve(commit.get());
        if (!Files.isDirectory(snap)) {
            throw new HubNotCachedException(id + ": revision '" + id.revision() + "' points at commit " + commit.get()
                    + " but " + snap + " is missing; download it again while online");
        }
        return snap;
    }

    /**
     * Makes {@code pointer} show {@code blob}: a relative symbolic link as the hub's client makes
     * (so the cache can be moved), or a copy where the file system refuses links.
     */
    public void link(Path blob, Path pointer) {
        try {
            Files.createDirectories(pointer.getParent());
            if (Files.exists(pointer, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isSymbolicLink(pointer) && Files.exists(pointer)
                        && Files.isSameFile(pointer, blob)) return;
                Files.delete(pointer);
            }
            Path relative = pointer.getParent().relativize(blob);
            try {
                Files.createSymbolicLink(pointer, relative);
            } catch (UnsupportedOperationException | IOException e) {
                if (e instanceof FileAlreadyExistsException) throw (IOException) e;
                Path tmp = pointer.resolveSibling(pointer.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
                Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
                moveAtomically(tmp, pointer);
            }
        } catch (FileAlreadyExistsException e) {
            // another process linked the same file between our check and our link: theirs is as good
        } catch (IOException e) {
            throw new HubException("cannot link " + pointer + " to " + blob + ": " + e.getMessage(), e);
        }
    }

    /** Holds the blob's lock while {@code body} runs, across threads of this JVM and across processes. */
    public <T> T withBlobLock(HubModelId id, String etag, IoBody<T> body) {
        Path lockFile = root.resolve(".locks").resolve(id.cacheFolderName()).resolve(checkEtag(etag) + ".lock");
        ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock());
        jvm.lock();
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                return body.run();
            }
        } catch (IOException e) {
            throw new HubException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        } finally {
            jvm.unlock();
        }
    }

    /** A piece of work under a lock that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoBody<T> {
        T run() throws IOException;
    }

    /** True for an etag that is an LFS SHA-256 (64 lower-case hex), which the content must hash to. */
    public static boolean isSha256(String etag) { return etag != null && SHA256.matcher(etag).matches(); }

    static String checkEtag(String etag) {
        if (etag == null || !ETAG.matcher(etag).matches() || etag.equals(".") || etag.equals("..")) {
            throw new HubException("the hub sent an unusable ETag '" + HubModelId.clip(etag) + "'; expected a git or SHA-256 hash");
        }
        return etag;
    }

    static String checkCommit(String commit) {
        if (commit == null || !COMMIT.matcher(commit).matches()) {
            throw new HubException("the hub sent an unusable commit hash '" + HubModelId.clip(commit) + "'; expected 40 hex digits");
        }
        return commit;
    }

    /** A repository file name: relative, '/'-separated, no empty, '.' or '..' segment, no backslash or control character. */
    public static String checkFileName(String file) {
        if (file == null || file.isEmpty() || file.length() > 1024) throw new InvalidHubIdException("hub file name must be 1 to 1024 characters");
        for (int i = 0; i < file.length(); i++) {
            char c = file.charAt(i);
            if (Character.isISOControl(c) || c == '\\' || c == ':') {
                throw new InvalidHubIdException("hub file name '" + HubModelId.clip(file) + "' contains a control character, '\\' or ':'");
            }
        }
        for (String seg : file.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw new InvalidHubIdException("hub file name '" + HubModelId.clip(file) + "' must be a relative path without empty, '.' or '..' parts");
            }
        }
        return file;
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static List<String> list(Path dir, boolean recursive) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = recursive ? Files.walk(dir) : Files.list(dir)) {
            return s.filter(p -> recursive ? Files.isRegularFile(p) : Files.isDirectory(p))
                    .map(p -> dir.relativize(p).toString()).sorted().limit(20).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
