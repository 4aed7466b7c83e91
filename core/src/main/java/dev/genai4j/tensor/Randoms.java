package dev.genai4j.tensor;

/** Seeded random tensors: uniform, normal, bernoulli, multinomial. */
public final class Randoms {
    private Randoms() {}

    /** Uniform in [low, high). */
    public static Tensor uniform(Rng rng, float low, float high, int... shape) {
        if (!(low <= high) || !Float.isFinite(low) || !Float.isFinite(high)) {
            throw new TensorException("uniform: need finite low <= high, got [" + low + ", " + high + ")");
        }
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            float v = (float) (low + ((double) high - low) * rng.uniform());
            d[i] = v < high || low == high ? v : Math.nextDown(high);   // rounding must not reach high
        }
        return Tensor.of(d, shape);
    }

    /** Integers uniform in [low, high), as {@code torch.randint} (values stored as floats). */
    public static Tensor randint(Rng rng, int low, int high, int... shape) {
        if (low >= high) throw new TensorException("randint: empty range [" + low + ", " + high + ")");
        long span = (long) high - low;
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            long r = span <= Integer.MAX_VALUE ? rng.nextInt((int) span) : Math.floorMod(rng.nextLong(), span);
            d[i] = (float) (low + r);
        }
        return Tensor.of(d, shape);
    }

    public static Tensor normal(Rng rng, float mean, float std, int... shape) {
        if (!(std >= 0)) throw new TensorException("normal: std must be >= 0, got " + std);
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = (float) (mean + std * rng.gaussian());
        return Tensor.of(d, shape);
    }

    /** 1 with probability p (per element of {@code p}), else 0. */
    public static Tensor bernoulli(Rng rng, Tensor p) {
        float[] pd = p.data();
        float[] d = new float[pd.length];
        for (int i = 0; i < d.length; i++) {
            if (!(pd[i] >= 0f && pd[i] <= 1f)) throw new TensorException("bernoulli: probability " + pd[i] + " outside [0, 1] at element " + i);
            d[i] = rng.uniform() < pd[i] ? 1f : 0f;
        }
        return Tensor.of(d, p.shape());
    }

    /**
     * Draws {@code n} category indices per row of {@code weights} ([C] or [R, C], non-negative,
     * need not sum to 1), as {@code torch.multinomial}. Without replacement, n ≤ number of
     * non-zero weights.
     */
    public static Tensor multinomial(Rng rng, Tensor weights, int n, boolean replacement) {
        if (weights.dim() < 1 || weights.dim() > 2) throw ShapeException.of("multinomial", "[C] or [R, C] weights", weights.shape());
        if (n < 0) throw new TensorException("multinomial: number of samples must be >= 0, got " + n);
        int c = weights.size(-1), rows = weights.dim() == 1 ? 1 : weights.size(0);
        float[] w = weights.data();
        float[] out = new float[rows * n];
        for (int r = 0; r < rows; r++) {
            double[] row = new double[c];
            int nonZero = 0;
            for (int j = 0; j < c; j++) {
                float v = w[r * c + j];
                if (!(v >= 0) || Float.isInfinite(v)) throw new TensorException("multinomial: weight " + v + " at row " + r + ", column " + j + " is not a finite non-negative number");
                row[j] = v;
                if (v > 0) nonZero++;
            }
            if (nonZero == 0) throw new TensorException("multinomial: row " + r + " has no positive weight");
            if (!replacement && n > nonZero) {
                throw new TensorException("multinomial: cannot draw " + n + " without replacement from " + nonZero + " non-zero weights");
            }
            if (replacement) {
                // the weights do not change: one cumulative table, a binary search per draw
                double[] cum = new double[c];
                double acc = 0;
                for (int j = 0; j < c; j++) { acc += row[j]; cum[j] = acc; }
                for (int s = 0; s < n; s++) {
                    double u = rng.uniform() * acc;
                    int lo = 0, hi = c - 1;
                    while (lo < hi) {           // first j with cum[j] > u (skips zero weights)
                        int mid = (lo + hi) >>> 1;
                        if (cum[mid] > u) hi = mid; else lo = mid + 1;
                    }
                    while (row[lo] == 0) lo--;  // u rounded onto the top edge: last positive weight
                    out[r * n + s] = lo;
                }
                continue;
            }
            for (int s = 0; s < n; s++) {
                double total = 0;
                for (double v : row) total += v;
                double u = rng.uniform() * total, acc = 0;
                int pick = -1;
                for (int j = 0; j < c; j++) {
                    acc += row[j];
                    if (row[j] > 0 && u < acc) { pick = j; break; }
                }
                if (pick < 0) for (int j = c - 1; j >= 0; j--) if (row[j] > 0) { pick = j; break; }
                out[r * n + s] = pick;
                if (!replacement) row[pick] = 0;
            }
        }
        return weights.dim() == 1 ? Tensor.of(out, n) : Tensor.of(out, rows, n);
    }
}
