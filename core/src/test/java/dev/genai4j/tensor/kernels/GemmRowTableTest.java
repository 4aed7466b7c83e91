package dev.genai4j.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The row-table GEMM's vector path and scalar twin against a double reference, on awkward sizes. */
class GemmRowTableTest {
    private static final float GUARD = 777f;

    private static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    @Test
    void vectorAndScalarMatchTheDefinitionOnAwkwardSizes() {
        checkAgainstTheDefinition(new Random(3), false, new int[]{1, 3, 4, 5, 8, 9, 12, 13}, new int[]{1, 7, 16, 17, 33, 64, 65, 100, 131},
                new int[]{1, 2, 9, 37});
    }

    @Test
    void columnMajorAVectorAndScalarMatchTheDefinitionOnAwkwardSizes() {
        checkAgainstTheDefinition(new Random(5), true, new int[]{1, 7, 8, 9, 16, 21}, new int[]{1, 17, 32, 33, 64, 70}, new int[]{1, 2, 9, 38});
    }

    /**
     * {@link GemmRowTable#multiply} (or, columnMajorA, {@link GemmRowTable#multiplyColumnMajorA}: A[i, p] at
     * aOff + p·lda + i) against a double reference, its scalar twin bit for bit, and guards past N.
     */
    private static void checkAgainstTheDefinition(Random r, boolean columnMajorA, int[] ms, int[] ns, int[] ks) {
        for (int m : ms)
            for (int n : ns)
                for (int k : ks) {
                    int lda = columnMajorA ? m + 2 : k + 2, ldc = n + 3, aOff = 1, bOff = 4, cOff = 2;
                    float[] a = gaussian(r, aOff + (columnMajorA ? k : m) * lda);
                    float[] b = gaussian(r, bOff + 3 * k + n + 50);
                    int[] rows = new int[k];
                    for (int p = 0; p < k; p++) rows[p] = r.nextInt(3 * k + 50);   // overlapping, unordered rows
                    float[] c0 = gaussian(r, cOff + m * ldc);
                    for (boolean accumulate : new boolean[]{false, true}) {
                        float[] v = c0.clone(), s = c0.clone();
                        // guards in the gaps between C rows: a kernel writing past N is caught
                        for (int i = 0; i < m; i++) for (int j = n; j < ldc && cOff + i * ldc + j < v.length; j++) {
                            v[cOff + i * ldc + j] = GUARD;
                            s[cOff + i * ldc + j] = GUARD;
                        }
                        if (columnMajorA) {
                            GemmRowTable.multiplyColumnMajorAVector(m, n, k, a, aOff, lda, b, bOff, rows, v, cOff, ldc, accumulate);
                            GemmRowTable.multiplyColumnMajorAScalar(m, n, k, a, aOff, lda, b, bOff, rows, s, cOff, ldc, accumulate);
                        } else {
                            GemmRowTable.multiplyVector(m, n, k, a, aOff, lda, b, bOff, rows, v, cOff, ldc, accumulate);
                            GemmRowTable.multiplyScalar(m, n, k, a, aOff, lda, b, bOff, rows, s, cOff, ldc, accumulate);
                        }
                        String what = "m=" + m + " n=" + n + " k=" + k + " acc=" + accumulate + " columnMajorA=" + columnMajorA;
                        for (int i = 0; i < m; i++)
                            for (int j = 0; j < ldc; j++) {
                                int ci = cOff + i * ldc + j;
                                if (ci >= v.length) continue;
                                if (j >= n) {
                                    assertEquals(GUARD, v[ci], what + " wrote past N");
                                    continue;
                                }
                                double e = accumulate ? c0[ci] : 0;
                                for (int p = 0; p < k; p++) {
                                    e += (double) a[aOff + (columnMajorA ? p * lda + i : i * lda + p)] * b[bOff + rows[p] + j];
                                }
                                assertEquals(e, v[ci], 1e-4 * (1 + Math.abs(e)), what + " vector at " + i + "," + j);
                                // same FMA chain per element: the twins agree to the bit
                                assertEquals(s[ci], v[ci], 0f, what + " twins at " + i + "," + j);
                            }
                    }
                }
    }

    @Test
    void transposedVectorAndScalarMatchTheDefinitionOnAwkwardSizes() {
        Random r = new Random(4);
        int[] ms = {1, 4, 6};
        int[] ps = {1, 3, 4, 9};
        int[] ns = {1, 7, 16, 33, 100, 1025, 8191, 8193, 16500};   // across the 8,192-column blocks
        for (int m : ms)
            for (int p : ps)
                for (int n : ns) {
                    int lda = n + 2, ldc = p + 3, aOff = 1, bOff = 4, cOff = 2;
                    float[] a = gaussian(r, aOff + m * lda);
                    float[] b = gaussian(r, bOff + 40 + n);
                    int[] rows = new int[p];
                    for (int q = 0; q < p; q++) rows[q] = r.nextInt(40);
                    float[] c0 = gaussian(r, cOff + m * ldc);
                    for (boolean accumulate : new boolean[]{false, true}) {
                        float[] v = c0.clone(), s = c0.clone();
                        GemmRowTable.multiplyTransposedVector(m, p, n, a, aOff, lda, b, bOff, rows, v, cOff, ldc, accumulate);
                        GemmRowTable.multiplyTransposedScalar(m, p, n, a, aOff, lda, b, bOff, rows, s, cOff, ldc, accumulate);
                        String what = "m=" + m + " p=" + p + " n=" + n + " acc=" + accumulate;
                        for (int ci = 0; ci < v.length; ci++) {
                            int i = (ci - cOff) / ldc, q = (ci - cOff) % ldc;
                            if (ci < cOff || i >= m || q >= p) {
                                assertEquals(c0[ci], v[ci], what + " wrote outside C at " + ci);
                                continue;
                            }
                            double e = accumulate ? c0[ci] : 0;
                            for (int j = 0; j < n; j++) e += (double) a[aOff + i * lda + j] * b[bOff + rows[q] + j];
                            double tol = 1e-5 * (Math.sqrt(n) + Math.abs(e));
                            assertEquals(e, v[ci], tol, what + " vector at " + i + "," + q);
                            assertEquals(e, s[ci], tol, what + " scalar at " + i + "," + q);
                        }
                    }
                }
    }

    @Test
    void rejectsATableShorterThanK() {
        float[] a = new float[4], b = new float[8], c = new float[2];
        assertThrows(IllegalArgumentException.class,
                () -> GemmRowTable.multiply(1, 2, 4, a, 0, 4, b, 0, new int[]{0, 1}, c, 0, 2, false));
    }
}
