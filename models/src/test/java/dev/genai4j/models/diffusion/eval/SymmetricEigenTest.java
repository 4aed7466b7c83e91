package dev.genai4j.models.diffusion.eval;

import dev.genai4j.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SymmetricEigenTest {

    @Test
    void twoByTwo() {
        SymmetricEigen e = SymmetricEigen.of(new double[][]{{2, 1}, {1, 2}});
        assertArrayEquals(new double[]{1, 3}, e.values(), 1e-14);
        double[][] v = e.vectors();
        assertEquals(1 / Math.sqrt(2), Math.abs(v[0][1]), 1e-14);   // (1, 1)/√2 for λ = 3
        assertEquals(v[0][1], v[1][1], 1e-14);
    }

    @Test
    void diagonalAndRepeatedEigenvalues() {
        assertArrayEquals(new double[]{-1, 2, 5}, SymmetricEigen.of(new double[][]{{5, 0, 0}, {0, -1, 0}, {0, 0, 2}}).values(), 0);
        assertArrayEquals(new double[]{4, 4}, SymmetricEigen.of(new double[][]{{4, 0}, {0, 4}}).values(), 0);
    }

    @Test
    void randomSymmetricMatrixIsReconstructedFromOrthonormalVectors() {
        int n = 40;
        Rng rng = new Rng(11);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = i; j < n; j++) a[i][j] = a[j][i] = rng.gaussian();
        SymmetricEigen e = SymmetricEigen.of(a);
        double[] l = e.values();
        double[][] v = e.vectors();
        for (int i = 1; i < n; i++) assertEquals(true, l[i - 1] <= l[i]);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double rec = 0, dot = 0;
                for (int k = 0; k < n; k++) {
                    rec += v[i][k] * l[k] * v[j][k];
                    dot += v[k][i] * v[k][j];
                }
                assertEquals(a[i][j], rec, 1e-10);
                assertEquals(i == j ? 1 : 0, dot, 1e-12);
            }
    }

    @Test
    void psdSquareRootSquaresBack() {
        double[][] c = {{4, 2, 0}, {2, 3, 1}, {0, 1, 2}};
        double[][] s = SymmetricEigen.of(c).sqrtPsd();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                double sq = 0;
                for (int k = 0; k < 3; k++) sq += s[i][k] * s[k][j];
                assertEquals(c[i][j], sq, 1e-12);
            }
    }

    @Test
    void rejectsNonSymmetricAndNonSquare() {
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][]{{1, 2}, {0, 1}}));
        assertThrows(dev.genai4j.tensor.ShapeException.class, () -> SymmetricEigen.of(new double[][]{{1, 2}}));
    }
}
