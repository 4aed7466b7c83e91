package dev.genai4j.models.mixtral;

import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.text.EncodeOptions;
import dev.genai4j.text.Encoding;
import dev.genai4j.text.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a Mixtral over a domain's text and collects the paper's §5 routing statistics
 * ({@link RoutingStats}): the text is tokenized without specials, cut into windows of
 * {@code window} tokens (consecutive pairs are counted inside a window only), at most
 * {@code maxTokens} tokens in all, forwarded {@code batch} windows at a time. The first window is
 * kept with every layer's first-choice expert per token, for the Figure 8 rendering.
 *
 * <pre>{@code
 * RoutingAnalysis.Domain d = RoutingAnalysis.analyze(lm, tokenizer, "code", text, 128, 8192, 8);
 * d.stats().firstChoiceRepeat(0);
 * }</pre>
 */
public final class RoutingAnalysis {
    private RoutingAnalysis() {}

    /**
     * A rendered sample: the text, the span {@code [starts[i], ends[i])} of each token in it and
     * each layer's first-choice expert per token ({@code firstChoice[layer][token]}).
     */
    public record Sample(String text, int[] starts, int[] ends, int[][] firstChoice) {}

    /** One domain's statistics and its sample. */
    public record Domain(String name, RoutingStats stats, Sample sample) {}

    /** Analyzes {@code text} as domain {@code name}. @throws IllegalArgumentException if the text has fewer than 2 tokens */
    public static Domain analyze(MixtralForCausalLM model, Tokenizer tokenizer, String name, String text, int window, int maxTokens, int batch) {
        if (window < 2 || maxTokens < 2 || batch < 1) {
            throw new IllegalArgumentException("moe routing: window and max tokens must be >= 2 and batch >= 1, got " + window + ", " + maxTokens + ", " + batch);
        }
        Encoding enc = tokenizer.encodeBatch(List.of(text), EncodeOptions.defaults().addSpecialTokens(false)).getFirst();
        int[] ids = enc.ids();
        int n = Math.min(ids.length, maxTokens);
        if (n < 2) throw new IllegalArgumentException("moe routing: domain '" + name + "' has " + ids.length + " tokens; need at least 2");
        int w = Math.min(window, n);
        List<int[]> windows = new ArrayList<>();
        for (int from = 0; from + w <= n; from += w) windows.add(java.util.Arrays.copyOfRange(ids, from, from + w));
        MixtralConfig c = model.config();
        RoutingStats stats = new RoutingStats(c.numHiddenLayers(), c.numLocalExperts(), c.numExpertsPerTok());
        int[][] first = new int[c.numHiddenLayers()][w];
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var g = NoGrad.enter()) {
            for (int from = 0; from < windows.size(); from += batch) {
                List<int[]> rows = windows.subList(from, Math.min(windows.size(), from + batch));
                float[] x = new float[rows.size() * w];
                for (int r = 0; r < rows.size(); r++) for (int t = 0; t < w; t++) x[r * w + t] = rows.get(r)[t];
                MixtralForCausalLM.Output out = model.forward(Tensor.of(x, rows.size(), w), null, null, null, true);
                for (int l = 0; l < out.routings().size(); l++) {
                    int[] experts = out.routings().get(l).experts();      // [B·T·k]
                    stats.add(l, experts, rows.size(), w);
                    if (from == 0) for (int t = 0; t < w; t++) first[l][t] = experts[t * c.numExpertsPerTok()];
                }
            }
        } finally {
            model.train(wasTraining);
        }
        int[] starts = java.util.Arrays.copyOf(enc.charStarts(), w), ends = java.util.Arrays.copyOf(enc.charEnds(), w);
        return new Domain(name, stats, new Sample(text, starts, ends, first));
    }
}
