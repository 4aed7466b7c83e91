package dev.genai4j.models.mixtral;

import dev.genai4j.text.EncodeOptions;
import dev.genai4j.text.Encoding;
import dev.genai4j.text.Tokenizer;

import java.util.List;
import java.util.Map;

/** A test tokenizer over ids 0 … 127: id i spells the letter {@code 'a' + i % 26}; ids 1 and 2 (BOS, EOS) are special and spell nothing. */
final class LetterTokenizer implements Tokenizer {
    @Override public Encoding encode(String text) { throw new UnsupportedOperationException("LetterTokenizer decodes only"); }
    @Override public Encoding encode(String text, String pair) { throw new UnsupportedOperationException(); }
    @Override public List<Encoding> encodeBatch(List<String> texts, EncodeOptions options) { throw new UnsupportedOperationException(); }
    @Override public List<Encoding> encodePairBatch(List<String> texts, List<String> pairs, EncodeOptions options) { throw new UnsupportedOperationException(); }
    @Override public List<Encoding> encodeWordsBatch(List<List<String>> batch, EncodeOptions options) { throw new UnsupportedOperationException(); }

    @Override
    public String decode(int[] ids, boolean skipSpecial) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) if (!(skipSpecial && (id == 1 || id == 2))) sb.append(letter(id));
        return sb.toString();
    }

    static char letter(int id) { return (char) ('a' + id % 26); }

    @Override public int tokenToId(String token) { return -1; }
    @Override public String idToToken(int id) { return String.valueOf(letter(id)); }
    @Override public int vocabSize() { return 128; }
    @Override public Map<String, Integer> specialTokens() { return Map.of("<s>", 1, "</s>", 2); }
    @Override public int padTokenId() { return -1; }
    @Override public void close() {}
}
