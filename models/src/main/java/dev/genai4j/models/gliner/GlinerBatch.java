package dev.genai4j.models.gliner;

import dev.genai4j.tensor.ShapeException;

/**
 * The model inputs of a batch, as the reference's collator builds them.
 *
 * @param inputIds      [B][T] prompt + words token ids, padded with 0
 * @param attentionMask [B][T] 1 for real tokens
 * @param wordsMask     [B][T] 1-based word number at the first sub-token of each text word, else 0
 * @param textLengths   [B] words per text
 * @param spanIdx       [B][S][2] (start word, end word) of every candidate span, S = maxWords × maxWidth
 * @param spanMask      [B][S] 1 when the span lies inside its text
 */
public record GlinerBatch(int[][] inputIds, int[][] attentionMask, int[][] wordsMask, int[] textLengths,
                          int[][][] spanIdx, int[][] spanMask) {
    public GlinerBatch {
        int b = inputIds.length;
        if (attentionMask.length != b || wordsMask.length != b || textLengths.length != b || spanIdx.length != b || spanMask.length != b) {
            throw new ShapeException("GlinerBatch: every input needs " + b + " rows (input_ids), got attention_mask " + attentionMask.length
                    + ", words_mask " + wordsMask.length + ", text_lengths " + textLengths.length + ", span_idx " + spanIdx.length
                    + ", span_mask " + spanMask.length);
        }
        for (int i = 0; i < b; i++) {
            if (attentionMask[i].length != inputIds[i].length || wordsMask[i].length != inputIds[i].length
                    || spanIdx[i].length != spanMask[i].length || spanIdx[i].length != spanIdx[0].length || inputIds[i].length != inputIds[0].length) {
                throw new ShapeException("GlinerBatch: row " + i + " has ragged inputs (input_ids " + inputIds[i].length + ", attention_mask "
                        + attentionMask[i].length + ", words_mask " + wordsMask[i].length + ", span_idx " + spanIdx[i].length
                        + ", span_mask " + spanMask[i].length + ")");
            }
            if (textLengths[i] < 1) throw new ShapeException("GlinerBatch: text " + i + " has " + textLengths[i] + " words; need at least 1");
        }
    }

    public int batchSize() { return inputIds.length; }

    public int maxWords() {
        int m = 0;
        for (int l : textLengths) m = Math.max(m, l);
        return m;
    }
}
