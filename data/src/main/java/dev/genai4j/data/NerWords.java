package dev.genai4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GLiNER's word splitter regex {@code \w+(?:[-_]\w+)*|\S} with Python's Unicode {@code \w}
 * (letters, numbers, underscore), so silver examples split text exactly as GLiNER does at inference
 * (the models module's {@code WordSplitter} is the same pattern, with offsets).
 *
 * <pre>{@code
 * NerWords.split("Einstein's theory")   // [Einstein, ', s, theory]
 * }</pre>
 */
public final class NerWords {
    private static final String W = "[\\p{L}\\p{N}_]";
    private static final Pattern WORD = Pattern.compile(W + "+(?:[-_]" + W + "+)*|[^\\s\\x1c-\\x1f\\x85\\p{Z}]");

    private NerWords() {}

    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }
}
