package dev.genai4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a GCIDE article as dict-gcide stores it into plain prose. The dictd conversion writes
 * pronunciations between backslashes ({@code \Ab"a*cus\}), cross references and italics in braces
 * ({@code {Column}}), accented letters as bracketed codes ({@code caf['e]}), and etymologies,
 * usage labels and sources in square brackets ({@code [L. abacus]}, {@code [Obs.]},
 * {@code [1913 Webster]}). We keep the words, the part of speech and the numbered senses;
 * pronunciation, etymology, labels, sources and quotation authors go.
 *
 * <pre>{@code
 * GcideMarkup.toPlainText("Abacus \\Ab\"a*cus\\ ([a^]b\"[.a]*k[u^]s), n. [L. abacus]\n   1. A table.\n      [1913 Webster]\n");
 * // "Abacus, n.\n1. A table."
 * }</pre>
 */
final class GcideMarkup {
    private GcideMarkup() {}

    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("ae", "æ"), Map.entry("AE", "Æ"), Map.entry("oe", "œ"), Map.entry("OE", "Œ"),
            Map.entry("=ae", "æ"), Map.entry("eth", "ð"), Map.entry("thorn", "þ"), Map.entry("deg", "°"),
            Map.entry("sect", "§"), Map.entry("imac", "i"), Map.entry("aum", "a"), Map.entry("udd", "u"),
            Map.entry("add", "a"), Map.entry("asl", "a"), Map.entry("ng", "ng"), Map.entry("th", "th"),
            Map.entry("yogh", "ȝ"), Map.entry(",c", "ç"), Map.entry("~n", "ñ"), Map.entry("'e", "é"),
            Map.entry("`e", "è"), Map.entry("\"o", "ö"), Map.entry("\"u", "ü"), Map.entry("\"e", "ë"),
            Map.entry("\"i", "ï"), Map.entry("^o", "ô"), Map.entry("^a", "â"), Map.entry("^e", "ê"),
            Map.entry("^u", "û"), Map.entry("^i", "î"), Map.entry("'a", "á"), Map.entry("'o", "ó"),
            Map.entry("'i", "í"), Map.entry("`a", "à"));
    /** A diacritic code: one mark before or after one or two letters, e.g. {@code =a}, {@code i^}, {@code oo^}. */
    private static final Pattern DIACRITIC = Pattern.compile("[=.\\-~^'`\"*,]?[A-Za-z]{1,2}[\\^~]?");
    /** A quotation's author at the end of a paragraph: {@code --Shak.}, {@code --Sir W. Scott.} */
    private static final Pattern AUTHOR = Pattern.compile("\\s*--\\s*[A-Z][^;:\"]{0,45}$");

    // Hand-written scans rather than regexes over the whole article: 126,000 articles, 40 MB.
    static String toPlainText(String article) {
        String text = brackets(dropPronunciations(article.replace('\uFFFD', '\'')));
        List<String> paragraphs = new ArrayList<>();
        StringBuilder para = new StringBuilder();
        int lineStart = 0;
        while (lineStart <= text.length()) {
            int nl = text.indexOf('\n', lineStart);
            if (nl < 0) nl = text.length();
            String line = text.substring(lineStart, nl).strip();
            if (line.isEmpty()) flush(para, paragraphs);
            else {
                if (startsSense(line)) flush(para, paragraphs);   // "2. A calculating table …" starts a line of its own
                if (!para.isEmpty()) para.append(' ');
                para.append(line);
            }
            lineStart = nl + 1;
        }
        flush(para, paragraphs);
        return String.join("\n", paragraphs);
    }

    /** {@code "12. "} at the start of a line: a numbered sense. */
    private static boolean startsSense(String line) {
        int i = 0;
        while (i < line.length() && i < 3 && Character.isDigit(line.charAt(i))) i++;
        return i > 0 && line.startsWith(". ", i);
    }

    private static void flush(StringBuilder para, List<String> paragraphs) {
        if (para.isEmpty()) return;
        StringBuilder out = new StringBuilder(para.length());
        for (int i = 0; i < para.length(); i++) {
            char c = para.charAt(i);
            if (c == '{' || c == '}') continue;
            if (c == ' ' || c == '\t') {
                // collapse runs and drop the space an edit left before punctuation
                int j = i;
                while (j + 1 < para.length() && (para.charAt(j + 1) == ' ' || para.charAt(j + 1) == '\t')) j++;
                char next = j + 1 < para.length() ? para.charAt(j + 1) : ' ';
                boolean afterOpen = !out.isEmpty() && out.charAt(out.length() - 1) == '(';
                if (",;.)".indexOf(next) < 0 && !afterOpen && !out.isEmpty()) out.append(' ');
                i = j;
                continue;
            }
            if (c == ',' && !out.isEmpty() && out.charAt(out.length() - 1) == ',') continue;   // "Expediency \\…\\,, n."
            out.append(c);
        }
        String joined = out.toString().strip();
        int dash = joined.lastIndexOf("--");
        if (dash >= 0 && joined.length() - dash < 55) {
            joined = joined.substring(0, dash) + AUTHOR.matcher(joined.substring(dash)).replaceAll("");
            joined = joined.strip();
        }
        if (joined.chars().anyMatch(Character::isLetterOrDigit)) paragraphs.add(joined);   // not a stray '.' left by a dropped label
        para.setLength(0);
    }

    /**
     * Drops {@code \\Ab"a*cus\\} (which may wrap onto the next line) and a respelling in parentheses
     * right after it ({@code ([a^]b"[.a]*k[u^]s)}: accent marks outside the letter codes), but not
     * a label there such as {@code (A["e]ronautics)}.
     */
    private static String dropPronunciations(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int close = c == '\\' ? s.indexOf('\\', i + 1) : -1;
            if (close < 0 || close - i > 120 || s.substring(i, close).contains("\n\n")) { out.append(c); i++; continue; }
            i = close + 1;
            int j = i;
            while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\n')) j++;
            if (j < s.length() && s.charAt(j) == '(') {
                int end = s.indexOf(')', j);
                if (end > 0 && end - j < 80 && isRespelling(s.substring(j + 1, end))) i = end + 1;
            }
        }
        return out.toString();
    }

    private static boolean isRespelling(String inParens) {
        int depth = 0;
        for (int k = 0; k < inParens.length(); k++) {
            char c = inParens.charAt(k);
            if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (depth == 0 && (c == '"' || c == '*' || c == '\n')) return c != '\n';
        }
        return false;
    }

    /** Replaces accent codes by letters and drops every other square-bracket group (nested ones too). */
    private static String brackets(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int close = c == '[' ? s.indexOf(']', i + 1) : -1;
            if (close < 0) { out.append(c); i++; continue; }   // not a bracket, or one never closed
            String inner = s.substring(i + 1, close);
            if (inner.indexOf('[') < 0 && inner.length() <= 6 && !inner.isEmpty()) {
                String named = NAMED.get(inner);
                if (named != null) { out.append(named); i = close + 1; continue; }
                if (DIACRITIC.matcher(inner).matches() && !inner.chars().allMatch(Character::isLetter)) {
                    inner.chars().filter(Character::isLetter).forEach(ch -> out.append((char) ch));
                    i = close + 1;
                    continue;
                }
            }
            // a label, an etymology or a source: skip to the matching ']'
            int depth = 0;
            while (i < s.length()) {
                char d = s.charAt(i++);
                if (d == '[') depth++;
                else if (d == ']' && --depth == 0) break;
            }
        }
        return out.toString();
    }
}
