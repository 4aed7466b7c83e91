package dev.genai4j.tensor;

/**
 * The error function in double precision (Java has none): Maclaurin series for |x| < 3, where
 * double keeps ~13 digits despite cancellation, and the Laplace continued fraction for erfc
 * beyond. Accurate far past fp32 everywhere, so exact-GELU matches libm-based references.
 */
public final class Erf {
    private Erf() {}

    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        if (ax < 3.0) {
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            return 2.0 / Math.sqrt(Math.PI) * sum;
        }
        if (ax > 6.0) return Math.signum(x);
        double r = erfcLarge(ax);
        return x > 0 ? 1.0 - r : r - 1.0;
    }

    /** erfc(x) for x ≥ 3 by the continued fraction, evaluated bottom-up. */
    private static double erfcLarge(double x) {
        double f = 0;
        for (int k = 60; k >= 1; k--) f = (k / 2.0) / (x + f);
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / (x + f);
    }
}
