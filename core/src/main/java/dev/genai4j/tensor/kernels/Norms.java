package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.TensorException;

/**
 * LayerNorm and RMSNorm over the rows of a dense [rows, n] array, forward and backward, for
 * nn's LayerNorm / RMSNorm. Forward saves per-row statistics (LayerNorm: mean and 1/σ,
 * RMSNorm: 1/rms) that backward reuses instead of recomputing. Rows run in parallel; each row
 * takes the Vector API path ({@link NormsVector}) or its scalar twin ({@link NormsScalar}).
 *
 * <p>LayerNorm follows PyTorch: μ = mean(x), then σ² = mean((x − μ)²) (biased, two-pass),
 * rstd = 1/√(σ² + ε), y = (x·rstd + (−μ·rstd))·γ + β — the order of PyTorch's CPU kernel, so
 * results round the same way.
 * RMSNorm: y = x·rsqrt(mean(x²) + ε)·w (Llama, Mixtral), or ·(1 + w) with {@code onePlusWeight}
 * (Gemma, whose checkpoints store w − 1).
 *
 * <pre>{@code
 * float[] x = new float[rows * n], y = new float[rows * n], mean = new float[rows], rstd = new float[rows];
 * Norms.layerNorm(x, 0, rows, n, gamma, beta, 1e-5f, y, 0, mean, rstd);
 * // … later, given dy:
 * Norms.layerNormBackward(dy, 0, x, 0, rows, n, gamma, mean, rstd, dx, 0, dgamma, dbeta);
 * }</pre>
 */
public final class Norms {
    private Norms() {}

    private static final int GRAIN_ELEMENTS = 1 << 14;

    /**
     * LayerNorm forward. {@code gamma}/{@code beta} ([n]) may be null (no affine part);
     * {@code mean}/{@code rstd} ([rows]) may be null when no backward will follow.
     */
    public static void layerNorm(float[] x, int xOff, int rows, int n, float[] gamma, float[] beta, float eps,
                                 float[] out, int outOff, float[] mean, float[] rstd) {
        layerNorm(x, xOff, rows, n, gamma, beta, eps, out, outOff, mean, rstd, VectorSupport.ENABLED);
    }

    static void layerNorm(float[] x, int xOff, int rows, int n, float[] gamma, float[] beta, float eps,
                          float[] out, int outOff, float[] mean, float[] rstd, boolean vector) {
        checkParam("layerNorm", "gamma", gamma, n);
        checkParam("layerNorm", "beta", beta, n);
        checkStats("layerNorm", "mean", mean, rows, false);
        checkStats("layerNorm", "rstd", rstd, rows, false);
        Parallel.forRange(rows, grain(n), (from, to) -> {
            for (int r = from; r < to; r++) {
                if (vector) NormsVector.layerNormRow(x, xOff + r * n, n, gamma, beta, eps, out, outOff + r * n, mean, rstd, r);
                else NormsScalar.layerNormRow(x, xOff + r * n, n, gamma, beta, eps, out, outOff + r * n, mean, rstd, r);
            }
        });
    }

    /**
     * LayerNorm backward from the statistics {@link #layerNorm} saved. Writes dx [rows, n];
     * overwrites {@code dgamma}/{@code dbeta} ([n], either may be null to skip it) with Σ over rows.
     */
    public static void layerNormBackward(float[] dy, int dyOff, float[] x, int xOff, int rows, int n, float[] gamma,
                                         float[] mean, float[] rstd, float[] dx, int dxOff, float[] dgamma, float[] dbeta) {
        layerNormBackward(dy, dyOff, x, xOff, rows, n, gamma, mean, rstd, dx, dxOff, dgamma, dbeta, VectorSupport.ENABLED);
    }

    static void layerNormBackward(float[] dy, int dyOff, float[] x, int xOff, int rows, int n, float[] gamma,
                                  float[] mean, float[] rstd, float[] dx, int dxOff, float[] dgamma, float[] dbeta,
                                  boolean vector) {
        checkParam("layerNormBackward", "gamma", gamma, n);
        checkParam("layerNormBackward", "dgamma", dgamma, n);
        checkParam("layerNormBackward", "dbeta", dbeta, n);
        checkStats("layerNormBackward", "mean", mean, rows, true);
        checkStats("layerNormBackward", "rstd", rstd, rows, true);
        float[][] parts = rowChunks(rows, n, (from, to, acc) -> {
            float[] dgAcc = dgamma == null ? null : acc[0], dbAcc = dbeta == null ? null : acc[1];
            for (int r = from; r < to; r++) {
                if (vector) NormsVector.layerNormBackwardRow(dy, dyOff + r * n, x, xOff + r * n, n, gamma, mean[r], rstd[r],
                        dx, dxOff + r * n, dgAcc, dbAcc);
                else NormsScalar.layerNormBackwardRow(dy, dyOff + r * n, x, xOff + r * n, n, gamma, mean[r], rstd[r],
                        dx, dxOff + r * n, dgAcc, dbAcc);
            }
        }, 2);
        if (dgamma != null) System.arraycopy(parts[0], 0, dgamma, 0, n);
        if (dbeta != null) System.arraycopy(parts[1], 0, dbeta, 0, n);
    }

