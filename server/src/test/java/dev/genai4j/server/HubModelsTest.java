package dev.genai4j.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hub ids in requests resolve only to snapshots already in a model root laid out as a Hugging Face
 * hub cache: nothing is downloaded for a client, malformed ids are 400, missing ones 404, and a
 * snapshot linked out of the root is refused like any other name.
 */
class HubModelsTest {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir Path cache;

    /** A hub-cache snapshot of the MiniLM folder: blobs plus relative links, as the hub client writes it. */
    private Path cacheMiniLm(String repoFolder) throws IOException {
        Path repo = cache.resolve(repoFolder);
        Path snap = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
        Files.createDirectories(repo.resolve("blobs"));
        try (var files = Files.list(TestModels.miniLm())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path blob = repo.resolve("blobs").resolve("blob-" + f.getFileName());
                Files.copy(f, blob);
                Files.createSymbolicLink(snap.resolve(f.getFileName()), snap.relativize(blob));
            }
        }
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), COMMIT);
        return snap;
    }

    private ModelCatalog catalog() {
        return new ModelCatalog(ServerConfig.builder().port(0).modelRoots(List.of(cache)).build(), new Metrics());
    }

    @Test
    void aCachedHubSnapshotIsServedByItsId() throws IOException {
        cacheMiniLm("models--acme--minilm");
        try (ModelCatalog c = catalog()) {
            EmbeddingModel m = c.embedding("hf:acme/minilm");
            assertEquals(384, m.dimensions());
            assertTrue(c.list().stream().anyMatch(i -> i.id().equals("hf:acme/minilm")));
        }
    }

    @Test
    void missingMalformedAndEscapingHubIdsAreRefused() throws IOException {
        Path outside = Files.createTempDirectory("outside");
        try (ModelCatalog c = catalog()) {
            ApiException missing = assertThrows(ApiException.class, () -> c.embedding("hf:acme/absent"));
            assertEquals(404, missing.status());
            assertTrue(missing.getMessage().contains("genai4j models download hf:acme/absent"), missing.getMessage());
            assertEquals(400, assertThrows(ApiException.class, () -> c.embedding("hf:../../etc")).status());
            assertEquals(400, assertThrows(ApiException.class, () -> c.embedding("hf:acme/x@../../y")).status());

            // a snapshot folder that is a link out of the hub cache
            Path repo = Files.createDirectories(cache.resolve("models--acme--escape/snapshots"));
            Files.createSymbolicLink(repo.resolve(COMMIT), outside);
            Files.createDirectories(cache.resolve("models--acme--escape/refs"));
            Files.writeString(cache.resolve("models--acme--escape/refs/main"), COMMIT);
            assertEquals(403, assertThrows(ApiException.class, () -> c.embedding("hf:acme/escape")).status());
        } finally {
            Files.delete(outside);
        }
    }
}
