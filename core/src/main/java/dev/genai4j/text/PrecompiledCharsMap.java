package dev.genai4j.text;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;

/**
 * SentencePiece's compiled normalization rules ({@code NormalizerSpec.precompiled_charsmap}, e.g.
 * {@code nmt_nfkc}): a darts-clone double-array trie over UTF-8 keys whose values point into a
 * blob of NUL-terminated replacements. Applied as HF tokenizers' {@code Precompiled} normalizer
 * does: grapheme by grapheme, a grapheme shorter than 6 UTF-8 bytes is replaced whole by its
 * first (shortest) matching key's replacement when it has one; otherwise each of its characters
 * is looked up the same way and kept when it has none.
 *
 * <pre>{@code
 * PrecompiledCharsMap n = PrecompiledCharsMap.of(model.precompiledCharsmap());
 * n.normalize("ﬁ①");   // "fi1" under nmt_nfkc
 * }</pre>
 */
public final class PrecompiledCharsMap {
    private final int[] units;        // the trie's 32-bit units
    private final byte[] normalized;  // replacement strings, NUL-terminated

    private PrecompiledCharsMap(int[] units, byte[] normalized) {
        this.units = units;
        this.normalized = normalized;
    }

    /** Decodes the blob: uint32 trie size in bytes (little-endian), the trie, then the replacements. */
    public static PrecompiledCharsMap of(byte[] blob) {
        if (blob.length < 4) throw new TokenizerException("precompiled_charsmap: " + blob.length + " bytes, need at least 4");
        ByteBuffer bb = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int trieBytes = bb.getInt();
        if (trieBytes < 0 || trieBytes % 4 != 0 || 4L + trieBytes > blob.length) {
            throw new TokenizerException("precompiled_charsmap: trie size " + trieBytes + " does not fit the " + blob.length + "-byte blob");
        }
        int[] units = new int[trieBytes / 4];
        for (int i = 0; i < units.length; i++) units[i] = bb.getInt();
        byte[] rest = new byte[blob.length - 4 - trieBytes];
        bb.get(rest);
        return new PrecompiledCharsMap(units, rest);
    }

    /** The normalized text. */
    public String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        BreakIterator graphemes = BreakIterator.getCharacterInstance();
        graphemes.setText(text);
        for (int start = graphemes.first(), end = graphemes.next(); end != BreakIterator.DONE; start = end, end = graphemes.next()) {
            String g = text.substring(start, end);
            byte[] gb = g.getBytes(StandardCharsets.UTF_8);
            if (gb.length < 6) {
                String r = transform(gb);
                if (r != null) {
                    out.append(r);
                    continue;
                }
            }
            for (int i = 0; i < g.length(); ) {
                int cp = g.codePointAt(i);
                String ch = g.substring(i, i + Character.charCount(cp));
                String r = transform(ch.getBytes(StandardCharsets.UTF_8));
                out.append(r != null ? r : ch);
                i += Character.charCount(cp);
            }
        }
        return out.toString();
    }

    /** The replacement of the shortest key that prefixes {@code key}, or null when none does. */
    String transform(byte[] key) {
        int value = firstPrefixValue(key);
        if (value < 0) return null;
        int end = value;
        while (end < normalized.length && normalized[end] != 0) end++;
        return new String(normalized, value, end - value, StandardCharsets.UTF_8);
    }

    /** darts-clone commonPrefixSearch, stopped at the first (shortest) match. */
    private int firstPrefixValue(byte[] key) {
        if (units.length == 0) return -1;
        int pos = offset(units[0]);
        for (byte b : key) {
            int label = b & 0xFF;
            pos ^= label;
            if (pos < 0 || pos >= units.length) return -1;
            int unit = units[pos];
            if ((unit & ((1 << 31) | 0xFF)) != label) return -1;
            pos ^= offset(unit);
            if (((unit >>> 8) & 1) == 1) return units[pos] & 0x7FFFFFFF;
        }
        return -1;
    }

    private static int offset(int unit) {
        return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    }
}
