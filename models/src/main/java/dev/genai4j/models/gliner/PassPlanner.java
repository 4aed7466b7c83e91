package dev.genai4j.models.gliner;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans the model passes for one text: its labels split into groups whose prompt leaves room for
 * the text (at most {@link #PROMPT_SHARE} of the backbone's tokens), and, per group, the text's
 * words split into windows that fit what is left ({@link TextChunker}). Every (group, window)
 * pair is one pass; the passes' span scores are merged afterwards.
 *
 * <pre>{@code
 * List<PassPlanner.Pass> ps = PassPlanner.plan(0, words, wordTokens, labels, labelTokens, costs);
 * }</pre>
 */
final class PassPlanner {
    /** The labels prompt may take at most this share of a pass's tokens; more labels go to further passes. */
    static final double PROMPT_SHARE = 0.5;

    private PassPlanner() {}

    /**
     * One pass: words {@code [from, to)} of text {@code text} against {@code labels}, which are
     * that text's labels {@code [labelOffset, labelOffset + labels.size())}.
     */
    record Pass(int text, int from, int to, List<String> labels, int labelOffset) {}

    /**
     * What tokens cost in one pass.
     *
     * @param maxTokens   the backbone's positions
     * @param specials    special tokens around a sequence
     * @param entCost     tokens of {@code <<ENT>>}
     * @param sepCost     tokens of {@code <<SEP>>}
     * @param maxWords    the checkpoint's {@code max_len}
     * @param overlap     words shared by neighbouring windows
     * @param maxLabels   most labels per pass (bounds the [W, K, C] scores when labels cost no tokens, as in a bi-encoder)
     */
    record Costs(int maxTokens, int specials, int entCost, int sepCost, int maxWords, int overlap, int maxLabels) {
        int promptBudget() { return (int) Math.floor(PROMPT_SHARE * (maxTokens - specials)); }
    }

    /** Consecutive label groups, each prompt (its labels with their {@code <<ENT>>} plus {@code <<SEP>>}) within the prompt budget. */
    static List<int[]> labelGroups(List<String> labels, int[] labelTokens, Costs c) {
        int budget = c.promptBudget();
        List<int[]> groups = new ArrayList<>();   // {from, to}
        int from = 0, cost = c.sepCost();
        for (int i = 0; i < labels.size(); i++) {
            int add = c.entCost() + labelTokens[i];
            if (c.sepCost() + add > budget) {
                throw new IllegalArgumentException("GLiNER: label '" + labels.get(i) + "' needs " + labelTokens[i]
                        + " tokens; a label's prompt may take at most " + budget + " of the backbone's " + c.maxTokens() + " tokens");
            }
            if (cost + add > budget || i - from >= c.maxLabels()) {
                groups.add(new int[] {from, i});
                from = i;
                cost = c.sepCost();
            }
            cost += add;
        }
        groups.add(new int[] {from, labels.size()});
        return groups;
    }

    static List<Pass> plan(int text, List<WordSplitter.Word> words, int[] wordTokens, List<String> labels, int[] labelTokens, Costs c) {
        List<Pass> out = new ArrayList<>();
        for (int[] g : labelGroups(labels, labelTokens, c)) {
            int prompt = c.sepCost();
            for (int i = g[0]; i < g[1]; i++) prompt += c.entCost() + labelTokens[i];
            int budget = c.maxTokens() - c.specials() - prompt;
            List<String> ls = labels.subList(g[0], g[1]);
            for (TextChunker.Chunk ch : TextChunker.plan(words, wordTokens, c.maxWords(), budget, c.overlap())) {
                out.add(new Pass(text, ch.from(), ch.to(), ls, g[0]));
            }
        }
        return out;
    }
}
