package dev.genai4j.text;

import java.util.List;
import java.util.Map;

/**
 * Text to token ids and back. Implementations hold native resources: close them.
 *
 * <pre>{@code
 * try (Tokenizer tok = HfTokenizer.load(Path.of("models/minilm"))) {
 *     Encoding e = tok.encode("hello world");          // [CLS] hello world [SEP]
 *     String back = tok.decode(e.ids(), true);         // "hello world"
 * }
 * }</pre>
 */
public interface Tokenizer extends AutoCloseable {

    /** Encodes one text with the tokenizer's special tokens, no padding, no truncation. */
    Encoding encode(String text);

    /** Encodes a pair (question + passage, premise + hypothesis); the second text gets type id 1. */
    Encoding encode(String text, String pair);

    /** Encodes a batch under {@code options}; with padding, all results have the same length. */
    List<Encoding> encodeBatch(List<String> texts, EncodeOptions options);

    /** Encodes pairs {@code (texts[i], pairs[i])} under {@code options}; truncation cuts the longer member first. */
    List<Encoding> encodePairBatch(List<String> texts, List<String> pairs, EncodeOptions options);

    /**
     * Encodes text that is already split into words (HF {@code is_split_into_words}): each
     * word is tokenized on its own, {@link Encoding#wordIds()} says which word a token came from
     * and the char spans point into that word.
     */
    default Encoding encodeWords(List<String> words) {
        if (words == null) throw new TokenizerException("encodeWords: words is null; expected a list of words");
        return encodeWordsBatch(List.of(words), EncodeOptions.defaults()).getFirst();
    }

    /** A batch of pre-split inputs under {@code options}. */
    List<Encoding> encodeWordsBatch(List<List<String>> batch, EncodeOptions options);

    /** Text of {@code ids}; {@code skipSpecial} drops special tokens ([CLS], &lt;pad&gt; …). */
    String decode(int[] ids, boolean skipSpecial);

    /** Id of {@code token} (vocabulary or added token), or -1 if the tokenizer has no such token. */
    int tokenToId(String token);

    /** The token string with this id; throws {@link TokenizerException} outside [0, vocabSize). */
    String idToToken(int id);

    /** Number of ids, added tokens included (max id + 1). */
    int vocabSize();

    /** Special tokens (content → id), in id order. */
    Map<String, Integer> specialTokens();

    /** Id used for padding when {@link EncodeOptions#padId()} is -1, or -1 if the tokenizer has none. */
    int padTokenId();

    @Override
    void close();
}
