package dev.genai4j.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs tokenized documents into fixed-length blocks, as GPT-2 and ModernBERT pretraining do:
 * documents are concatenated with a separator after each one and the stream is cut every
 * {@code blockLength} tokens, so no token is spent on padding (a document may continue into the
 * next block). Each block may start and end with fixed ids ({@code [CLS]} … {@code [SEP]} for MLM).
 *
 * <pre>{@code
 * List<int[]> lm  = PackedSequences.forLm(256, eosId).pack(docs);          // then Batch.withNextTokenLabels()
 * List<int[]> mlm = PackedSequences.forMlm(128, clsId, sepId).pack(docs);  // [CLS] … [SEP] per block, then MlmCollator
 * }</pre>
 */
public final class PackedSequences {
    private final int blockLength;
    private final int separatorId;
    private final int[] blockPrefix;
    private final int[] blockSuffix;
    private final boolean keepRemainder;

    /**
     * @param blockLength   tokens per block, prefix and suffix included
     * @param separatorId   appended after every document, or -1 for none
     * @param blockPrefix   ids every block starts with (may be empty)
     * @param blockSuffix   ids every block ends with (may be empty)
     * @param keepRemainder keep the last, shorter block (Batches pads it) instead of dropping it
     */
    public PackedSequences(int blockLength, int separatorId, int[] blockPrefix, int[] blockSuffix, boolean keepRemainder) {
        if (blockLength - blockPrefix.length - blockSuffix.length < 1) {
            throw new DataException("PackedSequences: blockLength " + blockLength + " leaves no room for content after a prefix of "
                    + blockPrefix.length + " and a suffix of " + blockSuffix.length + " ids");
        }
        this.blockLength = blockLength;
        this.separatorId = separatorId;
        this.blockPrefix = blockPrefix.clone();
        this.blockSuffix = blockSuffix.clone();
        this.keepRemainder = keepRemainder;
    }

    /** Causal LM: {@code eosId} after each document, no prefix or suffix, remainder dropped. */
    public static PackedSequences forLm(int blockLength, int eosId) {
        return new PackedSequences(blockLength, eosId, new int[0], new int[0], false);
    }

    /** MLM: blocks {@code [CLS] … [SEP]}, {@code [SEP]} between documents too, remainder dropped. */
    public static PackedSequences forMlm(int blockLength, int clsId, int sepId) {
        return new PackedSequences(blockLength, sepId, new int[] {clsId}, new int[] {sepId}, false);
    }

    /** Packs {@code documents} in order. */
    public List<int[]> pack(Iterable<int[]> documents) {
        int content = blockLength - blockPrefix.length - blockSuffix.length;
        List<int[]> blocks = new ArrayList<>();
        int[] buffer = new int[content];
        int filled = 0;
        for (int[] doc : documents) {
            int n = doc.length + (separatorId >= 0 ? 1 : 0);
            for (int i = 0; i < n; i++) {
                buffer[filled++] = i < doc.length ? doc[i] : separatorId;
                if (filled == content) {
                    blocks.add(block(buffer, filled));
                    filled = 0;
                }
            }
        }
        if (filled > 0 && keepRemainder) blocks.add(block(buffer, filled));
        return blocks;
    }

    private int[] block(int[] buffer, int filled) {
        int[] b = new int[blockPrefix.length + filled + blockSuffix.length];
        System.arraycopy(blockPrefix, 0, b, 0, blockPrefix.length);
        System.arraycopy(buffer, 0, b, blockPrefix.length, filled);
        System.arraycopy(blockSuffix, 0, b, blockPrefix.length + filled, blockSuffix.length);
        return b;
    }
}
