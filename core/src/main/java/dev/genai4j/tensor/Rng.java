package dev.genai4j.tensor;

import java.util.SplittableRandom;

/**
 * A seeded random source. The same seed gives the same numbers on every machine and run
 * (single-threaded draw order), so training runs and samplers are reproducible.
 */
public final class Rng {
    private final SplittableRandom random;
    private double spareGaussian = Double.NaN;

    public Rng(long seed) { this.random = new SplittableRandom(seed); }

    public float uniform() { return (float) random.nextDouble(); }

    public int nextInt(int bound) { return random.nextInt(bound); }

    public long nextLong() { return random.nextLong(); }

    /** Standard normal by the polar Box–Muller method. */
    public double gaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u, v, s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * m;
        return u * m;
    }

    /** An independent generator derived from this one (for per-worker streams). */
    public Rng split() { return new Rng(random.nextLong()); }
}
