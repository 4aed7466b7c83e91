package dev.genai4j.text;

import java.util.Arrays;

/**
 * One encoded sequence, all arrays of the same length {@code n} (padding included).
 *
 * <p>{@code charStarts[i], charEnds[i]} is token i's span {@code [start, end)} in Java chars
 * (UTF-16 units) of the text it came from: {@code text.substring(charStarts[i], charEnds[i])}.
 * For a pair, the second text's tokens point into the second text; for pre-split words ({@link Tokenizer#encodeWords}) they point into word {@code wordIds[i]}.
 * Special and padding tokens have the span {@code [0, 0)} and word id -1.
 *
 * <pre>{@code
 * Encoding e = tok.encode("hello world");   // BERT: ids [101, 7592, 2088, 102]
 * e.tokens();                               // [CLS], hello, world, [SEP]
 * }</pre>
 *
 * @param ids           token ids
 * @param typeIds       segment ids (0 for the first text, 1 for the second of a pair)
 * @param attentionMask 1 for real tokens (specials included), 0 for padding
 * @param tokens        token strings as the vocabulary spells them
 * @param charStarts    span starts in UTF-16 units
 * @param charEnds      span ends (exclusive)
 * @param wordIds       index of the word each token belongs to, -1 for specials and padding
 * @param truncated     whether tokens were dropped to fit the maximum length
 */
public record Encoding(int[] ids, int[] typeIds, int[] attentionMask, String[] tokens,
                       int[] charStarts, int[] charEnds, int[] wordIds, boolean truncated) {

    public Encoding {
        int n = ids.length;
        if (typeIds.length != n || attentionMask.length != n || tokens.length != n
                || charStarts.length != n || charEnds.length != n || wordIds.length != n) {
            throw new TokenizerException("Encoding: all arrays must have length " + n + " (ids), got typeIds "
                    + typeIds.length + ", attentionMask " + attentionMask.length + ", tokens " + tokens.length
                    + ", charStarts " + charStarts.length + ", charEnds " + charEnds.length
                    + ", wordIds " + wordIds.length);
        }
    }

    /** Number of tokens, padding included. */
    public int length() { return ids.length; }

    /** Number of non-padding tokens. */
    public int realLength() {
        int n = 0;
        for (int m : attentionMask) n += m;
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e && truncated == e.truncated && Arrays.equals(ids, e.ids)
                && Arrays.equals(typeIds, e.typeIds) && Arrays.equals(attentionMask, e.attentionMask)
                && Arrays.equals(tokens, e.tokens) && Arrays.equals(charStarts, e.charStarts)
                && Arrays.equals(charEnds, e.charEnds) && Arrays.equals(wordIds, e.wordIds);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(ids) * 31 + Arrays.hashCode(wordIds); }

    @Override
    public String toString() {
        return "Encoding{ids=" + Arrays.toString(ids) + ", tokens=" + Arrays.toString(tokens)
                + ", typeIds=" + Arrays.toString(typeIds) + ", wordIds=" + Arrays.toString(wordIds)
                + (truncated ? ", truncated" : "") + "}";
    }
}
