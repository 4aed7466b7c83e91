package dev.genai4j.text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the pieces BPE merges never cross, GPT-2 style but code-aware: a whitespace
 * run (indentation, newline + indentation, blank lines) is one piece of its own; a single space
 * joins the word, number or symbol after it; common multi-char operators ({@code == != -> :: +=
 * && ...}) stay whole; other punctuation runs ({@code ();}) stay together but stop before an
 * operator. Text between matches becomes a piece too (HF Split "Isolated").
 *
 * <p>{@link #PATTERN} is written in the common subset of {@code java.util.regex} and Oniguruma
 * (what the Rust tokenizers use for {@code Split}): explicit ASCII whitespace classes instead of
 * {@code \s} (which differ on Unicode spaces), {@code \x0B} instead of {@code \v}, {@code \p{..}}
 * categories and {@code (?!..)}. The same string goes into the written tokenizer.json.
 *
 * <pre>{@code
 * CodePreTokenizer.split("    if (a == b) {")  // ["    ", "if", " (", "a", " ==", " b", ")", " {"]
 * }</pre>
 */
public final class CodePreTokenizer {
    private static final String WS = "\\t\\n\\x0B\\f\\r ";
    /** Longest first: alternation is ordered in both regex engines. */
    private static final String OPERATORS =
            ">>>=|<<=|>>=|>>>|\\.\\.\\.|===|!==|==|!=|<=|>=|&&|\\|\\||\\+\\+|--|\\+=|-=|\\*=|/=|%=|&=|\\|=|\\^="
            + "|->|=>|::|<<|>>|//|/\\*|\\*/";

    /** The split regex, shared by training and the written tokenizer.json. */
    public static final String PATTERN =
            "'(?:s|t|re|ve|m|ll|d)"
            + "| ?[\\p{L}\\p{M}]+"
            + "| ?\\p{N}+"
            + "| ?(?:" + OPERATORS + ")"
            + "| ?(?:(?!" + OPERATORS + ")[^" + WS + "\\p{L}\\p{M}\\p{N}])+"
            + "|[" + WS + "]+";

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private CodePreTokenizer() {}

    /** Feeds each piece of {@code text} to {@code sink}, in order; the pieces concatenate to {@code text}. */
    public static void split(String text, Consumer<String> sink) {
        Matcher m = COMPILED.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) sink.accept(text.substring(last, m.start()));
            if (m.end() > m.start()) sink.accept(text.substring(m.start(), m.end()));
            last = m.end();
        }
        if (last < text.length()) sink.accept(text.substring(last));
    }

    /** The pieces of {@code text} as a list. */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        split(text, out::add);
        return out;
    }
}
