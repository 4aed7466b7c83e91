package dev.genai4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class WordListTest {
    @Test
    void readsWordsAndDropsPossessivesWhenAsked(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("words"), "A\nAA's\naardvark\n\n  zebra \nzebra's\n");
        try (Stream<String> w = WordList.open(f).words(false)) { assertEquals(List.of("A", "aardvark", "zebra"), w.toList()); }
        try (Stream<String> w = WordList.open(f).words(true)) { assertEquals(5, w.count()); }
    }

    @Test
    void missingFileNamesThePackage(@TempDir Path dir) {
        MissingDataException e = assertThrows(MissingDataException.class, () -> WordList.open(dir.resolve("words")));
        assertTrue(e.getMessage().contains("wamerican"), e.getMessage());
    }

    @Test
    void realWordListWhenInstalled() {
        assumeTrue(Files.isReadable(DataFiles.WORDS), "wamerican not installed (bash scripts/fetch-data.sh)");
        try (Stream<String> w = WordList.openDefault().words(false)) {
            List<String> words = w.toList();
            assertTrue(words.size() > 50_000, "words: " + words.size());
            assertTrue(words.contains("aardvark"));
            assertTrue(words.stream().noneMatch(x -> x.endsWith("'s")));
        }
    }
}
