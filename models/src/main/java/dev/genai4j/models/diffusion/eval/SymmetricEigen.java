package dev.genai4j.models.diffusion.eval;

import dev.genai4j.tensor.ShapeException;

/**
 * Eigendecomposition of a real symmetric matrix by the cyclic Jacobi method, in double
 * precision: plane rotations zero the off-diagonal entries one at a time until their sum of
 * squares is below 1e-24 of the matrix's (it converges quadratically; a 128 × 128 covariance
 * needs well under 20 sweeps). Used for the matrix square roots of the Fréchet distance, where
 * feature sizes stay ≤ a few hundred.
 *
 * <pre>{@code
 * SymmetricEigen e = SymmetricEigen.of(new double[][]{{2, 1}, {1, 2}});
 * e.values();        // {1, 3} (ascending)
 * e.vectors();       // columns are the unit eigenvectors
 * }</pre>
 */
public final class SymmetricEigen {
    private static final int MAX_SWEEPS = 100;

    private final double[] values;     // ascending
    private final double[][] vectors;  // [n][n], column k belongs to values[k]

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /** Decomposes {@code a} (not modified); it must be square and symmetric to 1e-9 relative. */
    public static SymmetricEigen of(double[][] a) {
        int n = a.length;
        double scale = 0;
        for (double[] row : a) {
            if (row.length != n) throw new ShapeException("SymmetricEigen: matrix is not square (" + n + " rows, a row of " + row.length + ")");
            for (double v : row) scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (Math.abs(a[i][j] - a[j][i]) > 1e-9 * Math.max(scale, 1e-300)) {
                    throw new IllegalArgumentException("SymmetricEigen: matrix is not symmetric: a[" + i + "][" + j + "] = " + a[i][j]
                            + " but a[" + j + "][" + i + "] = " + a[j][i]);
                }
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) m[i] = a[i].clone();
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) v[i][i] = 1;
        double total = 0;
        for (double[] row : m) for (double x : row) total += x * x;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += m[p][q] * m[p][q];
            if (off <= 1e-24 * total || off == 0) break;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = m[p][q];
                    if (apq == 0) continue;
                    // rotation angle that zeroes m[p][q] (Golub & Van Loan, Algorithm 8.4.1)
                    double theta = (m[q][q] - m[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) {             // columns p, q
                        double mkp = m[k][p], mkq = m[k][q];
                        m[k][p] = c * mkp - s * mkq;
                        m[k][q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++) {             // rows p, q
                        double mpk = m[p][k], mqk = m[q][k];
                        m[p][k] = c * mpk - s * mqk;
                        m[q][k] = s * mpk + c * mqk;
                    }
                    m[p][q] = m[q][p] = 0;
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        // sort ascending, carrying the eigenvector columns along
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(m[x][x], m[y][y]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            values[k] = m[order[k]][order[k]];
            for (int i = 0; i < n; i++) vectors[i][k] = v[i][order[k]];
        }
        return new SymmetricEigen(values, vectors);
    }

    /** Eigenvalues, ascending (a copy). */
    public double[] values() { return values.clone(); }

    /** Eigenvectors as columns, {@code vectors()[i][k]} = component i of eigenvector k (a copy). */
    public double[][] vectors() {
        double[][] out = new double[vectors.length][];
        for (int i = 0; i < out.length; i++) out[i] = vectors[i].clone();
        return out;
    }

    /**
     * V · diag(f(λ)) · Vᵀ with f = √max(λ, 0): the principal square root of a positive
     * semi-definite matrix (round-off can leave eigenvalues slightly below 0; they count as 0).
     */
    public double[][] sqrtPsd() {
        int n = values.length;
        double[] r = new double[n];
        for (int k = 0; k < n; k++) r[k] = Math.sqrt(Math.max(values[k], 0));
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += vectors[i][k] * r[k] * vectors[j][k];
                out[i][j] = out[j][i] = s;
            }
        return out;
    }
}
