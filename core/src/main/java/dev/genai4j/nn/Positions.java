package dev.genai4j.nn;

import dev.genai4j.tensor.IndexOutOfRangeException;
import dev.genai4j.tensor.ShapeException;

import java.util.Arrays;

/**
 * Position ids of the tokens in a batch, as HF's {@code position_ids}: one row shared by every
 * sequence, or one row per sequence (left padding, per-sequence KV cache offsets).
 *
 * <pre>{@code
 * Positions p = Positions.range(cache.length(), 1);         // decoding one token after the cache
 * Positions q = Positions.offsets(new int[]{0, 3}, 5);      // row b holds offsets[b] .. offsets[b]+4
 * }</pre>
 */
public final class Positions {
    private final int[][] rows;   // [1][T] shared, or [B][T]

    private Positions(int[][] rows) {
        int t = rows[0].length;
        for (int[] r : rows) {
            if (r.length != t) throw new ShapeException("Positions: rows of different lengths " + t + " and " + r.length);
            for (int p : r) if (p < 0) throw new IndexOutOfRangeException("Positions: negative position " + p + " in " + Arrays.toString(r));
        }
        this.rows = rows;
    }

    /** {@code start, start+1, …, start+T−1}, shared by every sequence. */
    public static Positions range(int start, int length) {
        int[] r = new int[length];
        for (int i = 0; i < length; i++) r[i] = start + i;
        return new Positions(new int[][]{r});
    }

    /** One explicit row shared by every sequence. */
    public static Positions shared(int... positions) { return new Positions(new int[][]{positions.clone()}); }

    /** One explicit row per sequence: {@code positions[b][t]}. */
    public static Positions perBatch(int[][] positions) {
        if (positions.length == 0) throw new ShapeException("Positions.perBatch: no rows");
        int[][] c = new int[positions.length][];
        for (int b = 0; b < c.length; b++) c[b] = positions[b].clone();
        return new Positions(c);
    }

    /** Row b is {@code offsets[b] + t} for t in [0, length). */
    public static Positions offsets(int[] offsets, int length) {
        if (offsets.length == 0) throw new ShapeException("Positions.offsets: no offsets");
        int[][] c = new int[offsets.length][length];
        for (int b = 0; b < offsets.length; b++) for (int t = 0; t < length; t++) c[b][t] = offsets[b] + t;
        return new Positions(c);
    }

    /** Number of tokens per sequence. */
    public int length() { return rows[0].length; }

    /** True when one row serves every sequence. */
    public boolean isShared() { return rows.length == 1; }

    /** Number of rows: 1 when shared, else the batch size. */
    public int rows() { return rows.length; }

    /** Position of token {@code t} of sequence {@code b}. */
    public int at(int b, int t) { return rows[rows.length == 1 ? 0 : b][t]; }

    /** Largest position (for table bounds). */
    public int max() {
        int m = 0;
        for (int[] r : rows) for (int p : r) m = Math.max(m, p);
        return m;
    }

    /** Checks that these positions fit a batch of {@code batch} sequences of {@code length} tokens. */
    void check(String who, int batch, int length) {
        if (length() != length || (rows.length != 1 && rows.length != batch)) {
            throw new ShapeException(who + ": positions are " + rows.length + " × " + length()
                    + ", input has batch " + batch + " and " + length + " tokens (expected 1 or " + batch + " rows of " + length + ")");
        }
    }
}
