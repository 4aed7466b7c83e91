package dev.genai4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A dictd {@code .index} file: one line per headword, {@code headword TAB offset TAB length},
 * offset and length in dictd's base-64 numerals (digits {@code A-Za-z0-9+/}, most significant
 * first) counting bytes of the uncompressed {@code .dict} text.
 */
final class DictdIndex {
    private static final String DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** One index line. */
    record Entry(String headword, long offset, int length) {}

    private DictdIndex() {}

    /** Decodes a dictd base-64 numeral: {@code "IBT"} → 8 × 64² + 1 × 64 + 19 = 32,851. */
    static long decode(String numeral, Path file, long lineNumber) {
        if (numeral.isEmpty() || numeral.length() > 10) {
            throw new DataException("dictd index " + file + " line " + lineNumber + ": bad number '" + numeral + "'");
        }
        long v = 0;
        for (int i = 0; i < numeral.length(); i++) {
            int d = DIGITS.indexOf(numeral.charAt(i));
            if (d < 0) {
                throw new DataException("dictd index " + file + " line " + lineNumber + ": '" + numeral.charAt(i)
                        + "' is not a base-64 digit in '" + numeral + "'");
            }
            v = v * 64 + d;
        }
        return v;
    }

    /**
     * Reads the index, keeps one entry per article (several headwords may share one), drops the
     * {@code 00-database-*} metadata entries, and sorts by offset so the article text can be
     * read in one forward pass.
     */
    static List<Entry> readArticles(Path file) {
        List<Entry> all = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long lineNumber = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNumber++;
                if (line.isEmpty()) continue;
                String[] f = line.split("\t");
                if (f.length != 3) {
                    throw new DataException("dictd index " + file + " line " + lineNumber
                            + ": expected 'headword<TAB>offset<TAB>length', got " + f.length + " fields: " + line);
                }
                if (f[0].startsWith("00-") || f[0].startsWith("00database")) continue;   // 00-database-info, 00-gcide-url …
                long length = decode(f[2], file, lineNumber);
                if (length > Integer.MAX_VALUE) throw new DataException("dictd index " + file + " line " + lineNumber + ": article length " + length + " too large");
                all.add(new Entry(f[0], decode(f[1], file, lineNumber), (int) length));
            }
        } catch (IOException e) {
            throw new DataException("dictd index " + file + ": cannot read: " + e.getMessage(), e);
        }
        all.sort(Comparator.comparingLong(Entry::offset));
        List<Entry> articles = new ArrayList<>(all.size());
        for (Entry e : all) {
            if (!articles.isEmpty() && articles.getLast().offset() == e.offset()) continue;
            articles.add(e);
        }
        return articles;
    }
}
