package dev.genai4j.models.deberta;

/**
 * DeBERTa's relative positions (arXiv 2006.03654 §3.1; DeBERTa-v3's log buckets, HF
 * {@code build_relative_position} / {@code make_log_bucket_position}): the distance i − j between
 * query i and key j, kept exact within ±bucket/2 and log-compressed beyond, and the columns of the
 * [T, 2·span] c2p / p2c score tables that each (i, j) reads.
 *
 * <pre>{@code
 * RelativePositions.bucket(100, 256, 512);   // 100: inside ±128, exact
 * RelativePositions.bucket(-300, 16, 512);   // −13: log bucket
 * }</pre>
 */
public final class RelativePositions {
    private RelativePositions() {}

    /**
     * HF {@code make_log_bucket_position} for one distance, in float32 as PyTorch computes it
     * (long ÷ int is a float32 division there; the ceil of the log ratio decides the bucket).
     * Without buckets ({@code bucketSize} or {@code maxPosition} ≤ 0) the distance is returned as is.
     */
    public static int bucket(int relative, int bucketSize, int maxPosition) {
        if (bucketSize <= 0 || maxPosition <= 0) return relative;
        int mid = bucketSize / 2;
        int abs = relative < mid && relative > -mid ? mid - 1 : Math.abs(relative);
        if (abs <= mid) return relative;
        float ratio = (float) abs / (float) mid;
        float logMax = (float) Math.log((float) ((maxPosition - 1) / (double) mid));
        float logPos = (float) Math.ceil((float) Math.log(ratio) / logMax * (float) (mid - 1)) + mid;
        return (int) (logPos * Integer.signum(relative));
    }

    /** [tq·tk] bucketed i − j, row-major (HF {@code build_relative_position(tq, tk, ...)} without the leading 1). */
    public static int[] table(int tq, int tk, int bucketSize, int maxPosition) {
        int[] out = new int[tq * tk];
        // the bucket depends only on i − j: compute each distance once
        int[] byDistance = new int[tq + tk - 1];
        for (int d = -(tk - 1); d < tq; d++) byDistance[d + tk - 1] = bucket(d, bucketSize, maxPosition);
        for (int i = 0; i < tq; i++) {
            for (int j = 0; j < tk; j++) out[i * tk + j] = byDistance[i - j + tk - 1];
        }
        return out;
    }

    /**
     * The columns (i, j) reads from the c2p table [T, 2·span] ({@code clamp(rel(i, j) + span, 0, 2·span − 1)})
     * and from the p2c table ({@code clamp(−rel(j, i) + span, …)}: HF gathers p2c by key row, then transposes),
     * both shifted by {@code first}, the lowest column any (i, j) reads, so that only the rows
     * {@code first … first + width − 1} of the relative embeddings need projecting.
     *
     * @param c2p   [T·T] column of the c2p table for (i, j), minus {@code first}
     * @param p2c   [T·T] column of the p2c table for (i, j), minus {@code first}
     * @param first lowest relative-embedding row read
     * @param width number of relative-embedding rows read, {@code first … first + width − 1}
     */
    public record Columns(int[] c2p, int[] p2c, int first, int width) {
        /** Columns for self-attention over {@code t} tokens with the config's buckets and span. */
        public static Columns of(int t, DebertaV2Config c) {
            int span = c.attentionSpan();
            int[] rel = table(t, t, c.positionBuckets(), c.maxRelativePositions());
            int[] c2p = new int[t * t], p2c = new int[t * t];
            int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < t; j++) {
                    int a = clamp(rel[i * t + j] + span, 2 * span);
                    int b = clamp(-rel[j * t + i] + span, 2 * span);
                    c2p[i * t + j] = a;
                    p2c[i * t + j] = b;
                    lo = Math.min(lo, Math.min(a, b));
                    hi = Math.max(hi, Math.max(a, b));
                }
            }
            for (int p = 0; p < c2p.length; p++) {
                c2p[p] -= lo;
                p2c[p] -= lo;
            }
            return new Columns(c2p, p2c, lo, hi - lo + 1);
        }

        private static int clamp(int v, int n) { return Math.max(0, Math.min(n - 1, v)); }
    }
}
