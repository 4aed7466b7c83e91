package dev.genai4j.models.mixtral;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Held-out next-token perplexity per domain (exp of the mean cross-entropy of every position's
 * prediction of the following token inside each block) next to the {@link BigramBaseline} of that
 * domain's training tokens, scored on exactly the same (previous, next) pairs.
 *
 * <pre>{@code
 * List<LmEvaluator.Result> r = LmEvaluator.evaluate(model, heldOutByDomain, baselinesByDomain, 64, 8);
 * System.out.print(LmEvaluator.table(r));
 * }</pre>
 */
public final class LmEvaluator {
    /** Targets never scored: {@code <unk>} and {@code <s>} (the packed blocks contain neither). */
    public static final List<Integer> EXCLUDED_TARGETS = List.of(LmCorpus.UNK_ID, LmCorpus.BOS_ID);
    /** The bigram smoothing constant. */
    public static final double BIGRAM_K = 0.1;

    private LmEvaluator() {}

    /** One domain's scores. */
    public record Result(String domain, int blocks, long tokens, double perplexity, double bigramPerplexity) {}

    /** Scores the first {@code maxBlocks} held-out blocks of each domain, {@code batchSize} at a time. */
    public static List<Result> evaluate(MixtralForCausalLM model, Map<String, List<int[]>> heldOut, Map<String, BigramBaseline> baselines,
                                        int maxBlocks, int batchSize) {
        boolean wasTraining = model.isTraining();
        model.eval();
        List<Result> out = new ArrayList<>();
        try (var g = NoGrad.enter()) {
            for (var e : heldOut.entrySet()) {
                BigramBaseline baseline = baselines.get(e.getKey());
                if (baseline == null) throw new IllegalArgumentException("LmEvaluator: no bigram baseline for domain '" + e.getKey() + "'");
                int n = Math.min(maxBlocks, e.getValue().size());
                if (n == 0) throw new IllegalArgumentException("LmEvaluator: domain '" + e.getKey() + "' has no held-out block (corpus too small?)");
                List<int[]> blocks = e.getValue().subList(0, n);
                double[] model_ = nll(model, blocks, batchSize);
                double[] bigram = baseline.negLogLikelihood(blocks);
                out.add(new Result(e.getKey(), n, (long) model_[1], Math.exp(model_[0] / model_[1]), Math.exp(bigram[0] / bigram[1])));
            }
        } finally {
            model.train(wasTraining);
        }
        return out;
    }

    /** Summed −log p(next) over every in-block pair of {@code blocks} (excluded targets skipped), and the pair count. */
    static double[] nll(MixtralForCausalLM model, List<int[]> blocks, int batchSize) {
        double nll = 0;
        long count = 0;
        int vocab = model.config().vocabSize();
        for (int from = 0; from < blocks.size(); from += batchSize) {
            List<int[]> rows = blocks.subList(from, Math.min(blocks.size(), from + batchSize));
            int t = rows.getFirst().length;
            float[] ids = new float[rows.size() * t];
            for (int r = 0; r < rows.size(); r++) {
                if (rows.get(r).length != t) throw new IllegalArgumentException("LmEvaluator: blocks differ in length: " + t + " vs " + rows.get(r).length);
                for (int i = 0; i < t; i++) ids[r * t + i] = rows.get(r)[i];
            }
            Tensor logits = model.forward(Tensor.of(ids, rows.size(), t)).logits();   // [B, T, V]
            float[] lp = logits.logSoftmax(-1).toFloatArray();
            for (int r = 0; r < rows.size(); r++) {
                for (int i = 0; i + 1 < t; i++) {
                    int next = rows.get(r)[i + 1];
                    if (EXCLUDED_TARGETS.contains(next)) continue;
                    nll -= lp[(r * t + i) * vocab + next];
                    count++;
                }
            }
        }
        return new double[] {nll, count};
    }

    /** The bigram baseline of each domain, from that domain's training blocks. */
    public static Map<String, BigramBaseline> baselines(Map<String, List<int[]>> trainByDomain, int vocab) {
        Map<String, BigramBaseline> out = new java.util.LinkedHashMap<>();
        trainByDomain.forEach((d, b) -> out.put(d, BigramBaseline.count(b, vocab, EXCLUDED_TARGETS, BIGRAM_K)));
        return out;
    }

    /** A small fixed-width table, one line per domain. */
    public static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-11s %7s %9s %11s %11s %7s%n", "domain", "blocks", "tokens", "perplexity", "bigram-ppl", "ratio"));
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "%-11s %7d %9d %11.2f %11.2f %7.2f%n", r.domain(), r.blocks(), r.tokens(),
                    r.perplexity(), r.bigramPerplexity(), r.perplexity() / r.bigramPerplexity()));
        }
        return sb.toString();
    }

    /** The results as JSON: {@code {"bigram_k": …, "domains": {"prose": {...}, ...}}}. */
    public static ObjectNode json(List<Result> results) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("bigram_k", BIGRAM_K);
        ObjectNode domains = root.putObject("domains");
        for (Result r : results) {
            domains.putObject(r.domain()).put("blocks", r.blocks()).put("tokens", r.tokens())
                    .put("perplexity", r.perplexity()).put("bigram_perplexity", r.bigramPerplexity());
        }
        return root;
    }
}
