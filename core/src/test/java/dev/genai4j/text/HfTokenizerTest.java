package dev.genai4j.text;

import dev.genai4j.text.EncodeOptions.Overflow;
import dev.genai4j.text.EncodeOptions.Side;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** HfTokenizer on the real BERT uncased WordPiece tokenizer (ids checked against its vocab by hand). */
class HfTokenizerTest {
    @TempDir static Path dir;
    static HfTokenizer tok;

    @BeforeAll
    static void load() throws IOException {
        tok = HfTokenizer.load(BertTokenizerFixture.copyTo(dir));
    }

    @AfterAll
    static void close() { tok.close(); }

    @Test
    void encodesWithSpecialsOffsetsAndWordIds() {
        Encoding e = tok.encode("Hello world, how are you?");
        assertArrayEquals(new int[] {101, 7592, 2088, 1010, 2129, 2024, 2017, 1029, 102}, e.ids());
        assertArrayEquals(new String[] {"[CLS]", "hello", "world", ",", "how", "are", "you", "?", "[SEP]"}, e.tokens());
        assertArrayEquals(new int[] {-1, 0, 1, 2, 3, 4, 5, 6, -1}, e.wordIds());
        assertArrayEquals(new int[] {0, 0, 6, 11, 13, 17, 21, 24, 0}, e.charStarts());
        assertArrayEquals(new int[] {0, 5, 11, 12, 16, 20, 24, 25, 0}, e.charEnds());
        assertArrayEquals(new int[9], e.typeIds());
        assertEquals(9, e.realLength());
        assertFalse(e.truncated());
    }

    @Test
    void emptyAndWhitespaceOnlyGiveJustTheSpecials() {
        assertArrayEquals(new int[] {101, 102}, tok.encode("").ids());
        assertArrayEquals(new int[] {101, 102}, tok.encode("  \t\n ").ids());
        assertArrayEquals(new int[0], tok.encodeBatch(List.of(""), EncodeOptions.defaults().addSpecialTokens(false)).getFirst().ids());
    }

    @Test
    void nullTextAndMissingFileAreTypedErrors(@TempDir Path empty) {
        TokenizerException e = assertThrows(TokenizerException.class, () -> tok.encode(null));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
        assertThrows(TokenizerException.class, () -> tok.encodeBatch(Arrays.asList("a", null), EncodeOptions.defaults()));
        TokenizerException missing = assertThrows(TokenizerException.class, () -> HfTokenizer.load(empty));
        assertTrue(missing.getMessage().contains(empty.toAbsolutePath().toString()), missing.getMessage());
        assertTrue(missing.getMessage().contains("tokenizer.json"), missing.getMessage());
    }

