package dev.genai4j.data;

import dev.genai4j.tensor.Tensor;

/**
 * A batch of token sequences, row-major {@code [B, T]} int arrays, padding on the right.
 *
 * <pre>{@code
 * Batch b = batches.epoch(0).get(0);
 * Tensor ids = b.idsTensor();               // [B, T] ids as floats (exact below 2^24)
 * Tensor mask = b.attentionMaskTensor();    // [B, T] 1 real, 0 padding
 * Losses.crossEntropy(logits.reshape(-1, V), b.labelsTensor().reshape(-1));   // -100 ignored
 * }</pre>
 *
 * @param batchSize     B
 * @param seqLen        T
 * @param ids           [B, T] token ids ({@code padId} at padding)
 * @param attentionMask [B, T] 1 for real tokens, 0 for padding
 * @param labels        [B, T] targets with {@link #IGNORE} where there is none, or null when not set
 *                      (see {@link MlmCollator}, {@link #withNextTokenLabels()})
 */
public record Batch(int batchSize, int seqLen, int[] ids, int[] attentionMask, int[] labels) {
    /** Label of a position that takes no loss, as {@code Losses.IGNORE_INDEX} and HF's -100. */
    public static final int IGNORE = -100;

    public Batch {
        int n = batchSize * seqLen;
        if (batchSize <= 0 || seqLen <= 0 || ids.length != n || attentionMask.length != n || (labels != null && labels.length != n)) {
            throw new DataException("Batch: [B, T] = [" + batchSize + ", " + seqLen + "] needs " + n + " entries per array, got ids "
                    + ids.length + ", attentionMask " + attentionMask.length + ", labels " + (labels == null ? "none" : labels.length));
        }
    }

    /** {@code [B, T]} ids as an fp32 tensor. */
    public Tensor idsTensor() { return toTensor(ids); }

    /** {@code [B, T]} attention mask (1 / 0) as an fp32 tensor. */
    public Tensor attentionMaskTensor() { return toTensor(attentionMask); }

    /** {@code [B, T]} labels as an fp32 tensor. @throws DataException if no labels were set */
    public Tensor labelsTensor() {
        if (labels == null) throw new DataException("Batch.labelsTensor: this batch has no labels; mask it with MlmCollator or call withNextTokenLabels()");
        return toTensor(labels);
    }

    /** Number of real (unpadded) tokens. */
    public int tokenCount() {
        int n = 0;
        for (int m : attentionMask) n += m;
        return n;
    }

    /** The same ids with {@code labels}. */
    public Batch withLabels(int[] newLabels) { return new Batch(batchSize, seqLen, ids, attentionMask, newLabels); }

    /**
     * Causal-LM targets: position t predicts the id at t + 1; the last position of each row, and
     * positions whose next token is padding, get {@link #IGNORE}. Shapes stay {@code [B, T]}.
     */
    public Batch withNextTokenLabels() {
        int[] next = new int[ids.length];
        for (int b = 0; b < batchSize; b++) {
            int row = b * seqLen;
            for (int t = 0; t < seqLen; t++) {
                int i = row + t;
                next[i] = t + 1 < seqLen && attentionMask[i] == 1 && attentionMask[i + 1] == 1 ? ids[i + 1] : IGNORE;
            }
        }
        return withLabels(next);
    }

    private Tensor toTensor(int[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) f[i] = values[i];
        return Tensor.of(f, batchSize, seqLen);
    }
}
