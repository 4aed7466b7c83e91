package dev.genai4j.models.gliner;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a text's words into overlapping windows that each fit one model pass: at most
 * {@code maxWords} words (the checkpoint's {@code max_len}) and at most {@code tokenBudget}
 * sub-tokens (what the backbone's positions leave after the prompt and the special tokens).
 * A window ends after a sentence end ({@code . ! ? 。 …}) when one lies in its second half,
 * else at the last word that fits. The next window starts {@code overlap} words before the
 * previous one ends (earlier, at a sentence start, when one lies within another {@code overlap}
 * words), so with {@code overlap >= max_width - 1} every candidate span lies wholly inside some window.
 *
 * <pre>{@code
 * List<TextChunker.Chunk> cs = TextChunker.plan(words, tokensPerWord, 384, 500, 12);
 * cs.getFirst();   // Chunk[from=0, to=371]: words [0, 371)
 * }</pre>
 */
final class TextChunker {
    private TextChunker() {}

    /** Words {@code [from, to)} of the text. */
    record Chunk(int from, int to) {
        int size() { return to - from; }
    }

    private static final Set<String> SENTENCE_ENDS = Set.of(".", "!", "?", "。", "！", "？", "…", "‼", "⁇", "⁈", "⁉", "।", "؟");

    static boolean endsSentence(WordSplitter.Word w) { return SENTENCE_ENDS.contains(w.text()); }

    /**
     * @param tokensPerWord sub-tokens of each word (as the tokenizer splits the pre-split word)
     * @throws IllegalArgumentException when one word alone needs more than {@code tokenBudget} tokens
     */
    static List<Chunk> plan(List<WordSplitter.Word> words, int[] tokensPerWord, int maxWords, int tokenBudget, int overlap) {
        if (maxWords < 1 || overlap < 0) throw new IllegalArgumentException("TextChunker: maxWords " + maxWords + " must be >= 1 and overlap " + overlap + " >= 0");
        int n = words.size();
        List<Chunk> out = new ArrayList<>();
        int start = 0;
        while (start < n) {
            int end = start, tokens = 0;
            while (end < n && end - start < maxWords && tokens + tokensPerWord[end] <= tokenBudget) tokens += tokensPerWord[end++];
            if (end == start) {
                throw new IllegalArgumentException("GLiNER: word " + start + " ('" + abbreviate(words.get(start).text()) + "') needs "
                        + tokensPerWord[start] + " tokens, more than the " + tokenBudget + " the backbone leaves after the labels prompt");
            }
            if (end == n) {
                out.add(new Chunk(start, n));
                break;
            }
            int brk = end;
            for (int e = end; e > start + (end - start) / 2; e--) {
                if (endsSentence(words.get(e - 1))) { brk = e; break; }
            }
            out.add(new Chunk(start, brk));
            int ov = Math.min(overlap, brk - start - 1);   // the next window must start after this one
            int next = brk - ov;
            for (int s = next; s >= Math.max(start + 1, brk - 2 * ov); s--) {
                if (endsSentence(words.get(s - 1))) { next = s; break; }
            }
            start = next;
        }
        return out;
    }

    private static String abbreviate(String s) { return s.length() <= 40 ? s : s.substring(0, 40) + "…"; }
}
