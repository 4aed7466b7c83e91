package dev.genai4j.data;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a WordNet {@code data.*} file: a synset's words and gloss, plus the
 * instance-of pointers ({@code @i}) that make a proper noun an instance of a class synset.
 *
 * <pre>{@code
 * WordNetSynset s = WordNetSynset.parse("00001740 29 v 04 breathe 0 take_a_breath 0 ... | draw air into ...", "data.verb", 1);
 * s.words();     // [breathe, take a breath, respire, suspire]
 * s.text();      // "breathe, take a breath, respire, suspire: draw air into ..."
 * }</pre>
 *
 * @param offset     byte offset of the line in its file, the synset's id within its part of speech
 * @param pos        {@code n}, {@code v}, {@code a}, {@code s} (adjective satellite) or {@code r}
 * @param lexFile    lexicographer file, e.g. {@code noun.person}
 * @param words      the synset's words, underscores turned into spaces, adjective markers dropped
 * @param gloss      definition and examples, as WordNet writes them
 * @param instanceOf offsets of the noun synsets this one is an instance of (empty for most)
 */
public record WordNetSynset(long offset, char pos, String lexFile, List<String> words, String gloss, List<Long> instanceOf) {

    /** The document this synset contributes to a corpus: its words, a colon, its gloss. */
    public String text() { return String.join(", ", words) + ": " + gloss; }

    /**
     * Parses one synset line. {@code file} and {@code lineNumber} only name the place in errors.
     *
     * @throws DataException if the line does not follow {@code wndb(5WN)}
     */
    public static WordNetSynset parse(String line, String file, long lineNumber) {
        int bar = line.indexOf(" | ");
        String head = bar < 0 ? line.strip() : line.substring(0, bar);
        String gloss = bar < 0 ? "" : line.substring(bar + 3).strip();
        String[] f = head.split(" +");
        try {
            long offset = Long.parseLong(f[0]);
            String lexFile = WordNetLexFiles.name(Integer.parseInt(f[1]));
            if (f[2].length() != 1 || "nvasr".indexOf(f[2].charAt(0)) < 0) throw new DataException("ss_type '" + f[2] + "'");
            char pos = f[2].charAt(0);
            int wordCount = Integer.parseInt(f[3], 16);
            List<String> words = new ArrayList<>(wordCount);
            int i = 4;
            for (int w = 0; w < wordCount; w++, i += 2) words.add(cleanWord(f[i]));
            int pointerCount = Integer.parseInt(f[i++]);
            List<Long> instanceOf = new ArrayList<>(0);
            for (int p = 0; p < pointerCount; p++, i += 4) {
                if (f[i].equals("@i")) instanceOf.add(Long.parseLong(f[i + 1]));
            }
            return new WordNetSynset(offset, pos, lexFile, List.copyOf(words), gloss, List.copyOf(instanceOf));
        } catch (RuntimeException e) {
            throw new DataException("WordNet " + file + " line " + lineNumber + ": not a synset line (" + e.getMessage()
                    + "): " + (line.length() > 120 ? line.substring(0, 120) + "…" : line), e);
        }
    }

    /** {@code take_a_breath} → {@code take a breath}; {@code able(a)} → {@code able} (syntactic marker of adjectives). */
    static String cleanWord(String raw) {
        String w = raw;
        int paren = w.indexOf('(');
        if (paren > 0 && w.endsWith(")")) w = w.substring(0, paren);
        return w.replace('_', ' ');
    }
}
