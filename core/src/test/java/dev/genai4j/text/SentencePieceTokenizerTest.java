package dev.genai4j.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our tokenizer read from {@code spm.model} against the DJL binding of HF tokenizers on the
 * {@code tokenizer.json} made from the same vocabulary, and against SentencePiece itself, on
 * 200 varied sentences (see {@code scripts/reference/make_spm_fixture.py} and the fixture README).
 */
class SentencePieceTokenizerTest {
    static final Path DIR = Path.of("src/test/resources/fixtures/spm");

    static List<String> sentences() throws Exception {
        return Files.readAllLines(DIR.resolve("sentences.txt"), StandardCharsets.UTF_8);
    }

    @Test
    void readsTheModelProto() {
        SentencePieceModel m = SentencePieceModel.read(DIR.resolve("spm.model"));
        assertEquals(3000, m.pieces().size());
        assertEquals(SentencePieceModel.UNIGRAM, m.modelType());
        assertTrue(m.byteFallback());
        assertEquals(3, m.unkId());
        assertEquals(1, m.bosId());
        assertEquals(2, m.eosId());
        assertEquals(0, m.padId());
        assertEquals("nmt_nfkc", m.normalizerName());
        assertTrue(m.precompiledCharsmap().length > 1000);
        assertEquals(new SentencePieceModel.Piece("[CLS]", 0f, SentencePieceModel.Type.CONTROL), m.pieces().get(1));
        assertEquals(SentencePieceModel.Type.UNKNOWN, m.pieces().get(3).type());
        assertEquals(new SentencePieceModel.Piece("<0x41>", 0f, SentencePieceModel.Type.BYTE), m.pieces().get(4 + 0x41));
        assertTrue(m.pieces().get(300).score() < 0);
    }

    @Test
    void matchesTheBindingOnTheSameVocabulary() throws Exception {
        SentencePieceTokenizer ours = SentencePieceTokenizer.load(DIR.resolve("spm.model"));
        List<String> s = sentences();
        assertEquals(200, s.size());
        List<String> diffs = new ArrayList<>();
        try (HfTokenizer hf = HfTokenizer.load(DIR.resolve("tokenizer.json"))) {
            assertEquals(hf.vocabSize(), ours.vocabSize());
            assertEquals(hf.tokenToId("[MASK]"), ours.maskId());
            for (String text : s) {
                int[] want = hf.encode(text).ids(), got = ours.encode(text);
                if (!Arrays.equals(want, got)) diffs.add(text + "\n  hf:   " + Arrays.toString(want) + "\n  ours: " + Arrays.toString(got));
            }
        }
        assertTrue(diffs.isEmpty(), diffs.size() + " of 200 differ:\n" + String.join("\n", diffs));
    }

    @Test
    void matchesSentencePieceItself() throws Exception {
        SentencePieceTokenizer ours = SentencePieceTokenizer.load(DIR.resolve("spm.model"));
        JsonNode ids = new ObjectMapper().readTree(DIR.resolve("spm_ids.json").toFile()).get("ids");
        List<String> s = sentences();
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            String text = s.get(i).replace("[MASK]", "").replace("[CLS]", "").replace("[SEP]", "");
            int[] want = new int[ids.get(i).size()];
            for (int j = 0; j < want.length; j++) want[j] = ids.get(i).get(j).asInt();
            int[] got = ours.encodePieces(text);
            if (!Arrays.equals(want, got)) diffs.add(s.get(i) + "\n  spm:  " + Arrays.toString(want) + "\n  ours: " + Arrays.toString(got));
        }
        assertTrue(diffs.isEmpty(), diffs.size() + " of 200 differ:\n" + String.join("\n", diffs));
    }

    @Test
    void debertaSpecialsAndByteFallback() {
        SentencePieceTokenizer tok = SentencePieceTokenizer.load(DIR.resolve("spm.model"));
        assertEquals(1, tok.clsId());
        assertEquals(2, tok.sepId());
        assertEquals(0, tok.padId());
        assertEquals(3000, tok.maskId(), "[MASK] follows the SentencePiece vocabulary, as DeBERTa-v3's 128000");
        int[] ids = tok.encode("a [MASK] b");
        assertEquals(1, ids[0]);
        assertEquals(2, ids[ids.length - 1]);
        assertTrue(Arrays.stream(ids).anyMatch(i -> i == 3000));
        // U+10348 is not a piece: its four UTF-8 bytes come out as <0xF0> <0x90> <0x8D> <0x88>
        int[] gothic = tok.encodePieces("\uD800\uDF48");
        List<String> pieces = Arrays.stream(gothic).mapToObj(tok::idToToken).toList();
        assertTrue(pieces.containsAll(List.of("<0xF0>", "<0x90>", "<0x8D>", "<0x88>")), pieces.toString());
        assertEquals("\uD800\uDF48", tok.decode(gothic, true));
        assertEquals("Hello world", tok.decode(tok.encode("Hello   world "), true));
        assertArrayEquals(new int[]{1, 2}, tok.encode("   "));
        assertThrows(TokenizerException.class, () -> SentencePieceModel.parse(new byte[]{(byte) 0xFF, 0x01}, "junk"));
    }
}
