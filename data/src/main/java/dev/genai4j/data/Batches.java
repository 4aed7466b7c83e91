package dev.genai4j.data;

import dev.genai4j.tensor.Rng;

import java.util.AbstractList;
import java.util.List;

/**
 * Cuts a list of sequences into {@link Batch}es, in a fresh order every epoch: epoch {@code e}
 * is shuffled by an {@link Rng} seeded from {@code (seed, e)}, so a run resumed at epoch e sees
 * exactly the batches it would have seen. Rows shorter than the longest in their batch are
 * padded on the right with {@code padId} and masked out.
 *
 * <pre>{@code
 * Batches batches = new Batches(blocks, 16, padId, 42, true);
 * for (Batch b : batches.epoch(0)) { ... b.idsTensor() ... }   // [16, T]
 * }</pre>
 */
public final class Batches {
    private final List<int[]> sequences;
    private final int batchSize;
    private final int padId;
    private final long seed;
    private final boolean dropLast;

    /**
     * @param sequences token-id sequences (not copied: do not change them afterwards)
     * @param batchSize rows per batch
     * @param padId     id written at padding positions
     * @param seed      seeds every epoch's shuffle
     * @param dropLast  drop a last batch with fewer than {@code batchSize} rows
     */
    public Batches(List<int[]> sequences, int batchSize, int padId, long seed, boolean dropLast) {
        if (batchSize <= 0) throw new DataException("Batches: batchSize must be > 0, got " + batchSize);
        for (int i = 0; i < sequences.size(); i++) {
            if (sequences.get(i).length == 0) throw new DataException("Batches: sequence " + i + " is empty");
        }
        this.sequences = List.copyOf(sequences);
        this.batchSize = batchSize;
        this.padId = padId;
        this.seed = seed;
        this.dropLast = dropLast;
    }

    /** Batches per epoch. */
    public int size() {
        return dropLast ? sequences.size() / batchSize : (sequences.size() + batchSize - 1) / batchSize;
    }

    /** The batches of epoch {@code epoch} (≥ 0), built lazily on {@code get}. */
    public List<Batch> epoch(int epoch) {
        if (epoch < 0) throw new DataException("Batches.epoch: epoch must be >= 0, got " + epoch);
        int[] order = new int[sequences.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Rng rng = new Rng(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = order.length - 1; i > 0; i--) {   // Fisher–Yates
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int count = size();
        return new AbstractList<>() {
            @Override public Batch get(int index) {
                if (index < 0 || index >= count) throw new IndexOutOfBoundsException("batch " + index + " of " + count);
                int from = index * batchSize, rows = Math.min(batchSize, order.length - from);
                return assemble(order, from, rows);
            }

            @Override public int size() { return count; }
        };
    }

    private Batch assemble(int[] order, int from, int rows) {
        int t = 0;
        for (int r = 0; r < rows; r++) t = Math.max(t, sequences.get(order[from + r]).length);
        int[] ids = new int[rows * t], mask = new int[rows * t];
        java.util.Arrays.fill(ids, padId);
        for (int r = 0; r < rows; r++) {
            int[] s = sequences.get(order[from + r]);
            System.arraycopy(s, 0, ids, r * t, s.length);
            java.util.Arrays.fill(mask, r * t, r * t + s.length, 1);
        }
        return new Batch(rows, t, ids, mask, null);
    }
}
