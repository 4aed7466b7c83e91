package dev.genai4j.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast tabulated erf against libm values (CPython's math.erf) and against the slow exact reference. */
class ErfTest {
    private static final double[][] LIBM = {
            {0.1, 0.1124629160182849}, {0.3, 0.3286267594591274}, {0.5, 0.5204998778130465},
            {0.77, 0.7238216139648593}, {1.0, 0.8427007929497149}, {1.5, 0.9661051464753108},
            {2.0, 0.9953222650189527}, {2.5, 0.999593047982555}, {2.99, 0.9999764743969194},
            {3.0, 0.9999779095030014}, {3.3, 0.9999969422902035}, {4.0, 0.9999999845827421},
            {5.0, 0.9999999999984626}, {5.9, 0.9999999999999999}};

    @Test
    void matchesLibm() {
        for (double[] p : LIBM) {
            assertEquals(p[1], Erf.erf(p[0]), 2e-15, "erf(" + p[0] + ")");
            assertEquals(-p[1], Erf.erf(-p[0]), 2e-15, "erf(-" + p[0] + ")");
        }
        assertEquals(0.0, Erf.erf(0.0));
        assertEquals(1.0, Erf.erf(7.0));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
    }

    @Test
    void matchesTheCancellationFreeSeriesOnADenseGrid() {
        double worst = 0;
        for (int i = 0; i <= 70000; i++) {
            double x = i * 1e-4 + 1.3e-5;        // off the table grid
            double want = Math.min(1.0, Erf.erfPositiveSeries(x));
            worst = Math.max(worst, Math.abs(Erf.erf(x) - want));
            assertEquals(-Erf.erf(x), Erf.erf(-x));
        }
        assertTrue(worst < 1e-14, "largest difference " + worst);   // both sides round ~1e-15
        // the older series/continued-fraction form agrees to its own ~13 digits
        for (double x = -5.95; x < 6; x += 0.01) assertEquals(Erf.erfReference(x), Erf.erf(x), 1e-12, "x=" + x);
    }
}
