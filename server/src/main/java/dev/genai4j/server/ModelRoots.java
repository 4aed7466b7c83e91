package dev.genai4j.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders a model name sent by a client may point into. A name resolves against each root in
 * turn; the result must stay inside that root both as written ({@code ..} is normalized away
 * first) and after symbolic links are followed, so no request can open a file elsewhere.
 *
 * <pre>{@code
 * ModelRoots roots = new ModelRoots(List.of(Path.of("/srv/models")));
 * roots.resolve("gliner-small");     // Optional[/srv/models/gliner-small] when that folder exists
 * roots.resolve("../etc");           // throws 403 model_outside_roots
 * }</pre>
 */
public final class ModelRoots {
    private final List<Path> roots;

    /** Each root must be an existing folder. */
    public ModelRoots(List<Path> roots) {
        List<Path> real = new ArrayList<>();
        for (Path r : roots) {
            if (!Files.isDirectory(r)) throw new IllegalArgumentException("model root " + r + " is not a folder");
            try {
                real.add(r.toRealPath());
            } catch (IOException e) {
                throw new IllegalArgumentException("model root " + r + " cannot be read: " + e.getMessage(), e);
            }
        }
        this.roots = List.copyOf(real);
    }

    public List<Path> roots() { return roots; }

    /**
     * The folder {@code name} names under a root, or empty when no root has it.
     *
     * @throws ApiException 400 for a malformed name, 403 for a name that leads outside every root
     */
    public java.util.Optional<Path> resolve(String name) {
        if (name == null || name.isBlank() || name.length() > 255) {
            throw ApiException.badRequest("model", "invalid_model", "a model name must be 1 to 255 characters");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) throw ApiException.badRequest("model", "invalid_model", "the model name contains a control character");
        }
        for (Path root : roots) {
            Path candidate;
            try {
                candidate = root.resolve(name).normalize();
            } catch (InvalidPathException e) {
                throw ApiException.badRequest("model", "invalid_model", "the model name is not a valid path");
            }
            if (!candidate.startsWith(root) || candidate.equals(root)) throw outside(name);
            if (!Files.isDirectory(candidate)) continue;
            Path real;
            try {
                real = candidate.toRealPath();
            } catch (IOException e) {
                continue;
            }
            if (!real.startsWith(root)) throw outside(name);   // a symbolic link out of the root
            return java.util.Optional.of(real);
        }
        return java.util.Optional.empty();
    }

    private static ApiException outside(String name) {
        return ApiException.forbidden("model", "model_outside_roots", "model '" + RequestJson.clip(name, 80)
                + "' leads outside the allowed model roots; name a folder inside a --model-root");
    }
}
