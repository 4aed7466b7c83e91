package dev.genai4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A one-word-per-line list such as {@code /usr/share/dict/words} (Debian's {@code wamerican},
 * about 104,000 words, possessives {@code dog's} included).
 *
 * <pre>{@code
 * try (Stream<String> w = WordList.openDefault().words(false)) {
 *     long n = w.count();   // ≈ 74,000 without the possessives
 * }
 * }</pre>
 */
public final class WordList {
    private final Path file;

    private WordList(Path file) { this.file = file; }

    /** @throws MissingDataException if {@code file} is absent */
    public static WordList open(Path file) {
        return new WordList(MissingDataException.require("word list", file, DataFiles.WORDS_INSTALL));
    }

    /** The installed {@link DataFiles#WORDS}. */
    public static WordList openDefault() { return open(DataFiles.WORDS); }

    /**
     * The words in file order, trimmed, blank lines skipped; lazy: close the stream.
     *
     * @param possessives keep entries ending in {@code 's}
     */
    public Stream<String> words(boolean possessives) {
        Stream<String> lines;
        try {
            lines = Files.lines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("word list: cannot read " + file, e);
        }
        return lines.map(String::strip).filter(w -> !w.isEmpty() && (possessives || !w.endsWith("'s")));
    }
}
