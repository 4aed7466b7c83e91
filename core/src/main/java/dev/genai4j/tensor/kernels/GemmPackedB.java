package dev.genai4j.tensor.kernels;

import dev.genai4j.tensor.SegmentStorage;
import dev.genai4j.tensor.Storage;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

import static dev.genai4j.tensor.kernels.GemmBlocked.KC;
import static dev.genai4j.tensor.kernels.GemmBlocked.NC;
import static dev.genai4j.tensor.kernels.GemmBlocked.roundUp;
import static dev.genai4j.tensor.kernels.GemmMicroKernel.NR;

/**
 * Packed B slabs of read-only weights, kept between calls: a memory-mapped checkpoint weight
 * ({@link SegmentStorage} that is not writable, so it can never change under the cache) is
 * packed once, on its first many-row GEMM, instead of on every call (a BERT forward over 8×128
 * tokens spent ~7 % of its time re-packing the same weights). Writable storage (trained
 * parameters, activations) is never cached. Entries live as long as the storage object
 * (weak keys) and the cache stops growing at {@code -Dgenai4j.gemm.packcache.mb} (default 512).
 * A model whose weights are too many to copy (Mixtral's experts: a bf16 weight packs to an fp32
 * copy twice its size) marks them {@link #neverCache}; its few other weights still get packed.
 *
 * <pre>{@code
 * GemmPackedB.neverCache(expertWeight.storage());   // packed per call, never kept
 * }</pre>
 */
public final class GemmPackedB {
    private static final long MAX_FLOATS = Long.getLong("genai4j.gemm.packcache.mb", 512) << 18;   // MiB → floats

    /** Which view of the storage was packed: offset, strides and extent. */
    private record View(long off, int rs, int cs, int k, int n) {}

    private static final Map<Storage, Map<View, float[][]>> CACHE = new WeakHashMap<>();
    private static long floats;
    /** Storages a model asked never to cache; weak, like the cache. */
    private static final Map<Storage, Boolean> NEVER = new WeakHashMap<>();

    private GemmPackedB() {}

    /**
     * The slabs of B packed as {@link GemmBlocked} packs them, {@code [jc / NC · kSlabs + pc / KC]},
     * or null when B is not a read-only weight or the cache is full.
     */
    static float[][] slabs(Storage b, long bOff, int bRs, int bCs, int k, int n) {
        if (!(b instanceof SegmentStorage s) || s.isWritable() || MAX_FLOATS <= 0) return null;
        View view = new View(bOff, bRs, bCs, k, n);
        synchronized (CACHE) {
            if (NEVER.containsKey(b)) return null;
            Map<View, float[][]> views = CACHE.get(b);
            float[][] hit = views == null ? null : views.get(view);
            if (hit != null) return hit;
            long size = (long) roundUp(n, NR) * k + (long) NR * k;       // upper bound of the slabs
            if (floats + size > MAX_FLOATS) {
                floats = 0;                          // entries of collected storage are gone: recount
                for (Map<View, float[][]> v : CACHE.values()) for (float[][] slabs : v.values()) for (float[] x : slabs) floats += x.length;
                if (floats + size > MAX_FLOATS) return null;
            }
            float[][] packed = pack(b, bOff, bRs, bCs, k, n);
            CACHE.computeIfAbsent(b, x -> new HashMap<>()).put(view, packed);
            floats += size;
            return packed;
        }
    }

    /**
     * Keeps every view of {@code storage} out of the cache (and drops any already cached): for weights
     * that are large next to the memory the model may use, packed on each many-row product instead.
     */
    public static void neverCache(Storage storage) {
        synchronized (CACHE) {
            NEVER.put(storage, Boolean.TRUE);
            Map<View, float[][]> gone = CACHE.remove(storage);
            if (gone != null) for (float[][] slabs : gone.values()) for (float[] x : slabs) floats = Math.max(0, floats - x.length);
        }
    }

    /** Floats held by the cache now (tests and memory reports). */
    public static long cachedFloats() {
        synchronized (CACHE) {
            long f = 0;
            for (Map<View, float[][]> v : CACHE.values()) for (float[][] slabs : v.values()) for (float[] x : slabs) f += x.length;
            return f;
        }
    }

    private static float[][] pack(Storage b, long bOff, int bRs, int bCs, int k, int n) {
        int kSlabs = (k + KC - 1) / KC, nSlabs = (n + NC - 1) / NC;
        float[][] out = new float[nSlabs * kSlabs][];
        for (int jc = 0, js = 0; jc < n; jc += NC, js++) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0, ps = 0; pc < k; pc += KC, ps++) {
                int kc = Math.min(KC, k - pc);
                float[] slab = new float[kc * roundUp(nc, NR)];
                GemmPacking.pack(b, bOff + (long) pc * bRs + (long) jc * bCs, bCs, bRs, nc, kc, NR, slab, 0);
                out[js * kSlabs + ps] = slab;
            }
        }
        return out;
    }
}
