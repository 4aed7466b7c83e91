package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Storage;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.genai4j.tensor.kernels.GemmMicroKernel.MR;
import static dev.genai4j.tensor.kernels.GemmMicroKernel.NR;

/**
 * The packed GEMM driver, Goto/BLIS loop order: {@code C (+)= A·B}. For each {@code KC×NC} slab of
 * B (packed once, by all threads together, into L3-resident panels), each thread takes chunks of
 * rows of C, packs {@code MC×KC} blocks of A into L2, and the micro-kernel sweeps MR×NR tiles,
 * re-reading one {@code KC×NR} B panel while it walks down the A panels. When C has too few rows
 * to share out, threads take chunks of the slab's column panels instead. Every operand element is
 * packed exactly once per call and the threads meet twice per slab; a read-only (memory-mapped)
 * B is packed once for all calls ({@link GemmPackedB}) and the threads meet once per slab.
 *
 * <p>Defaults fit this machine's 48 KiB L1d / 2 MiB L2: an A block is 192×512×4 = 384 KiB and a
 * B panel 512×32×4 = 64 KiB, both L2-resident (the kernel loads each B vector once per 8 FMAs,
 * which L2 sustains). KC = 512 measured ~10 % faster than 256 (half the passes of C through the
 * caches and half the joins), KC = 1024 no faster. Override for tuning with
 * {@code -Dgenai4j.gemm.kc / .mc / .nc}.
 */
final class GemmBlocked {
    static final int KC = Integer.getInteger("genai4j.gemm.kc", 512);
    static final int MC = roundUp(Integer.getInteger("genai4j.gemm.mc", 192), MR);
    static final int NC = roundUp(Integer.getInteger("genai4j.gemm.nc", 4096), NR);
    /** Below this many multiply-adds a GEMM runs on the calling thread: a fork costs more. */
    private static final long PARALLEL_MIN_FMAS = 1L << 18;

