package dev.genai4j.models.mlm;

import dev.genai4j.data.Batch;
import dev.genai4j.models.modernbert.ModernBertForMaskedLM;
import dev.genai4j.tensor.Tensor;

/**
 * Sparse prediction (ModernBERT, arXiv 2412.13663 §2.1.3): the MLM head runs only on the rows
 * that carry a label, so the vocabulary projection costs 30 % of a dense one.
 *
 * <pre>{@code
 * MaskedPositions.Logits out = MaskedPositions.logits(model, maskedBatch);
 * Tensor loss = Losses.crossEntropy(out.logits(), out.labels());   // [M, V] with [M]
 * }</pre>
 */
public final class MaskedPositions {
    private MaskedPositions() {}

    /** Logits [M, V] at the M labelled positions (row-major order) and their labels [M]. */
    public record Logits(Tensor logits, Tensor labels, int[] labelIds) {}

    /** Runs the encoder on the whole batch and the head on its labelled rows; null when nothing is labelled. */
    public static Logits logits(ModernBertForMaskedLM model, Batch masked) {
        int[] labels = masked.labels();
        int m = 0;
        for (int y : labels) if (y != Batch.IGNORE) m++;
        if (m == 0) return null;
        int[] rows = new int[m], ids = new int[m];
        float[] target = new float[m];
        for (int i = 0, k = 0; i < labels.length; i++) {
            if (labels[i] == Batch.IGNORE) continue;
            rows[k] = i;
            ids[k] = labels[i];
            target[k++] = labels[i];
        }
        Tensor hidden = model.model().forward(masked.idsTensor(), masked.attentionMaskTensor());   // [B, T, H]
        int h = hidden.shape()[2];
        Tensor picked = hidden.reshape(masked.batchSize() * masked.seqLen(), h).indexSelect(0, rows);  // [M, H]
        return new Logits(model.logits(picked), Tensor.of(target, m), ids);                            // [M, V], [M]
    }
}
