package dev.genai4j.text;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Trains on ~400 KB of JDK sources + prose, then checks the result through the Rust binding. */
class BpeTrainerTest {
    static final List<String> SPECIALS = List.of("<pad>", "<s>", "</s>", "<unk>", "<mask>");
    @TempDir static Path dir;
    static TrainedBpe bpe;
    static HfTokenizer tok;
    static List<String> heldOutCode;

    @BeforeAll
    static void train() throws IOException {
        BpeTrainer trainer = new BpeTrainer(4096, SPECIALS, 2);
        for (String source : JdkSources.read("java.base/java/util/", 0, 400_000)) trainer.feed(source);
        trainer.feed(EnglishProse.generate(1, 3000));
        bpe = trainer.train();
        bpe.writeTokenizerJson(dir.resolve("tokenizer.json"));
        tok = HfTokenizer.load(dir);
        heldOutCode = JdkSources.read("java.base/java/util/concurrent/", 0, 60_000);
    }

    @Test
    void vocabularyIsFullWithSpecialsFirst() {
        assertEquals(4096, bpe.vocabSize());
        assertEquals(4096, tok.vocabSize());
        assertEquals(4096 - 5 - 256, bpe.merges().size());
        for (int i = 0; i < SPECIALS.size(); i++) assertEquals(i, tok.tokenToId(SPECIALS.get(i)));
        assertEquals(List.copyOf(SPECIALS), List.copyOf(tok.specialTokens().keySet()));
        assertEquals(0, tok.padTokenId());
        assertEquals("Ġ", tok.idToToken(5 + ' '));
    }

    @Test
    void commonMergesExist() {
        for (String t : new String[] {"Ġthe", "return", "Ġreturn", "public", "Ġ==", "Ġ!=", "ĠĠĠĠ", "ĊĠĠĠĠĠĠĠĠ", "Ġnull", "();"}) {
            assertTrue(tok.tokenToId(t) >= 261, "expected a merged token " + t);
        }
    }

    @Test
    void roundTripsHeldOutText() {
        List<String> texts = new ArrayList<>(heldOutCode);
        texts.add(EnglishProse.generate(99, 50));
        texts.add("Ünïcödé: 日本語のテキスト, emoji 😀🚀, tabs\tand\r\nCRLF, NBSP\u00a0here, math ∑∞≠ and <s> inside.");
        texts.add("");
        texts.add("   \n\t  ");
        for (String text : texts) {
            int[] ids = tok.encode(text).ids();
            assertEquals(text, tok.decode(ids, false), "round trip");
        }
    }

    @Test
    void indentationRunsAreSingleTokens() {
        assertEquals(1, tok.encode("        ").length());
        assertEquals(1, tok.encode("\n        ").length());
        Encoding e = tok.encode("        return x;");
        assertEquals("ĠĠĠĠĠĠĠĠ", e.tokens()[0]);
        assertEquals(8, e.charEnds()[0]);
        assertEquals("return", e.tokens()[1]);
    }

    @Test
    void compressesHeldOutCodeBetterThanTwoAndAHalfBytesPerToken() {
        long bytes = 0, tokens = 0;
        for (String source : heldOutCode) {
            bytes += source.getBytes(StandardCharsets.UTF_8).length;
            tokens += tok.encode(source).length();
        }
        double bytesPerToken = (double) bytes / tokens;
        assertTrue(bytesPerToken > 2.5, "bytes per token " + bytesPerToken);
    }

    @Test
    void specialTokensAreMatchedWhole() {
        Encoding e = tok.encode("<s>int x;</s>");
        assertEquals(1, e.ids()[0]);
        assertEquals(2, e.ids()[e.length() - 1]);
        assertEquals("int x;", tok.decode(e.ids(), true));
    }

    @Test
    void tinyCorpusGivesTheTextbookMerges() {
        TrainedBpe small = new BpeTrainer(300, List.of("<pad>"), 2).feed("aaabdaaabac").train();
        List<String> merges = new ArrayList<>();
        for (int r = 0; r < small.merges().size(); r++) merges.add(small.mergeString(r));
        assertEquals(List.of("a a", "a b", "aa ab"), merges);        // then every pair occurs once < minFrequency
        assertEquals(1 + 256 + 3, small.vocabSize());
        assertEquals("aaab", small.tokens().get(small.vocabSize() - 1));
    }

    @Test
    void wordCountsWeighMerges() {
        // " ab" occurs 3 times, "cd" once: with minFrequency 2 only the pairs inside " ab" merge
        TrainedBpe small = new BpeTrainer(300, List.of(), 2).feed("cd ab ab ab").train();
        List<String> merges = new ArrayList<>();
        for (int r = 0; r < small.merges().size(); r++) merges.add(small.mergeString(r));
        assertEquals(List.of("Ġ a", "Ġa b"), merges);
    }

    @Test
    void trainingIsDeterministic() {
        String corpus = EnglishProse.generate(7, 400);
        TrainedBpe x = new BpeTrainer(600, SPECIALS, 2).feed(corpus).train();
        TrainedBpe y = new BpeTrainer(600, SPECIALS, 2).feed(corpus).train();
        assertEquals(x.tokens(), y.tokens());
    }

    @Test
    void writesAtomicallyAndOverwrites(@TempDir Path out) throws IOException {
        TrainedBpe small = new BpeTrainer(300, SPECIALS, 2).feed("hello hello world world").train();
        Path file = out.resolve("tokenizer.json");
        small.writeTokenizerJson(file);
        small.writeTokenizerJson(file);
        try (var files = Files.list(out)) {
            assertEquals(List.of(file), files.toList(), "no temp file left behind");
        }
        try (HfTokenizer t = HfTokenizer.load(file)) {
            assertEquals("hello world", t.decode(t.encode("hello world").ids(), false));
        }
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(TokenizerException.class, () -> new BpeTrainer(100, SPECIALS, 2));
        assertThrows(TokenizerException.class, () -> new BpeTrainer(1000, List.of("<s>", "<s>"), 2));
        assertThrows(TokenizerException.class, () -> new BpeTrainer(1000, SPECIALS, 0));
        assertThrows(TokenizerException.class, () -> new BpeTrainer(1000, SPECIALS, 2).feed(null));
    }
}
