package dev.genai4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointSwapTest {
    @TempDir
    Path run;

    private List<String> entries() throws IOException {
        try (Stream<Path> s = Files.list(run)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesTheFolderWholeAndLeavesNoTemporaries() throws IOException {
        Path target = run.resolve("checkpoint"), old = run.resolve(".checkpoint.old");
        CheckpointSwap.replace(target, old, dir -> Files.writeString(dir.resolve("state.json"), "{\"step\":1}"));
        CheckpointSwap.replace(target, old, dir -> {
            Files.writeString(dir.resolve("state.json"), "{\"step\":2}");
            Files.writeString(dir.resolve("extra.txt"), "x");
        });
        assertEquals("{\"step\":2}", Files.readString(target.resolve("state.json")));
        assertEquals(List.of("checkpoint"), entries(), "only the checkpoint is left in the run folder");
    }

    @Test
    void aFailedWriteKeepsThePreviousCheckpoint() throws IOException {
        Path target = run.resolve("checkpoint"), old = run.resolve(".checkpoint.old");
        CheckpointSwap.replace(target, old, dir -> Files.writeString(dir.resolve("state.json"), "{\"step\":1}"));
        IOException e = assertThrows(IOException.class, () -> CheckpointSwap.replace(target, old, dir -> {
            Files.writeString(dir.resolve("state.json"), "{\"step\":2, half");
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("{\"step\":1}", Files.readString(target.resolve("state.json")));
        assertEquals(List.of("checkpoint"), entries(), "the half-written temporary folder is removed");
    }

    @Test
    void deleteTreeRemovesNestedFoldersAndIgnoresMissingOnes() throws IOException {
        Path d = run.resolve("a/b/c");
        Files.createDirectories(d);
        Files.writeString(d.resolve("f"), "x");
        CheckpointSwap.deleteTree(run.resolve("a"));
        assertFalse(Files.exists(run.resolve("a")));
        CheckpointSwap.deleteTree(run.resolve("missing"));
    }
}
