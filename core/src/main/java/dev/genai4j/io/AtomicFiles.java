package dev.genai4j.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a file so that readers see either the old file or the complete new one: the bytes go
 * to a temporary file in the same folder (same file system, so the rename is atomic), are
 * forced to disk, and the temp file is renamed over the target. On any failure the temp file
 * is deleted and the target is untouched.
 */
final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the body of a file into an open channel. */
    @FunctionalInterface
    interface Body {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Writes {@code bytes} as the whole content of {@code target}, atomically. */
    static void writeBytes(Path target, byte[] bytes) {
        write(target, channel -> {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) channel.write(buf);
        });
    }

    static void write(Path target, Body body) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = null;
        boolean moved = false;
        try {
            Files.createDirectories(dir);
            // Not Files.createTempFile: that makes the file 0600, and a checkpoint should get the
            // usual umask-derived permissions like any file the user writes.
            tmp = dir.resolve("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.writeTo(channel);
                channel.force(true);
            }
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
            syncDirectory(dir);
        } catch (AtomicMoveNotSupportedException e) {
            throw new CheckpointException("cannot write " + target + " atomically: the file system does not support atomic rename", e);
        } catch (IOException e) {
            throw new CheckpointException("cannot write " + target + ": " + e, e);
        } finally {
            if (!moved && tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one worth reporting
                }
            }
        }
    }

    /** Makes a rename durable across a crash; best effort, as not every file system allows opening a folder. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // durability hint only; the rename itself already happened atomically
        }
    }
}
