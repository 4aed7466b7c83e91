package dev.genai4j.models.gliner;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GLiNER's word splitter ({@code WhitespaceTokenSplitter}): the regex {@code \w+(?:[-_]\w+)*|\S}
 * with Python's Unicode {@code \w} — letters, numbers and underscore, but not combining marks
 * (Java's own Unicode {@code \w} would include them). Offsets are in code points, as Python
 * counts characters, so they match the reference's {@code start}/{@code end}.
 *
 * <pre>{@code
 * WordSplitter.split("state-of-the-art AI.")   // state-of-the-art [0,16), AI [17,19), . [19,20)
 * }</pre>
 */
public final class WordSplitter {
    private static final String W = "[\\p{L}\\p{N}_]";
    /** Python's str.isspace(): ASCII whitespace, the separators \\x1c-\\x1f, NEL and every Unicode space. */
    private static final String NOT_SPACE = "[^\\s\\x1c-\\x1f\\x85\\p{Z}]";
    private static final Pattern WORD = Pattern.compile(W + "+(?:[-_]" + W + "+)*|" + NOT_SPACE);

    private WordSplitter() {}

    /** One word: its text and its {@code [start, end)} in code points of the original text. */
    public record Word(String text, int start, int end) {}

    public static List<Word> split(String text) {
        List<Word> out = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        int cpPos = 0, charPos = 0;   // running code-point count at a char index
        while (m.find()) {
            cpPos += text.codePointCount(charPos, m.start());
            int start = cpPos;
            cpPos += text.codePointCount(m.start(), m.end());
            charPos = m.end();
            out.add(new Word(m.group(), start, cpPos));
        }
        return out;
    }
}
