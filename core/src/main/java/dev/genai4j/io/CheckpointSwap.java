package dev.genai4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a checkpoint folder so that a kill at any moment leaves a whole one: the files go into a
 * fresh temporary sibling, then {@code target} moves to {@code old} and the temporary folder to
 * {@code target} (both atomic moves), and {@code old} is deleted. A reader that finds no complete
 * {@code target} falls back to {@code old}. Every resumable training checkpoint (MLM, CLIP, diffusion
 * and its RL, Point-E) is written through it.
 *
 * <pre>{@code
 * CheckpointSwap.replace(run.resolve("checkpoint"), run.resolve("checkpoint.old"), tmp -> unet.save(tmp, ema));
 * }</pre>
 */
public final class CheckpointSwap {
    /** Writes a checkpoint's files into the folder it is given. */
    @FunctionalInterface
    public interface Contents {
        void writeInto(Path dir) throws IOException;
    }

    private CheckpointSwap() {}

    public static void replace(Path target, Path old, Contents contents) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            contents.writeInto(tmp);
            deleteTree(old);
            if (Files.exists(target)) Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } finally {
            try {
                deleteTree(tmp);
            } catch (IOException ignored) {
                // a stray temp folder is harmless; the next write uses a new name
            }
        }
    }

    /** Deletes a folder and everything in it; nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
