package dev.genai4j.models.diffusion.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.models.diffusion.DiffusionException;

import java.util.Arrays;
import java.util.Locale;

/**
 * Two models judged on the same noise, prompts and seeds (two {@link BaseModelEvaluation.Result}s made
 * with the same options): sample i of one and sample i of the other start from the same latent,
 * so their judge verdicts are paired. What decides whether one model is better is then only the
 * discordant pairs — samples that one model gets right and the other wrong — and McNemar's exact
 * test says how likely a split at least that lopsided is if neither model were better (two-sided
 * binomial test with p = ½ on the discordant pairs). On the same number of samples this separates
 * models far better than two unpaired accuracies do.
 *
 * <pre>{@code
 * PairedComparison c = PairedComparison.of(tuned, base);
 * System.out.println(c.summary());   // "+6.3 points: 31 samples only the model gets right, 11 only the baseline; McNemar p = 0.0025"
 * }</pre>
 *
 * @param modelOnly    samples the model gets right and the baseline wrong
 * @param baselineOnly samples the baseline gets right and the model wrong
 * @param both         samples both get right
 * @param neither      samples both get wrong
 * @param pValue       McNemar's exact two-sided p-value on the discordant pairs (1 when there are none)
 */
public record PairedComparison(int modelOnly, int baselineOnly, int both, int neither, double pValue) {
    public int samples() { return modelOnly + baselineOnly + both + neither; }

    /** Model accuracy minus baseline accuracy, in [−1, 1]. */
    public double accuracyDifference() { return (modelOnly - baselineOnly) / (double) samples(); }

    /** Pairs up two evaluations made with the same options, classes and seeds; a mismatch is an error naming what differs. */
    public static PairedComparison of(BaseModelEvaluation.Result model, BaseModelEvaluation.Result baseline) {
        if (!model.options().equals(baseline.options())) {
            throw new DiffusionException("paired comparison: the two evaluations used different options: " + model.options() + " vs " + baseline.options());
        }
        if (!Arrays.equals(model.labels(), baseline.labels())) {
            throw new DiffusionException("paired comparison: the two evaluations prompted different classes");
        }
        int mo = 0, bo = 0, both = 0, neither = 0;
        for (int i = 0; i < model.labels().length; i++) {
            boolean m = model.predicted()[i] == model.labels()[i], b = baseline.predicted()[i] == baseline.labels()[i];
            if (m && b) both++;
            else if (m) mo++;
            else if (b) bo++;
            else neither++;
        }
        return new PairedComparison(mo, bo, both, neither, mcNemarExact(mo, bo));
    }

    /** Two-sided exact McNemar: min(1, 2·P(X ≤ min(b, c))) for X ~ Binomial(b + c, ½). */
    static double mcNemarExact(int b, int c) {
        int n = b + c, k = Math.min(b, c);
        if (n == 0) return 1;
        double logHalfN = n * Math.log(0.5), tail = 0, logChoose = 0;   // log C(n, 0)
        for (int i = 0; i <= k; i++) {
            if (i > 0) logChoose += Math.log(n - i + 1) - Math.log(i);
            tail += Math.exp(logChoose + logHalfN);
        }
        return Math.min(1, 2 * tail);
    }

    public String summary() {
        return String.format(Locale.ROOT, "%+.1f points: %d samples only the model gets right, %d only the baseline (of %d paired); McNemar p = %.2g",
                100 * accuracyDifference(), modelOnly, baselineOnly, samples(), pValue);
    }

    public ObjectNode toJson() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("samples", samples());
        n.put("accuracy_difference", accuracyDifference());
        n.put("model_only_correct", modelOnly);
        n.put("baseline_only_correct", baselineOnly);
        n.put("both_correct", both);
        n.put("neither_correct", neither);
        n.put("mcnemar_p", pValue);
        return n;
    }
}
