package dev.genai4j.data.images;

/**
 * A Fisher–Yates shuffle driven by SplitMix64, written out here (not {@code java.util.Random})
 * so that a data split is defined by this file alone and any language can reproduce it:
 * {@code for i = n-1 .. 1: j = next() mod (i+1) (unsigned); swap(a[i], a[j])}.
 */
final class SeededShuffle {
    private long state;

    SeededShuffle(long seed) { this.state = seed; }

    /** SplitMix64 (Steele, Lea, Flood 2014). */
    long next() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Shuffles {@code a} in place. */
    void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = (int) Long.remainderUnsigned(next(), i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** {@code 0 .. n-1} shuffled with {@code seed}. */
    static int[] permutation(int n, long seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        new SeededShuffle(seed).shuffle(a);
        return a;
    }
}
