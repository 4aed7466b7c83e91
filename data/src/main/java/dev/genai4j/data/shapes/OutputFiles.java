package dev.genai4j.data.shapes;

import dev.genai4j.data.DataException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Writes output files atomically: the bytes go to a hidden temporary file in the target's folder
 * and are renamed over the target, so a reader never sees half a PLY or PNG and a failed write
 * leaves the old file in place. Unwritable targets fail with a message naming the path and why.
 *
 * <pre>{@code
 * OutputFiles.write(Path.of("out/cube.ply"), os -> os.write(bytes));
 * }</pre>
 */
public final class OutputFiles {
    private OutputFiles() {}

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code target} from {@code body}, creating missing parent folders. */
    public static void write(Path target, Body body) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (Files.isDirectory(absolute)) throw new DataException("cannot write " + target + ": it is a folder; give a file name");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException("cannot write " + target + ": cannot create its folder " + dir + " (" + e + ")", e);
        }
        if (!Files.isWritable(dir)) throw new DataException("cannot write " + target + ": the folder " + dir + " is not writable");
        Path tmp = dir.resolve("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        boolean moved = false;
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.writeTo(out);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException e) {
            throw new DataException("cannot write " + target + ": " + e, e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write failure is the one worth reporting
                }
            }
        }
    }
}
