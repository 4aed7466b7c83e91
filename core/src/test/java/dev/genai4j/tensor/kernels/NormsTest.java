package dev.genai4j.tensor.kernels;

import static dev.genai4j.tensor.kernels.KernelTestData.assertClose;
import static dev.genai4j.tensor.kernels.KernelTestData.gaussian;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.TensorException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NormsTest {
    private static final int[] SIZES = {1, 7, 16, 33, 1000};
    private static final int X_OFF = 3, OUT_OFF = 5;

    /** Double-precision LayerNorm / RMSNorm of one row; the reference and the function finite differences probe. */
    private static double[] reference(double[] x, double[] w, double[] b, double eps, boolean rms, boolean onePlus) {
        int n = x.length;
        double mu = 0, ss = 0;
        if (!rms) { for (double v : x) mu += v; mu /= n; }
        for (double v : x) ss += (v - mu) * (v - mu);
        double rs = 1 / Math.sqrt(ss / n + eps);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = (x[i] - mu) * rs;
            if (w != null) y[i] *= onePlus ? 1 + w[i] : w[i];
            if (b != null) y[i] += b[i];
        }
        return y;
    }

    private static double[] row(float[] a, int off, int n) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = a[off + i];
        return r;
    }

    private static double[] asDouble(float[] a) { return a == null ? null : row(a, 0, a.length); }

    @Test
    void layerNormForwardMatchesReferenceWithAndWithoutAffine() {
        Random r = new Random(7);
        int rows = 5;
        float eps = 1e-5f;
        for (int n : SIZES) {
            float[] x = gaussian(r, X_OFF + rows * n, 3f);
            for (int i = 0; i < x.length; i++) x[i] += 2f;          // a mean away from 0
            float[] g = gaussian(r, n, 1f), b = gaussian(r, n, 1f);
            for (boolean affine : new boolean[]{true, false}) {
                for (boolean vector : new boolean[]{true, false}) {
                    float[] out = new float[OUT_OFF + rows * n], mean = new float[rows], rstd = new float[rows];
                    Norms.layerNorm(x, X_OFF, rows, n, affine ? g : null, affine ? b : null, eps, out, OUT_OFF, mean, rstd, vector);
                    for (int i = 0; i < rows; i++) {
                        double[] xr = row(x, X_OFF + i * n, n);
                        double[] y = reference(xr, affine ? asDouble(g) : null, affine ? asDouble(b) : null, eps, false, false);
                        String what = "layerNorm n=" + n + " affine=" + affine + " vector=" + vector + " row " + i;
                        assertClose(what, y, out, OUT_OFF + i * n, 2e-5, 2e-5);
                        double mu = 0;
                        for (double v : xr) mu += v;
                        assertClose(what + " mean", new double[]{mu / n}, mean, i, 1e-6, 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void rmsNormForwardMatchesReferenceBothWeightConventions() {
        Random r = new Random(8);
        int rows = 4;
        float eps = 1e-6f;
        for (int n : SIZES) {
            float[] x = gaussian(r, X_OFF + rows * n, 2f), w = gaussian(r, n, 1f);
            for (boolean onePlus : new boolean[]{false, true}) {
                for (boolean vector : new boolean[]{true, false}) {
                    float[] out = new float[OUT_OFF + rows * n], rstd = new float[rows];
                    Norms.rmsNorm(x, X_OFF, rows, n, w, onePlus, eps, out, OUT_OFF, rstd, vector);
                    for (int i = 0; i < rows; i++) {
                        double[] y = reference(row(x, X_OFF + i * n, n), asDouble(w), null, eps, true, onePlus);
                        assertClose("rmsNorm n=" + n + " onePlus=" + onePlus + " vector=" + vector, y, out, OUT_OFF + i * n, 2e-5, 2e-5);
                    }
                }
            }
        }
    }

    /** Finite differences of the double reference for L = Σ dy·y; the kernels' gradients must agree. */
    private static void checkBackward(boolean rms, boolean onePlus, boolean affine, int rows, int n, boolean vector) {
        Random r = new Random(9 + n);
        float eps = 1e-5f;
        float[] x = gaussian(r, X_OFF + rows * n, 1.5f), dy = gaussian(r, rows * n, 1f);
        float[] w = affine ? gaussian(r, n, 1f) : null, b = affine && !rms ? gaussian(r, n, 1f) : null;
        float[] mean = new float[rows], rstd = new float[rows], y = new float[rows * n], dx = new float[rows * n];
        float[] dw = affine ? new float[n] : null, db = b != null ? new float[n] : null;
        if (rms) {
            Norms.rmsNorm(x, X_OFF, rows, n, w, onePlus, eps, y, 0, rstd, vector);
            Norms.rmsNormBackward(dy, 0, x, X_OFF, rows, n, w, onePlus, rstd, dx, 0, dw, vector);
        } else {
            Norms.layerNorm(x, X_OFF, rows, n, w, b, eps, y, 0, mean, rstd, vector);
            Norms.layerNormBackward(dy, 0, x, X_OFF, rows, n, w, mean, rstd, dx, 0, dw, db, vector);
        }
        double h = 1e-5;
        double[] wd = asDouble(w), bd = asDouble(b), dwRef = new double[n], dbRef = new double[n];
        String what = (rms ? "rmsNorm" : "layerNorm") + " backward n=" + n + " rows=" + rows + " onePlus=" + onePlus
                + " affine=" + affine + " vector=" + vector;
        for (int i = 0; i < rows; i++) {
            double[] xr = row(x, X_OFF + i * n, n), dyr = row(dy, i * n, n), dxRef = new double[n];
            java.util.function.Supplier<Double> loss = () -> {
                double[] yy = reference(xr, wd, bd, eps, rms, onePlus);
                double l = 0;
                for (int j = 0; j < n; j++) l += dyr[j] * yy[j];
                return l;
            };
            for (int j = 0; j < n; j++) {
                dxRef[j] = central(xr, j, h, loss);
                if (wd != null) dwRef[j] += central(wd, j, h, loss);
                if (bd != null) dbRef[j] += central(bd, j, h, loss);
            }
            assertClose(what + " dx row " + i, dxRef, dx, i * n, 2e-4, 1e-3);
        }
        if (dw != null) assertClose(what + " dweight", dwRef, dw, 0, 2e-4, 1e-3);
        if (db != null) assertClose(what + " dbias", dbRef, db, 0, 2e-4, 1e-3);
    }

    private static double central(double[] p, int j, double h, java.util.function.Supplier<Double> f) {
        double keep = p[j];
        p[j] = keep + h;
        double up = f.get();
        p[j] = keep - h;
        double down = f.get();
        p[j] = keep;
        return (up - down) / (2 * h);
    }

    @Test
    void layerNormBackwardMatchesFiniteDifferences() {
        for (boolean vector : new boolean[]{true, false}) {
            for (int n : new int[]{1, 7, 33}) {
                checkBackward(false, false, true, 3, n, vector);
                checkBackward(false, false, false, 2, n, vector);
            }
        }
    }

    @Test
    void rmsNormBackwardMatchesFiniteDifferences() {
        for (boolean vector : new boolean[]{true, false}) {
            for (int n : new int[]{1, 7, 33}) {
                checkBackward(true, false, true, 3, n, vector);
                checkBackward(true, true, true, 2, n, vector);
                checkBackward(true, false, false, 2, n, vector);
            }
        }
    }

    /** Enough rows for several per-thread chunks: their parameter-gradient partials must add up. */
    @Test
    void backwardOverManyRowsAgreesBetweenPathsAndChunks() {
        Random r = new Random(10);
        int rows = 97, n = 1000;
        float[] x = gaussian(r, rows * n, 1f), dy = gaussian(r, rows * n, 1f), g = gaussian(r, n, 1f), b = gaussian(r, n, 1f);
        float[][] dgs = new float[2][n], dbs = new float[2][n], dxs = new float[2][rows * n];
        for (int p = 0; p < 2; p++) {
            boolean vector = p == 0;
            float[] mean = new float[rows], rstd = new float[rows], y = new float[rows * n];
            Norms.layerNorm(x, 0, rows, n, g, b, 1e-5f, y, 0, mean, rstd, vector);
            Norms.layerNormBackward(dy, 0, x, 0, rows, n, g, mean, rstd, dxs[p], 0, dgs[p], dbs[p], vector);
        }
        assertClose("dx vector vs scalar", dxs[1], dxs[0], 1e-5, 1e-4);
        assertClose("dgamma vector vs scalar", dgs[1], dgs[0], 1e-4, 1e-4);
        assertClose("dbeta vector vs scalar", dbs[1], dbs[0], 1e-4, 1e-4);
        double[] dbRef = new double[n];
        for (int i = 0; i < rows; i++) for (int j = 0; j < n; j++) dbRef[j] += dy[i * n + j];
        assertClose("dbeta = Σ rows dy", dbRef, dbs[0], 0, 1e-4, 1e-5);
        float[] single = new float[n], mean = new float[rows], rstd = new float[rows], dx = new float[rows * n];
        dev.genai4j.tensor.Parallel.withThreads(1, () -> {
            Norms.layerNorm(x, 0, rows, n, g, b, 1e-5f, new float[rows * n], 0, mean, rstd, true);
            Norms.layerNormBackward(dy, 0, x, 0, rows, n, g, mean, rstd, dx, 0, single, null, true);
        });
        assertClose("dgamma 1 thread vs all", single, dgs[0], 1e-4, 1e-4);
    }

    @Test
    void badArgumentsFailWithNamedErrors() {
        float[] x = new float[12];
        var e = assertThrows(ShapeException.class, () -> Norms.layerNorm(x, 0, 3, 4, new float[3], null, 1e-5f, x, 0, null, null));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("gamma"), e.getMessage());
        var e2 = assertThrows(TensorException.class,
                () -> Norms.rmsNormBackward(x, 0, x, 0, 3, 4, null, false, null, new float[12], 0, null));
        org.junit.jupiter.api.Assertions.assertTrue(e2.getMessage().contains("rstd"), e2.getMessage());
    }
}
