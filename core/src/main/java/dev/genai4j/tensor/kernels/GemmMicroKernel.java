package dev.genai4j.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tile of {@link Gemm}: {@code C[MR, NR] += Ap[MR, kc] · Bp[kc, NR]} over packed
 * panels, with {@code MR = 8} rows and {@code NR = 2} vectors of the preferred species (32 columns
 * with AVX-512). The 16 accumulators are plain locals and the loop body is straight-line: a probe
 * on this machine showed C2 stops keeping the tile in registers (160 → 20 GFLOP/s) as soon as the
 * kernel calls a helper or grows a throw branch, so the load and store of C are written out here.
 */
final class GemmMicroKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Rows of the register tile. */
    static final int MR = 8;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;

    private GemmMicroKernel() {}

    /**
     * Ap holds, for each of the kc steps, MR consecutive values of one A column; Bp holds, for each
     * step, NR consecutive values of one B row. C must have MR full rows of NR columns from cOff.
     */
    static void kernel(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc) {
        int r0 = cOff, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        int r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        FloatVector c00 = FloatVector.fromArray(S, c, r0), c01 = FloatVector.fromArray(S, c, r0 + L);
        FloatVector c10 = FloatVector.fromArray(S, c, r1), c11 = FloatVector.fromArray(S, c, r1 + L);
        FloatVector c20 = FloatVector.fromArray(S, c, r2), c21 = FloatVector.fromArray(S, c, r2 + L);
        FloatVector c30 = FloatVector.fromArray(S, c, r3), c31 = FloatVector.fromArray(S, c, r3 + L);
        FloatVector c40 = FloatVector.fromArray(S, c, r4), c41 = FloatVector.fromArray(S, c, r4 + L);
        FloatVector c50 = FloatVector.fromArray(S, c, r5), c51 = FloatVector.fromArray(S, c, r5 + L);
        FloatVector c60 = FloatVector.fromArray(S, c, r6), c61 = FloatVector.fromArray(S, c, r6 + L);
        FloatVector c70 = FloatVector.fromArray(S, c, r7), c71 = FloatVector.fromArray(S, c, r7 + L);
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * MR, bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = b0.fma(a, c00); c01 = b1.fma(a, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = b0.fma(a, c10); c11 = b1.fma(a, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = b0.fma(a, c20); c21 = b1.fma(a, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = b0.fma(a, c30); c31 = b1.fma(a, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = b0.fma(a, c40); c41 = b1.fma(a, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = b0.fma(a, c50); c51 = b1.fma(a, c51);
            a = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = b0.fma(a, c60); c61 = b1.fma(a, c61);
            a = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = b0.fma(a, c70); c71 = b1.fma(a, c71);
        }
        c00.intoArray(c, r0); c01.intoArray(c, r0 + L);
        c10.intoArray(c, r1); c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2); c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3); c31.intoArray(c, r3 + L);
        c40.intoArray(c, r4); c41.intoArray(c, r4 + L);
        c50.intoArray(c, r5); c51.intoArray(c, r5 + L);
        c60.intoArray(c, r6); c61.intoArray(c, r6 + L);
        c70.intoArray(c, r7); c71.intoArray(c, r7 + L);
    }
}
