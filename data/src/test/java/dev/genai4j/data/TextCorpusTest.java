package dev.genai4j.data;

import dev.genai4j.text.BpeTrainer;
import dev.genai4j.text.TrainedBpe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TextCorpusTest {
    private static List<String> docs(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + " document number " + i + " says hello to the world.").toList();
    }

    @Test
    void splitIsDeterministicAndDependsOnlyOnTheDocument() {
        List<String> a = docs("alpha", 2000);
        TextCorpus one = TextCorpus.builder().heldOutFraction(0.1).domain("x", a::stream).build();
        List<String> more = new ArrayList<>(docs("beta", 500));
        more.addAll(a);
        TextCorpus two = TextCorpus.builder().heldOutFraction(0.1).domain("x", more::stream).build();
        CorpusDomain d = one.domain("x");
        assertEquals(2000, d.train().size() + d.heldOut().size());
        assertTrue(d.heldOut().size() > 140 && d.heldOut().size() < 260, "held out " + d.heldOut().size());
        Set<String> heldOutTwo = new HashSet<>(two.domain("x").heldOut());
        for (String s : d.heldOut()) assertTrue(heldOutTwo.contains(s), s);
        for (String s : d.train()) assertFalse(heldOutTwo.contains(s), s);
    }

    @Test
    void byteCapIsNeverExceededAndSplitAmongSources() {
        TextCorpus c = TextCorpus.builder().maxBytesPerDomain(10_000)
                .domain("mixed", List.of(() -> docs("first", 10_000).stream(), () -> Stream.generate(() -> "endless").limit(100_000)))
                .build();
        CorpusDomain d = c.domain("mixed");
        long total = d.trainBytes() + d.heldOutBytes();
        assertTrue(total <= 10_000 && total > 9_900, "bytes " + total);
        long first = Stream.concat(d.train().stream(), d.heldOut().stream()).filter(s -> s.startsWith("first")).mapToLong(String::length).sum();
        assertTrue(first <= 5_000 && first > 4_900, "first source bytes " + first);
    }

    @Test
    void utf8BytesCountsMultibyteText() {
        assertEquals(1 + 2 + 3 + 4, TextCorpus.utf8Bytes("a\u00e9\u20ac\uD83D\uDE00"));
    }

    @Test
    void sampleRateKeepsAStableShare() {
        List<String> a = docs("gamma", 4000);
        CorpusDomain d = TextCorpus.builder().sampleRate(0.25).heldOutFraction(0).domain("g", a::stream).build().domain("g");
        assertTrue(d.train().size() > 850 && d.train().size() < 1150, "kept " + d.train().size());
        assertTrue(d.heldOut().isEmpty());
        assertEquals(d.train(), TextCorpus.builder().sampleRate(0.25).heldOutFraction(0).domain("g", a::stream).build().domain("g").train());
    }

    @Test
    void writesOneFilePerDomainThatTheBpeTrainerReads(@TempDir Path dir) throws IOException {
        TextCorpus c = TextCorpus.builder().heldOutFraction(0.2)
                .domain("prose", () -> docs("prose", 50).stream())
                .domain("arithmetic", () -> new ArithmeticGenerator(1, ArithmeticGenerator.Difficulty.EASY).stream(50).map(ArithmeticProblem::text))
                .build();
        Map<String, Path> files = c.writeFiles(dir);
        assertEquals(List.of("prose", "arithmetic"), List.copyOf(files.keySet()));
        CorpusDomain prose = c.domain("prose");
        assertEquals(String.join(TextCorpus.DOCUMENT_SEPARATOR, prose.train()), Files.readString(files.get("prose")));
        assertEquals(String.join(TextCorpus.DOCUMENT_SEPARATOR, prose.heldOut()), Files.readString(dir.resolve("prose.heldout.txt")));
        BpeTrainer trainer = new BpeTrainer(300, List.of("<pad>", "<mask>"), 2);
        files.values().forEach(trainer::feedFile);
        TrainedBpe bpe = trainer.train();
        assertNotNull(bpe);
        assertTrue(trainer.distinctPieces() > 20);
    }

    @Test
    void badArgumentsAreTypedErrors() {
        assertThrows(DataException.class, () -> TextCorpus.builder().maxBytesPerDomain(0));
        assertThrows(DataException.class, () -> TextCorpus.builder().heldOutFraction(1.0));
        assertThrows(DataException.class, () -> TextCorpus.builder().domain("a b", Stream::empty));
        DataException e = assertThrows(DataException.class, () -> TextCorpus.builder().domain("x", Stream::empty).build().domain("y"));
        assertTrue(e.getMessage().contains("[x]"), e.getMessage());
    }

    @Test
    void standardCorpusFromInstalledFiles() {
        assumeTrue(Files.isReadable(DataFiles.WORDNET_DIR.resolve("data.noun")) && Files.isReadable(DataFiles.GCIDE_DICT)
                && Files.isReadable(DataFiles.jdkSourceZip()), "corpora not installed (bash scripts/fetch-data.sh)");
        TextCorpus c = TextCorpus.standard(200_000, 1.0);
        assertEquals(List.of("prose", "code", "arithmetic"), List.copyOf(c.domains().keySet()));
        for (CorpusDomain d : c.domains().values()) {
            long bytes = d.trainBytes() + d.heldOutBytes();
            // the cap is never passed; a source stops at its first document that does not fit (Java files reach 100 KB)
            assertTrue(bytes <= 200_000 && bytes > 50_000, d.name() + " bytes " + bytes);
            assertFalse(d.heldOut().isEmpty(), d.name());
        }
        assertTrue(c.domain("code").train().stream().anyMatch(s -> s.contains("package java.")));
        assertTrue(c.domain("prose").train().stream().anyMatch(s -> s.startsWith("entity: ")));
    }
}
