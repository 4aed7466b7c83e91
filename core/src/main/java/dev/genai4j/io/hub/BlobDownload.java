package dev.genai4j.io.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches one blob into {@code blobs/<etag>.incomplete}, resuming from what is already there with
 * {@code Range: bytes=N-} and resuming again (up to {@link HubConfig#retries()} times) when the
 * connection breaks mid-body; checks the size and, for LFS files, the SHA-256 named by the etag;
 * then renames the file to {@code blobs/<etag>} in one atomic step. A file that fails the check is
 * deleted, so the next try starts clean.
 */
final class BlobDownload {
    private static final int CHUNK = 1 << 16;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "genai4j-hub-watchdog");
        t.setDaemon(true);
        return t;
    });
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    private final HubHttp http;
    private final HubConfig config;
    private final DownloadProgress progress;

    BlobDownload(HubHttp http, HubConfig config, DownloadProgress progress) {
        this.http = http;
        this.config = config;
        this.progress = progress;
    }

    /** Downloads {@code meta} to {@code blob} through {@code incomplete}; the caller holds the blob's lock. */
    void fetch(FileMetadata meta, Path incomplete, Path blob) throws IOException {
        Files.createDirectories(blob.getParent());
        MessageDigest sha = meta.isLfs() ? sha256() : null;
        long have = Files.isRegularFile(incomplete) ? Files.size(incomplete) : 0;
        if (have > meta.size()) have = restart(incomplete, sha);
        if (have > 0) {
            if (sha != null) digestExisting(incomplete, sha);
            progress.note("resuming " + meta.file() + " from byte " + have + " of " + meta.size());
        }
        progress.started(meta.file(), meta.size(), have);
        int stalls = 0;
        try (FileChannel ch = FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.position(have);
            while (have < meta.size()) {
                long before = have;
                try {
                    have = transfer(meta, ch, have, sha, incomplete);
                } catch (IOException e) {
                    if (e instanceof java.nio.channels.ClosedByInterruptException) throw e;
                    // a broken connection: what arrived stays in .incomplete and is resumed
                    have = ch.position();
                    progress.note("transfer of " + meta.file() + " broke at byte " + have + ": " + HubHttp.describe(e));
                } catch (HubUnreachableException e) {
                    progress.note("transfer of " + meta.file() + " broke: " + e.getMessage());
                }
                if (have >= meta.size()) break;
                // as the hub's client: bytes received reset the count, so only a stuck transfer gives up
                stalls = have > before ? 0 : stalls + 1;
                if (config.retries() == 0 || stalls > config.retries()) {
                    throw new HubException(meta.file() + ": the transfer broke after " + have + " of " + meta.size() + " bytes"
                            + (config.retries() > 0 ? " (" + config.retries() + " retries without progress)" : "")
                            + "; run the command again to resume from " + incomplete);
                }
                sleep(Math.min(2000, 100L << Math.min(stalls, 4)));
            }
            ch.force(true);
        }
        long size = Files.size(incomplete);
        if (size != meta.size()) {
            Files.deleteIfExists(incomplete);
            throw new HubIntegrityException(meta.file() + ": downloaded " + size + " bytes but the hub announced " + meta.size()
                    + " (X-Linked-Size/Content-Length); the partial file was deleted, run again to retry");
        }
        if (sha != null) {
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(meta.etag())) {
                Files.deleteIfExists(incomplete);
                throw new HubIntegrityException(meta.file() + ": SHA-256 mismatch: the hub's LFS metadata says " + meta.etag()
                        + " but the downloaded bytes hash to " + actual + "; the file was deleted, run again to retry");
            }
        }
        HubCache.moveAtomically(incomplete, blob);
        progress.finished(meta.file());
    }

    /** One GET from byte {@code have}; returns the bytes on disk afterwards. */
    private long transfer(FileMetadata meta, FileChannel ch, long have, MessageDigest sha, Path incomplete) throws IOException {
        try (HubResponse r = http.get(meta.location(), have)) {
            if (r.status() == 416) {
                // what we hold no longer fits the file: start over
                have = restart(ch, sha);
                return have;
            }
            if (r.status() != 200 && r.status() != 206) throw http.failure("downloading " + meta.file(), r);
            if (have > 0 && r.status() == 200) {
                // the server ignored our Range: it sends the whole file, so drop what we had
                progress.note("the server ignored the Range request for " + meta.file() + "; downloading it whole");
                have = restart(ch, sha);
            } else if (r.status() == 206) {
                long start = rangeStart(r.header("Content-Range"));
                if (start != have) {
                    throw new HubException("downloading " + meta.file() + ": asked for bytes from " + have + " but the server sent "
                            + "Content-Range '" + HubModelId.clip(r.header("Content-Range")) + "'");
                }
            }
            byte[] buf = new byte[CHUNK];
            InputStream in = r.body();
            OutputStream out = Channels.newOutputStream(ch);
            // java.net.http has no read timeout for a body: a watchdog closes a stalled stream, whose read then ends
            AtomicLong lastRead = new AtomicLong(System.nanoTime());
            AtomicBoolean stalled = new AtomicBoolean();
            long limit = config.readTimeout().toNanos();
            ScheduledFuture<?> watch = WATCHDOG.scheduleAtFixedRate(() -> {
                if (System.nanoTime() - lastRead.get() > limit && stalled.compareAndSet(false, true)) r.close();
            }, limit / 4, limit / 4, TimeUnit.NANOSECONDS);
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    lastRead.set(System.nanoTime());
                    if (have + n > meta.size()) {
                        throw new HubIntegrityException(meta.file() + ": the server sent more than the announced " + meta.size() + " bytes");
                    }
                    out.write(buf, 0, n);
                    if (sha != null) sha.update(buf, 0, n);
                    have += n;
                    progress.advanced(have);
                }
            } catch (IOException e) {
                if (stalled.get()) throw new SocketTimeoutException("no data for " + config.readTimeout().toMillis() + " ms");
                throw e;
            } finally {
                watch.cancel(false);
            }
            if (stalled.get() && have < meta.size()) throw new SocketTimeoutException("no data for " + config.readTimeout().toMillis() + " ms");
            return have;
        } catch (HubIntegrityException e) {
            Files.deleteIfExists(incomplete);
            throw e;
        }
    }

    private static long rangeStart(String contentRange) {
        if (contentRange == null) return -1;
        Matcher m = CONTENT_RANGE.matcher(contentRange.strip());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static long restart(Path incomplete, MessageDigest sha) throws IOException {
        try (FileChannel ch = FileChannel.open(incomplete, StandardOpenOption.WRITE)) {
            return restart(ch, sha);
        }
    }

    private static long restart(FileChannel ch, MessageDigest sha) throws IOException {
        ch.truncate(0);
        ch.position(0);
        if (sha != null) sha.reset();
        return 0;
    }

    private static void digestExisting(Path file, MessageDigest sha) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) sha.update(buf, 0, n);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("interrupted while waiting to resume a download", e);
        }
    }
}
