package dev.genai4j.data;

import java.nio.file.Path;

/**
 * A corpus file that is not on this machine. The message names the file and the command that
 * installs it, e.g. {@code /usr/share/wordnet/data.noun is missing: install it with
 * 'apt-get install -y wordnet-base' (or 'bash scripts/fetch-data.sh')}.
 */
public final class MissingDataException extends DataException {
    private final Path file;

    public MissingDataException(String what, Path file, String installCommand) {
        super(what + ": " + file.toAbsolutePath() + " is missing: install it with '" + installCommand
                + "' (or 'bash scripts/fetch-data.sh' from the repository root)");
        this.file = file;
    }

    /** The file that was looked for. */
    public Path file() { return file; }

    /** Throws unless {@code file} is a readable regular file. */
    static Path require(String what, Path file, String installCommand) {
        if (!java.nio.file.Files.isReadable(file) || java.nio.file.Files.isDirectory(file)) {
            throw new MissingDataException(what, file, installCommand);
        }
        return file;
    }
}
