package dev.genai4j.models.diffusion.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Fréchet distance against closed forms and numpy, diversity and accuracy by hand. */
class MetricsTest {

    @Test
    void diagonalCovariancesGiveTheClosedForm() {
        // A: mean 0, cov diag(2/3, 8/3); B: mean (4, 1), cov diag(2/3, 2/3) (unbiased, n − 1 = 3)
        Tensor a = Tensor.of(new float[]{1, 0, -1, 0, 0, 2, 0, -2}, 4, 2);
        Tensor b = Tensor.of(new float[]{3, 1, 5, 1, 4, 0, 4, 2}, 4, 2);
        Metrics.Moments ma = Metrics.moments(a);
        assertEquals(2.0 / 3, ma.covariance()[0][0], 1e-12);
        assertEquals(8.0 / 3, ma.covariance()[1][1], 1e-12);
        assertEquals(0.0, ma.covariance()[0][1], 1e-12);
        // |μ1 − μ2|² + Σ (√a_i − √b_i)² = 17 + (√(8/3) − √(2/3))² = 17 + 2/3
        assertEquals(17 + 2.0 / 3, Metrics.frechetDistance(a, b), 1e-9);
    }

    @Test
    void diagonalMomentsInHigherDimension() {
        double[] va = {1, 4, 9, 0.25, 2}, vb = {4, 4, 1, 1, 0};
        double[] mu = {0, 1, 2, 3, 4}, mv = {1, 1, 1, 1, 1};
        double want = 0;
        for (int i = 0; i < 5; i++) want += (mu[i] - mv[i]) * (mu[i] - mv[i]) + Math.pow(Math.sqrt(va[i]) - Math.sqrt(vb[i]), 2);
        assertEquals(want, Metrics.frechetDistance(diag(mu, va), diag(mv, vb)), 1e-9);   // means 1+0+1+4+9 = 15, roots 1+0+4+0.25+2 = 7.25
        assertEquals(22.25, want, 1e-12);
    }

    @Test
    void twoByTwoFullCovariancesMatchTheTraceFormula() {
        // for 2 × 2 PSD: tr √(C1 C2) = √(tr(C1 C2) + 2 √(det C1 · det C2)) = √(10 + 2√12)
        Metrics.Moments a = new Metrics.Moments(new double[]{0, 0}, new double[][]{{2, 1}, {1, 2}}, 10);
        Metrics.Moments b = new Metrics.Moments(new double[]{0, 0}, new double[][]{{1, 0}, {0, 4}}, 10);
        double want = 4 + 5 - 2 * Math.sqrt(10 + 2 * Math.sqrt(12));
        assertEquals(want, Metrics.frechetDistance(a, b), 1e-12);
        assertEquals(want, Metrics.frechetDistance(b, a), 1e-12);   // symmetric
    }

    @Test
    void identicalSetsAreAtZeroAndAShiftCostsItsSquaredLength() {
        Tensor a = Tensor.randn(new Rng(3), 50, 6);
        assertEquals(0.0, Metrics.frechetDistance(a, a), 1e-9);
        Tensor shifted = a.add(Tensor.of(new float[]{1, 0, 0, 2, 0, 0}, 6));
        assertEquals(5.0, Metrics.frechetDistance(a, shifted), 1e-5);
    }

    @Test
    void randomEightDimensionalCaseMatchesNumpy() {
        JsonNode j = JsonConfig.read(Path.of("src/test/resources/diffusion/frechet_8d.json")).tree();
        Tensor a = matrix(j.get("a")), b = matrix(j.get("b"));
        double want = j.get("frechet_distance").asDouble();
        assertEquals(want, Metrics.frechetDistance(a, b), 1e-9 * want);
        // the pieces too: eigenvalues of C1 agree with numpy's eigh
        double[] ev = SymmetricEigen.of(Metrics.moments(a).covariance()).values();
        for (int i = 0; i < 8; i++) assertEquals(j.get("c1_eigenvalues").get(i).asDouble(), ev[i], 1e-9 * Math.max(1, Math.abs(ev[i])));
    }

    @Test
    void diversityIsTheMeanPairwiseDistance() {
        // distances 5 (0,0)-(3,4), 3 (3,4)-(0,4), 4 (0,0)-(0,4)
        assertEquals(4.0, Metrics.diversity(Tensor.of(new float[]{0, 0, 3, 4, 0, 4}, 3, 2)), 1e-12);
        assertEquals(0.0, Metrics.diversity(Tensor.ones(5, 3)), 0);
    }

    @Test
    void accuracyScoresOverallAndPerClass() {
        Metrics.Accuracy acc = Metrics.score(new int[]{0, 1, 1, 2, 0}, new int[]{0, 1, 2, 2, 1}, 4);
        assertEquals(0.6, acc.overall(), 1e-12);
        assertEquals(1.0, acc.perClass()[0], 0);
        assertEquals(0.5, acc.perClass()[1], 0);
        assertEquals(0.5, acc.perClass()[2], 0);
        assertEquals(Double.NaN, acc.perClass()[3]);
    }

    @Test
    void badInputsAreRejected() {
        assertThrows(ShapeException.class, () -> Metrics.frechetDistance(Tensor.zeros(4, 3), Tensor.zeros(4, 2)));
        assertThrows(IllegalArgumentException.class, () -> Metrics.moments(Tensor.zeros(1, 3)));
        assertThrows(IllegalArgumentException.class, () -> Metrics.diversity(Tensor.zeros(1, 3)));
        var e = assertThrows(IllegalArgumentException.class, () -> PromptClasses.fashionMnist().requireClassOf("a red car"));
        assertEquals(true, e.getMessage().contains("Ankle boot"));
        assertThrows(IllegalArgumentException.class, () -> Metrics.promptedAccuracy(null, Tensor.zeros(2, 1, 32, 32), List.of("a bag"),
                PromptClasses.fashionMnist()));
    }

    private static Metrics.Moments diag(double[] mean, double[] var) {
        double[][] c = new double[var.length][var.length];
        for (int i = 0; i < var.length; i++) c[i][i] = var[i];
        return new Metrics.Moments(mean, c, 100);
    }

    private static Tensor matrix(JsonNode rows) {
        int n = rows.size(), d = rows.get(0).size();
        float[] f = new float[n * d];
        for (int i = 0; i < n; i++) for (int k = 0; k < d; k++) f[i * d + k] = (float) rows.get(i).get(k).asDouble();
        return Tensor.of(f, n, d);
    }
}
