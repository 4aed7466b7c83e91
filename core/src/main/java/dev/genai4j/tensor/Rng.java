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

    /**
     * Uniform in [0, 1): 24 random bits scaled by 2^-24, so every value is exact in fp32 and 1 is
     * never returned (casting nextDouble() to float rounds values near 1 up to 1).
     */
    public float uniform() { return (random.nextInt() >>> 8) * 0x1.0p-24f; }

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