    /**
     * RMSNorm forward: y = x·rsqrt(mean(x²) + ε)·w, or ·(1 + w) when {@code onePlusWeight}.
     * {@code weight} ([n]) may be null (no scale); {@code rstd} ([rows]) may be null.
     */
    public static void rmsNorm(float[] x, int xOff, int rows, int n, float[] weight, boolean onePlusWeight, float eps,
                               float[] out, int outOff, float[] rstd) {
        rmsNorm(x, xOff, rows, n, weight, onePlusWeight, eps, out, outOff, rstd, VectorSupport.ENABLED);
    }

    static void rmsNorm(float[] x, int xOff, int rows, int n, float[] weight, boolean onePlusWeight, float eps,
                        float[] out, int outOff, float[] rstd, boolean vector) {
        checkParam("rmsNorm", "weight", weight, n);
        checkStats("rmsNorm", "rstd", rstd, rows, false);
        Parallel.forRange(rows, grain(n), (from, to) -> {
            for (int r = from; r < to; r++) {
                if (vector) NormsVector.rmsNormRow(x, xOff + r * n, n, weight, onePlusWeight, eps, out, outOff + r * n, rstd, r);
                else NormsScalar.rmsNormRow(x, xOff + r * n, n, weight, onePlusWeight, eps, out, outOff + r * n, rstd, r);
            }
        });
    }

    /** RMSNorm backward from the saved 1/rms. Writes dx; overwrites {@code dweight} ([n], may be null). */
    public static void rmsNormBackward(float[] dy, int dyOff, float[] x, int xOff, int rows, int n, float[] weight,
                                       boolean onePlusWeight, float[] rstd, float[] dx, int dxOff, float[] dweight) {
        rmsNormBackward(dy, dyOff, x, xOff, rows, n, weight, onePlusWeight, rstd, dx, dxOff, dweight, VectorSupport.ENABLED);
    }

    static void rmsNormBackward(float[] dy, int dyOff, float[] x, int xOff, int rows, int n, float[] weight,
                                boolean onePlusWeight, float[] rstd, float[] dx, int dxOff, float[] dweight, boolean vector) {
        checkParam("rmsNormBackward", "weight", weight, n);
        checkParam("rmsNormBackward", "dweight", dweight, n);
        checkStats("rmsNormBackward", "rstd", rstd, rows, true);
        float[][] parts = rowChunks(rows, n, (from, to, acc) -> {
            float[] dwAcc = dweight == null ? null : acc[0];
            for (int r = from; r < to; r++) {
                if (vector) NormsVector.rmsNormBackwardRow(dy, dyOff + r * n, x, xOff + r * n, n, weight, onePlusWeight,
                        rstd[r], dx, dxOff + r * n, dwAcc);
                else NormsScalar.rmsNormBackwardRow(dy, dyOff + r * n, x, xOff + r * n, n, weight, onePlusWeight,
                        rstd[r], dx, dxOff + r * n, dwAcc);
            }
        }, 1);
        if (dweight != null) System.arraycopy(parts[0], 0, dweight, 0, n);
    }

    @FunctionalInterface
    private interface ChunkBody {
        void run(int from, int to, float[][] acc);
    }

    /**
     * Runs {@code body} over row chunks, one per thread, each with its own zeroed [count][n]
     * accumulators, then sums the chunks' accumulators in chunk order, so the parameter
     * gradients do not depend on scheduling.
     */
    private static float[][] rowChunks(int rows, int n, ChunkBody body, int count) {
        int chunks = Math.max(1, Math.min(Parallel.threads(), rows / Math.max(1, grain(n))));
        float[][][] acc = new float[chunks][count][n];
        Parallel.forEach(chunks, c -> body.run((int) ((long) rows * c / chunks), (int) ((long) rows * (c + 1) / chunks), acc[c]));
        for (int c = 1; c < chunks; c++)
            for (int k = 0; k < count; k++) VectorMath.add(acc[0][k], 0, acc[c][k], 0, acc[0][k], 0, n);
        return acc[0];
    }

    private static int grain(int n) {
        return Math.max(1, GRAIN_ELEMENTS / Math.max(1, n));
    }

    private static void checkParam(String op, String name, float[] p, int n) {
        if (p != null && p.length < n)
            throw new ShapeException(op + ": " + name + " must hold n=" + n + " values, got length " + p.length);
    }

    private static void checkStats(String op, String name, float[] s, int rows, boolean required) {
        if (s == null) {
            if (required) throw new TensorException(op + ": " + name + " [rows=" + rows
                    + "] is required; pass the array the forward call filled");
            return;
        }
        if (s.length < rows)
            throw new ShapeException(op + ": " + name + " must hold rows=" + rows + " values, got length " + s.length);
    }
}
