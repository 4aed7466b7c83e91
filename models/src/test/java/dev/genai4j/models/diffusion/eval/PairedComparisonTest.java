package dev.genai4j.models.diffusion.eval;

import dev.genai4j.models.diffusion.DiffusionException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** McNemar's exact test against hand-computed binomial tails, and the pairing of two evaluations. */
class PairedComparisonTest {
    @Test
    void exactMcNemarMatchesTheBinomialTail() {
        assertEquals(1.0, PairedComparison.mcNemarExact(0, 0), 0);
        assertEquals(1.0, PairedComparison.mcNemarExact(3, 3), 0);             // 2·P(X ≤ 3 | n 6) > 1
        assertEquals(2 * 1 / 1024.0, PairedComparison.mcNemarExact(10, 0), 1e-15);   // 2·(½)^10
        // n = 10, k = 2: 2·(1 + 10 + 45)/1024 = 0.109375
        assertEquals(0.109375, PairedComparison.mcNemarExact(2, 8), 1e-12);
        assertEquals(0.109375, PairedComparison.mcNemarExact(8, 2), 1e-12);
        // n = 42, k = 11: from the binomial CDF (scipy.stats.binomtest(11, 42).pvalue = 0.0032...)
        double tail = 0;
        for (int i = 0; i <= 11; i++) tail += choose(42, i) / Math.pow(2, 42);
        assertEquals(2 * tail, PairedComparison.mcNemarExact(31, 11), 1e-12);
        assertTrue(PairedComparison.mcNemarExact(31, 11) < 0.01);
        // large n stays finite (log-space terms)
        double big = PairedComparison.mcNemarExact(600, 520);
        assertTrue(big > 0.01 && big < 0.05, "p " + big);
    }

    private static double choose(int n, int k) {
        double r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return r;
    }

    @Test
    void countsDiscordantPairsOfTwoEvaluationsOnTheSameNoise() {
        BaseModelEvaluation.Options o = BaseModelEvaluation.Options.defaults();
        int[] labels = {0, 0, 1, 1, 2};
        BaseModelEvaluation.Result model = result(o, labels, new int[]{0, 0, 1, 3, 4});      // right, right, right, wrong, wrong
        BaseModelEvaluation.Result base = result(o, labels, new int[]{0, 5, 6, 1, 4});       // right, wrong, wrong, right, wrong
        PairedComparison c = PairedComparison.of(model, base);
        assertEquals(1, c.both());
        assertEquals(2, c.modelOnly());
        assertEquals(1, c.baselineOnly());
        assertEquals(1, c.neither());
        assertEquals(0.2, c.accuracyDifference(), 1e-12);
        assertEquals(1.0, c.pValue(), 0);
        assertTrue(c.summary().startsWith("+20.0 points: 2 samples only the model gets right, 1 only the baseline (of 5 paired)"), c.summary());
        assertEquals(2, c.toJson().get("model_only_correct").asInt());

        var other = assertThrows(DiffusionException.class, () -> PairedComparison.of(model,
                result(new BaseModelEvaluation.Options(10, 2f, 25, 0f, 0, BaseModelEvaluation.DEFAULT_TEMPLATE, 1000), labels, labels)));
        assertTrue(other.getMessage().contains("different options"), other.getMessage());
        var classes = assertThrows(DiffusionException.class, () -> PairedComparison.of(model, result(o, new int[]{0, 0, 1, 1, 3}, labels)));
        assertTrue(classes.getMessage().contains("different classes"), classes.getMessage());
    }

    private static BaseModelEvaluation.Result result(BaseModelEvaluation.Options o, int[] labels, int[] predicted) {
        return new BaseModelEvaluation.Result(o, 0, List.of(), 0, 0, 0, 0, null, labels, predicted, List.of(), new int[]{0, 1, 2});
    }
}
