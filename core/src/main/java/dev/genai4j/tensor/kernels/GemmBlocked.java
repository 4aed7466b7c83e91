package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.Storage;

import static dev.genai4j.tensor.kernels.GemmMicroKernel.MR;
import static dev.genai4j.tensor.kernels.GemmMicroKernel.NR;

/**
 * One thread's share of {@link Gemm}: {@code C += A·B} on a block of C, Goto/BLIS loop order.
 * A {@code KC×NC} slab of B is packed once (it lives in L2/L3), then for each {@code MC×KC} block
 * of A (packed to sit in L2) the micro-kernel sweeps MR×NR tiles, keeping one {@code KC×NR}
 * B panel hot in L1 while it walks down the A panels. Defaults fit this machine's 48 KiB L1d /
 * 2 MiB L2: a B panel is 256×32×4 = 32 KiB, an A block 192×256×4 = 192 KiB.
 */
final class GemmBlocked {
    static final int KC = Integer.getInteger("genai4j.gemm.kc", 256);
    static final int MC = roundUp(Integer.getInteger("genai4j.gemm.mc", 192), MR);
    static final int NC = roundUp(Integer.getInteger("genai4j.gemm.nc", 4096), NR);

    /** Per-thread packing buffers, kept between calls so small GEMMs do not allocate. */
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private static final class Buffers {
        final float[] ap = new float[MC * KC];
        final float[] bp = new float[KC * NC];
        final float[] tile = new float[MR * NR];
    }

    private GemmBlocked() {}

    static int roundUp(int x, int to) { return (x + to - 1) / to * to; }

    /** C[i0..i1, j0..j1] += A[i0..i1, :] · B[:, j0..j1]. */
    static void multiply(int i0, int i1, int j0, int j1, int k,
                         Storage a, long aOff, int aRs, int aCs,
                         Storage b, long bOff, int bRs, int bCs,
                         float[] c, int cOff, int ldc) {
        Buffers buf = BUFFERS.get();
        float[] ap = buf.ap, bp = buf.bp, tile = buf.tile;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                GemmPacking.pack(b, bOff + (long) pc * bRs + (long) jc * bCs, bCs, bRs, nc, kc, NR, bp, 0);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    GemmPacking.pack(a, aOff + (long) ic * aRs + (long) pc * aCs, aRs, aCs, mc, kc, MR, ap, 0);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int bPanel = jr * kc;                  // (jr / NR) · NR · kc
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int aPanel = ir * kc;
                            int cAt = cOff + (ic + ir) * ldc + jc + jr;
                            if (mr == MR && nr == NR) {
                                GemmMicroKernel.kernel(kc, ap, aPanel, bp, bPanel, c, cAt, ldc);
                            } else {
                                edgeTile(kc, ap, aPanel, bp, bPanel, c, cAt, ldc, mr, nr, tile);
                            }
                        }
                    }
                }
            }
        }
    }

    /** A tile cut by the edge of C: run the full kernel on a scratch tile and copy the valid part. */
    private static void edgeTile(int kc, float[] ap, int aPanel, float[] bp, int bPanel,
                                 float[] c, int cAt, int ldc, int mr, int nr, float[] tile) {
        java.util.Arrays.fill(tile, 0f);
        for (int r = 0; r < mr; r++) System.arraycopy(c, cAt + r * ldc, tile, r * NR, nr);
        GemmMicroKernel.kernel(kc, ap, aPanel, bp, bPanel, tile, 0, NR);
        for (int r = 0; r < mr; r++) System.arraycopy(tile, r * NR, c, cAt + r * ldc, nr);
    }
}
