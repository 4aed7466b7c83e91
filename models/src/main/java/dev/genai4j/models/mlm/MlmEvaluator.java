package dev.genai4j.models.mlm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.data.Batch;
import dev.genai4j.data.MlmCollator;
import dev.genai4j.models.modernbert.ModernBertForMaskedLM;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Held-out masked-token accuracy and perplexity (exp of the mean cross-entropy over the masked
 * positions) per domain, with the masking drawn from a fixed seed so every model is scored on
 * the same positions, next to the {@link UnigramBaseline} of that domain's training tokens on
 * those same positions.
 *
 * <pre>{@code
 * List<MlmEvaluator.Result> r = MlmEvaluator.evaluate(model, heldOutByDomain, baselinesByDomain, 96, 16);
 * System.out.print(MlmEvaluator.table(r));
 * }</pre>
 */
public final class MlmEvaluator {
    /** Seeds the held-out masking (the same for every model and run). */
    public static final long MASK_SEED = 20_241_219L;

    private MlmEvaluator() {}

    /** One domain's scores. */
    public record Result(String domain, int blocks, int maskedTokens, double accuracy, double perplexity,
                         double baselineAccuracy, double baselinePerplexity) {
        /** Model accuracy over baseline accuracy. */
        public double accuracyRatio() { return accuracy / baselineAccuracy; }
    }

    /** Scores the first {@code maxBlocks} held-out blocks of each domain, {@code batchSize} at a time. */
    public static List<Result> evaluate(ModernBertForMaskedLM model, Map<String, List<int[]>> heldOut,
                                        Map<String, UnigramBaseline> baselines, int maxBlocks, int batchSize) {
        boolean wasTraining = model.isTraining();
        model.eval();
        List<Result> out = new ArrayList<>();
        try (var g = NoGrad.enter()) {
            for (var e : heldOut.entrySet()) {
                UnigramBaseline baseline = baselines.get(e.getKey());
                if (baseline == null) throw new IllegalArgumentException("MlmEvaluator: no unigram baseline for domain '" + e.getKey() + "'");
                out.add(evaluateDomain(model, e.getKey(), e.getValue(), baseline, maxBlocks, batchSize));
            }
        } finally {
            model.train(wasTraining);
        }
        return out;
    }

    private static Result evaluateDomain(ModernBertForMaskedLM model, String domain, List<int[]> blocks, UnigramBaseline baseline,
                                         int maxBlocks, int batchSize) {
        int n = Math.min(maxBlocks, blocks.size());
        if (n == 0) throw new IllegalArgumentException("MlmEvaluator: domain '" + domain + "' has no held-out block (corpus too small?)");
        int vocab = model.config().vocabSize();
        MlmCollator masker = new MlmCollator(vocab, MlmCorpus.MASK_ID, List.of(MlmCorpus.PAD_ID, MlmCorpus.UNK_ID, MlmCorpus.CLS_ID,
                MlmCorpus.SEP_ID), MlmCollator.MODERNBERT_MASK_RATE, MASK_SEED);
        double nll = 0;
        int hits = 0, count = 0;
        List<Integer> allLabels = new ArrayList<>();
        for (int from = 0; from < n; from += batchSize) {
            Batch masked = masker.collate(stack(blocks.subList(from, Math.min(n, from + batchSize))));
            MaskedPositions.Logits out = MaskedPositions.logits(model, masked);
            if (out == null) continue;
            Tensor logp = out.logits().logSoftmax(1);                 // [M, V]
            float[] lp = logp.toFloatArray();
            int[] y = out.labelIds();
            for (int i = 0; i < y.length; i++) {
                int base = i * vocab, best = 0;
                for (int v = 1; v < vocab; v++) if (lp[base + v] > lp[base + best]) best = v;
                if (best == y[i]) hits++;
                nll -= lp[base + y[i]];
                allLabels.add(y[i]);
            }
            count += y.length;
        }
        int[] labels = allLabels.stream().mapToInt(Integer::intValue).toArray();
        return new Result(domain, n, count, (double) hits / count, Math.exp(nll / count),
                baseline.accuracy(labels), baseline.perplexity(labels));
    }

    /** Equal-length blocks as one unpadded batch. */
    static Batch stack(List<int[]> rows) {
        int t = rows.getFirst().length;
        int[] ids = new int[rows.size() * t], mask = new int[ids.length];
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r).length != t) throw new IllegalArgumentException("MlmEvaluator: held-out blocks differ in length: " + t + " vs " + rows.get(r).length);
            System.arraycopy(rows.get(r), 0, ids, r * t, t);
        }
        java.util.Arrays.fill(mask, 1);
        return new Batch(rows.size(), t, ids, mask, null);
    }

    /** A small fixed-width table, one line per domain. */
    public static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-8s %7s %8s %9s %10s %9s %10s %7s%n",
                "domain", "blocks", "masked", "accuracy", "perplexity", "uni-acc", "uni-ppl", "ratio"));
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "%-8s %7d %8d %9.4f %10.2f %9.4f %10.2f %7.2f%n", r.domain(), r.blocks(), r.maskedTokens(),
                    r.accuracy(), r.perplexity(), r.baselineAccuracy(), r.baselinePerplexity(), r.accuracyRatio()));
        }
        return sb.toString();
    }

    /** The results as JSON: {@code {"mask_seed": …, "domains": {"prose": {...}, ...}}}. */
    public static ObjectNode json(List<Result> results) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("mask_seed", MASK_SEED).put("mask_rate", MlmCollator.MODERNBERT_MASK_RATE);
        ObjectNode domains = root.putObject("domains");
        for (Result r : results) {
            domains.putObject(r.domain()).put("blocks", r.blocks()).put("masked_tokens", r.maskedTokens())
                    .put("accuracy", r.accuracy()).put("perplexity", r.perplexity())
                    .put("unigram_accuracy", r.baselineAccuracy()).put("unigram_perplexity", r.baselinePerplexity())
                    .put("accuracy_ratio", r.accuracyRatio());
        }
        return root;
    }
}
