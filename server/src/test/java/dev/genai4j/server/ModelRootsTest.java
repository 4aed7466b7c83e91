package dev.genai4j.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** Model names from requests stay inside the roots: as written, and after following symbolic links. */
class ModelRootsTest {
    @TempDir Path tmp;

    @Test
    void namesResolveInsideTheRootsOnly() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("models"));
        Path model = Files.createDirectories(root.resolve("enc"));
        Files.createDirectories(root.resolve("family").resolve("small"));
        Path outside = Files.createDirectories(tmp.resolve("secret"));
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("alias"), model);
        ModelRoots roots = new ModelRoots(List.of(root));

        assertEquals(Optional.of(model.toRealPath()), roots.resolve("enc"));
        assertEquals(Optional.of(root.resolve("family/small").toRealPath()), roots.resolve("family/small"));
        assertEquals(Optional.of(model.toRealPath()), roots.resolve("alias"), "a link that stays inside is fine");
        assertEquals(Optional.of(model.toRealPath()), roots.resolve("family/../enc"), "'..' that stays inside is fine");
        assertEquals(Optional.empty(), roots.resolve("missing"));

        for (String evil : List.of("..", "../secret", "enc/../../secret", "/etc", outside.toString(), "escape", "escape/", ".", "./")) {
            ApiException e = assertThrows(ApiException.class, () -> roots.resolve(evil), evil);
            assertEquals(403, e.status(), evil);
            assertEquals("model_outside_roots", e.code());
        }
        for (String bad : List.of("", " ", "a\u0000b", "a\nb", "x".repeat(300))) {
            assertEquals(400, assertThrows(ApiException.class, () -> roots.resolve(bad)).status(), bad);
        }
    }

    @Test
    void noRootsMeansNoFolders() {
        assertEquals(Optional.empty(), new ModelRoots(List.of()).resolve("anything"));
        assertThrows(IllegalArgumentException.class, () -> new ModelRoots(List.of(tmp.resolve("nope"))));
    }
}