    /** Per-thread A block and edge tile, kept between calls so small GEMMs do not allocate. */
    private static final ThreadLocal<float[]> A_BLOCK = ThreadLocal.withInitial(() -> new float[MC * KC]);
    private static final ThreadLocal<float[]> EDGE_TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);
    /** The calling thread's B slab (shared read-only with the workers while it computes). */
    private static final ThreadLocal<float[]> B_SLAB = ThreadLocal.withInitial(() -> new float[0]);
    /** Per-thread B panel of the fused path: one {@code KC×NR} panel, packed just before its use. */
    private static final ThreadLocal<float[]> B_PANEL = ThreadLocal.withInitial(() -> new float[KC * NR]);

    private GemmBlocked() {}

    static int roundUp(int x, int to) { return (x + to - 1) / to * to; }

    static void multiply(int m, int n, int k,
                         Storage a, long aOff, int aRs, int aCs,
                         Storage b, long bOff, int bRs, int bCs,
                         float[] c, int cOff, int ldc, boolean accumulate) {
        multiply(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate,
                GemmPackedB.slabs(b, bOff, bRs, bCs, k, n));
    }

    /** As above with B's slabs already packed ({@link GemmPackedB#slabs}), or null to pack them here. */
    static void multiply(int m, int n, int k,
                         Storage a, long aOff, int aRs, int aCs,
                         Storage b, long bOff, int bRs, int bCs,
                         float[] c, int cOff, int ldc, boolean accumulate, float[][] cached) {
        int threads = Parallel.threads();
        boolean parallel = threads > 1 && (long) m * n * k >= PARALLEL_MIN_FMAS;
        int mTiles = (m + MR - 1) / MR;
        boolean splitRows = mTiles >= 4 * threads;
        float[] slab = B_SLAB.get();
        int slabSize = cached != null ? 0 : KC * roundUp(Math.min(n, NC), NR);
        if (slab.length < slabSize) {
            slab = new float[slabSize];
            B_SLAB.set(slab);
        }
        if (cached == null && m <= MC) {
            fusedPacking(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, parallel, threads);
            return;
        }
        int kSlabs = (k + KC - 1) / KC;
        if (cached != null && !splitRows) {
            columnsOfPackedB(m, n, k, a, aOff, aRs, aCs, c, cOff, ldc, accumulate, cached, kSlabs, parallel, threads);
            return;
        }
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc), panels = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean zeroC = pc == 0 && !accumulate;
                float[] bp = cached != null ? cached[jc / NC * kSlabs + pc / KC] : slab;
                if (cached == null) {
                    long bAt = bOff + (long) pc * bRs + (long) jc * bCs;
                    int packChunk = 8 * NR, packChunks = (nc + packChunk - 1) / packChunk;
                    AtomicInteger nextPack = new AtomicInteger();
                    Parallel.forRange(parallel ? Math.min(threads, packChunks) : 1, 1, (from, to) -> {
                        for (int q = nextPack.getAndIncrement(); q < packChunks; q = nextPack.getAndIncrement()) {
                            int j0 = q * packChunk, j1 = Math.min(nc, j0 + packChunk);
                            GemmPacking.pack(b, bAt + (long) j0 * bCs, bCs, bRs, j1 - j0, kc, NR, bp, j0 * kc);
                        }
                    });
                }
                long aAt = aOff + (long) pc * aCs;
                int cAt = cOff + jc;
                // Work is handed out in chunks from a counter, not in fixed halves: on a machine
                // shared with other processes one thread may get less of its core, and the other
                // then simply takes more chunks instead of waiting at the join.
                int chunk = splitRows
                        ? Math.min(MC, roundUp((m + 4 * threads - 1) / (4 * threads), MR))
                        : NR * Math.max(8, panels / (2 * threads));
                int chunks = splitRows ? (m + chunk - 1) / chunk : (nc + chunk - 1) / chunk;
                AtomicInteger next = new AtomicInteger();
                Parallel.forRange(parallel ? Math.min(threads, chunks) : 1, 1, (from, to) -> {
                    for (int q = next.getAndIncrement(); q < chunks; q = next.getAndIncrement()) {
                        if (splitRows) {
                            rows(q * chunk, Math.min(m, (q + 1) * chunk), 0, nc, kc, a, aAt, aRs, aCs, bp, c, cAt, ldc, zeroC);
                        } else {
                            rows(0, m, q * chunk, Math.min(nc, (q + 1) * chunk), kc, a, aAt, aRs, aCs, bp, c, cAt, ldc, zeroC);
                        }
                    }
                });
            }
        }
    }

    /**
     * Few rows of A (a dozen tokens) times a weight packed once: the threads split B's columns into
     * equal chunks, and each chunk runs through every K slab, so the product forks once. Splitting
     * per K slab with chunks of at least eight panels had forked three times for MiniLM's
     * [12, 1536]·[1536, 384] and cut its 12 panels 8 + 4 between two threads; the idle worker waited
     * 71 % of a 1×12 forward. A chunk repacks A (m·kc floats) for m·kc·64 or more FMAs.
     */
    private static void columnsOfPackedB(int m, int n, int k, Storage a, long aOff, int aRs, int aCs,
                                         float[] c, int cOff, int ldc, boolean accumulate, float[][] cached,
                                         int kSlabs, boolean parallel, int threads) {
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc), panels = (nc + NR - 1) / NR;
            int chunk = NR * Math.max(2, (panels + 2 * threads - 1) / (2 * threads));
            int chunks = (nc + chunk - 1) / chunk, slabRow = jc / NC * kSlabs, cAt = cOff + jc;
            AtomicInteger next = new AtomicInteger();
            Parallel.forRange(parallel ? Math.min(threads, chunks) : 1, 1, (from, to) -> {
                for (int q = next.getAndIncrement(); q < chunks; q = next.getAndIncrement()) {
                    int j0 = q * chunk, j1 = Math.min(nc, j0 + chunk);
                    for (int pc = 0; pc < k; pc += KC) {
                        rows(0, m, j0, j1, Math.min(KC, k - pc), a, aOff + (long) pc * aCs, aRs, aCs,
                                cached[slabRow + pc / KC], c, cAt, ldc, pc == 0 && !accumulate);
                    }
                }
            });
        }
    }

    /**
     * All of A fits one L2 block (M ≤ MC) and B is packed per call: each thread packs A once per K
     * slab, then packs each B panel right before the micro-kernel walks all of M over it, so the
     * panel is read back from L1/L2. Packing the whole 8 MB slab first sent it through L3 or DRAM
     * and back, and made the threads meet after packing (ViT-B/32 at batch 1: 50 rows).
     */
    private static void fusedPacking(int m, int n, int k, Storage a, long aOff, int aRs, int aCs,
                                     Storage b, long bOff, int bRs, int bCs,
                                     float[] c, int cOff, int ldc, boolean accumulate, boolean parallel, int threads) {
        int panels = (n + NR - 1) / NR;
        int chunk = Math.max(1, Math.min(8, panels / (4 * threads)));          // panels per work item
        int chunks = (panels + chunk - 1) / chunk;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            boolean zeroC = pc == 0 && !accumulate;
            long aAt = aOff + (long) pc * aCs, bAt = bOff + (long) pc * bRs;
            AtomicInteger next = new AtomicInteger();
            Parallel.forRange(parallel ? Math.min(threads, chunks) : 1, 1, (from, to) -> {
                int q = next.getAndIncrement();
                if (q >= chunks) return;
                float[] ap = A_BLOCK.get(), bp = B_PANEL.get(), tile = EDGE_TILE.get();
                GemmPacking.pack(a, aAt, aRs, aCs, m, kc, MR, ap, 0);
                for (; q < chunks; q = next.getAndIncrement()) {
                    for (int jr = q * chunk * NR, jEnd = Math.min(n, (q + 1) * chunk * NR); jr < jEnd; jr += NR) {
                        int nr = Math.min(NR, n - jr);
                        GemmPacking.pack(b, bAt + (long) jr * bCs, bCs, bRs, nr, kc, NR, bp, 0);
                        if (zeroC) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc + jr, cOff + i * ldc + jr + nr, 0f);
                        for (int ir = 0; ir < m; ir += MR) {
                            int mr = Math.min(MR, m - ir);
                            int cTile = cOff + ir * ldc + jr;
                            if (mr == MR && nr == NR) {
                                GemmMicroKernel.kernel(kc, ap, ir * kc, bp, 0, c, cTile, ldc);
                            } else if (mr == MR / 2 && nr == NR) {
                                GemmMicroKernel.kernelHalf(kc, ap, ir * kc, bp, 0, c, cTile, ldc);
                            } else {
                                edgeTile(kc, ap, ir * kc, bp, 0, c, cTile, ldc, mr, nr, tile);
                            }
                        }
                    }
                }
            });
        }
    }

    /** C[i0..i1, j0..j1) (+)= A[i0..i1, kc] · slab[kc, j0..j1), in L2-sized blocks of A rows. */
    private static void rows(int i0, int i1, int j0, int j1, int kc, Storage a, long aAt, int aRs, int aCs,
                             float[] bp, float[] c, int cAt, int ldc, boolean zeroC) {
        float[] ap = A_BLOCK.get(), tile = EDGE_TILE.get();
        if (zeroC) {
            for (int i = i0; i < i1; i++) Arrays.fill(c, cAt + i * ldc + j0, cAt + i * ldc + j1, 0f);
        }
        for (int ic = i0; ic < i1; ic += MC) {
            int mc = Math.min(MC, i1 - ic);
            GemmPacking.pack(a, aAt + (long) ic * aRs, aRs, aCs, mc, kc, MR, ap, 0);
            for (int jr = j0; jr < j1; jr += NR) {
                int nr = Math.min(NR, j1 - jr);
                int bPanel = jr * kc;                  // (jr / NR) · NR · kc
                for (int ir = 0; ir < mc; ir += MR) {
                    int mr = Math.min(MR, mc - ir);
                    int aPanel = ir * kc;
                    int cTile = cAt + (ic + ir) * ldc + jr;
                    if (mr == MR && nr == NR) {
                        GemmMicroKernel.kernel(kc, ap, aPanel, bp, bPanel, c, cTile, ldc);
                    } else if (mr == MR / 2 && nr == NR) {    // e.g. the last 4 of 12 tokens: half the FMAs
                        GemmMicroKernel.kernelHalf(kc, ap, aPanel, bp, bPanel, c, cTile, ldc);
                    } else {
                        edgeTile(kc, ap, aPanel, bp, bPanel, c, cTile, ldc, mr, nr, tile);
                    }
                }
            }
        }
    }

    /** A tile cut by the edge of C: run the full kernel on a scratch tile and copy the valid part. */
    private static void edgeTile(int kc, float[] ap, int aPanel, float[] bp, int bPanel,
                                 float[] c, int cAt, int ldc, int mr, int nr, float[] tile) {
        Arrays.fill(tile, 0f);
        for (int r = 0; r < mr; r++) System.arraycopy(c, cAt + r * ldc, tile, r * NR, nr);
        GemmMicroKernel.kernel(kc, ap, aPanel, bp, bPanel, tile, 0, NR);
        for (int r = 0; r < mr; r++) System.arraycopy(tile, r * NR, c, cAt + r * ldc, nr);
    }
}