    @Test
    void brokenFileIsATypedErrorNamingIt(@TempDir Path d) throws IOException {
        Files.writeString(d.resolve("tokenizer.json"), "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0}}, \"bogus\": [");
        TokenizerException e = assertThrows(TokenizerException.class, () -> HfTokenizer.load(d));
        assertTrue(e.getMessage().contains(d.toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void pairGetsTypeIdsOneAndSpansIntoTheSecondText() {
        Encoding e = tok.encode("Hello there", "second one");
        assertArrayEquals(new int[] {101, 7592, 2045, 102, 2117, 2028, 102}, e.ids());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1}, e.typeIds());
        assertEquals("one", "second one".substring(e.charStarts()[5], e.charEnds()[5]));
        assertEquals("there", "Hello there".substring(e.charStarts()[2], e.charEnds()[2]));
    }

    @Test
    void pairBatchTruncatesTheLongerMemberFirst() {
        List<Encoding> batch = tok.encodePairBatch(List.of("one two three four five", "hi"), List.of("six", "there"),
                EncodeOptions.defaults().maxLength(7, Overflow.TRUNCATE).padToLongest());
        // [CLS] one two three [SEP] six [SEP]: the first text lost two words, the pair none
        assertArrayEquals(new int[] {101, 2028, 2048, 2093, 102, 2416, 102}, batch.get(0).ids());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1}, batch.get(0).typeIds());
        assertTrue(batch.get(0).truncated());
        assertArrayEquals(new int[] {101, 7632, 102, 2045, 102, 0, 0}, batch.get(1).ids());
        assertEquals("there", "there".substring(batch.get(1).charStarts()[3], batch.get(1).charEnds()[3]));
        assertEquals(tok.encode("hi", "there").ids().length, batch.get(1).realLength());
        assertThrows(TokenizerException.class, () -> tok.encodePairBatch(List.of("a"), List.of(), EncodeOptions.defaults()));
    }

    @Test
    void padsToLongestOnEitherSide() {
        List<String> texts = List.of("a b", "hello world again");
        List<Encoding> right = tok.encodeBatch(texts, EncodeOptions.defaults().padToLongest());
        assertArrayEquals(new int[] {101, 1037, 1038, 102, 0}, right.get(0).ids());
        assertArrayEquals(new int[] {1, 1, 1, 1, 0}, right.get(0).attentionMask());
        assertArrayEquals(new int[] {-1, 0, 1, -1, -1}, right.get(0).wordIds());
        assertEquals("[PAD]", right.get(0).tokens()[4]);
        assertArrayEquals(new int[] {101, 7592, 2088, 2153, 102}, right.get(1).ids());

        List<Encoding> left = tok.encodeBatch(texts, EncodeOptions.defaults().padToLongest().padSide(Side.LEFT).padId(103));
        assertArrayEquals(new int[] {103, 101, 1037, 1038, 102}, left.get(0).ids());
        assertArrayEquals(new int[] {0, 1, 1, 1, 1}, left.get(0).attentionMask());
        assertEquals(2, left.get(0).charStarts()[3]);      // "b" keeps its span after the shift
        assertThrows(TokenizerException.class, () -> tok.encodeBatch(texts, EncodeOptions.defaults().padToLongest().padId(40_000)));
    }

    @Test
    void fixedLengthPaddingAndTruncation() {
        String longText = "one two three four five six seven";
        EncodeOptions fixed = EncodeOptions.defaults().padToLength(6);
        TokenizerException tooLong = assertThrows(TokenizerException.class, () -> tok.encodeBatch(List.of(longText), fixed));
        assertTrue(tooLong.getMessage().contains("9 tokens"), tooLong.getMessage());

        List<Encoding> cut = tok.encodeBatch(List.of(longText, "one"), fixed.maxLength(5, Overflow.TRUNCATE));
        assertArrayEquals(new int[] {101, 2028, 2048, 2093, 102, 0}, cut.get(0).ids());
        assertTrue(cut.get(0).truncated());
        assertArrayEquals(new int[] {101, 2028, 102, 0, 0, 0}, cut.get(1).ids());
        assertFalse(cut.get(1).truncated());

        TokenizerException strict = assertThrows(TokenizerException.class,
                () -> tok.encodeBatch(List.of("one", longText), EncodeOptions.defaults().maxLength(5, Overflow.ERROR)));
        assertTrue(strict.getMessage().contains("input 1 has 9 tokens"), strict.getMessage());
        // the truncation setting does not leak into later calls
        assertEquals(9, tok.encode(longText).length());
    }

    @Test
    void truncatesPairsLongestFirstKeepingSpecials() {
        List<Encoding> warned = tok.encodeBatch(List.of("one two three four five six seven"),
                EncodeOptions.defaults().maxLength(4, Overflow.TRUNCATE_AND_WARN));
        assertArrayEquals(new int[] {101, 2028, 2048, 102}, warned.getFirst().ids());
    }

    @Test
    void preSplitWordsGiveWordIdsAndSpansIntoEachWord() {
        Encoding e = tok.encodeWords(List.of("Hello", "wonderful", "worldly"));
        assertArrayEquals(new int[] {101, 7592, 6919, 2088, 2135, 102}, e.ids());
        assertArrayEquals(new int[] {-1, 0, 1, 2, 2, -1}, e.wordIds());
        assertArrayEquals(new String[] {"[CLS]", "hello", "wonderful", "world", "##ly", "[SEP]"}, e.tokens());
        assertArrayEquals(new int[] {0, 0, 0, 0, 5, 0}, e.charStarts());
        assertArrayEquals(new int[] {0, 5, 9, 5, 7, 0}, e.charEnds());

        List<Encoding> batch = tok.encodeWordsBatch(List.of(List.of("New", "York"), List.of("a", "b", "c", "d")),
                EncodeOptions.defaults().padToLongest());
        assertArrayEquals(new int[] {-1, 0, 1, -1, -1, -1}, batch.get(0).wordIds());
        assertArrayEquals(new int[] {101, 1037, 1038, 1039, 1040, 102}, batch.get(1).ids());
        assertArrayEquals(new int[] {101, 102}, tok.encodeWords(List.of()).ids());
    }

    @Test
    void nonAsciiSpansAreJavaCharIndices() {
        String text = "héllo 😀 wörld naïve café";
        Encoding e = tok.encode(text);
        assertArrayEquals(new int[] {101, 7592, 100, 2088, 15743, 7668, 102}, e.ids());
        assertArrayEquals(new String[] {"[CLS]", "hello", "[UNK]", "world", "naive", "cafe", "[SEP]"}, e.tokens());
        assertEquals("😀", text.substring(e.charStarts()[2], e.charEnds()[2]));   // a surrogate pair: 2 chars
        assertEquals("wörld", text.substring(e.charStarts()[3], e.charEnds()[3]));
        assertEquals("café", text.substring(e.charStarts()[5], e.charEnds()[5]));
    }

    @Test
    void decodesWithAndWithoutSpecials() {
        int[] ids = tok.encode("Hello world, how are you?").ids();
        assertEquals("hello world, how are you?", tok.decode(ids, true));
        assertEquals("[CLS] hello world, how are you? [SEP]", tok.decode(ids, false));
        assertEquals("worldly", tok.decode(new int[] {2088, 2135}, true));
        assertThrows(TokenizerException.class, () -> tok.decode(new int[] {30522}, true));
    }

    @Test
    void vocabularyLookups() {
        assertEquals(30522, tok.vocabSize());
        assertEquals(7592, tok.tokenToId("hello"));
        assertEquals(-1, tok.tokenToId("not-a-token-at-all"));
        assertEquals("world", tok.idToToken(2088));
        assertEquals("##ly", tok.idToToken(2135));
        assertThrows(TokenizerException.class, () -> tok.idToToken(30522));
        assertEquals(0, tok.padTokenId());
        assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"), List.copyOf(tok.specialTokens().keySet()));
        assertEquals(101, tok.specialTokens().get("[CLS]"));
    }

    @Test
    void batchMatchesSingleEncodes() {
        List<String> texts = List.of("The quick brown fox.", "", "Tokenizers are fun!", "naïve 😀");
        List<Encoding> batch = tok.encodeBatch(texts, EncodeOptions.defaults());
        for (int i = 0; i < texts.size(); i++) assertEquals(tok.encode(texts.get(i)), batch.get(i), texts.get(i));
    }

    @Test
    void closedTokenizerFailsClearly() throws IOException {
        Path d = Files.createTempDirectory(dir, "closed");
        HfTokenizer t = HfTokenizer.load(BertTokenizerFixture.copyTo(d));
        t.close();
        TokenizerException e = assertThrows(TokenizerException.class, () -> t.encode("x"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
