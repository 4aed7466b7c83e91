package dev.genai4j.data;

import dev.genai4j.tensor.Rng;

import java.util.BitSet;
import java.util.Collection;

/**
 * Masked-language-model inputs and labels (BERT, arXiv 1810.04805 §3.1; the 30 % rate of
 * ModernBERT, arXiv 2412.13663 §2.2), as HF's {@code DataCollatorForLanguageModeling}: each
 * non-special, unpadded token is chosen with probability {@code maskRate}; a chosen token
 * becomes {@code [MASK]} 80 % of the time, a random token 10 %, stays 10 %; its label is the
 * original id, every other label is {@link Batch#IGNORE}. Unlike HF, the random replacement
 * is drawn from the non-special ids only, so the model never sees a stray {@code [CLS]}.
 *
 * <pre>{@code
 * var mlm = new MlmCollator(vocabSize, maskId, List.of(padId, clsId, sepId, maskId), 0.30, 42);
 * Batch masked = mlm.collate(batch);   // ids masked, labels set
 * }</pre>
 */
public final class MlmCollator {
    /** ModernBERT's masking rate. */
    public static final double MODERNBERT_MASK_RATE = 0.30;

    private final int vocabSize;
    private final int maskId;
    private final BitSet specials = new BitSet();
    private final double maskRate;
    private final Rng rng;

    /**
     * @param vocabSize  ids are in [0, vocabSize)
     * @param maskId     the {@code [MASK]} id
     * @param specialIds ids never chosen and never drawn as replacements (pad, cls, sep, mask …)
     * @param maskRate   probability that a token is chosen, in (0, 1)
     * @param seed       seeds the draws; successive calls continue the same sequence
     */
    public MlmCollator(int vocabSize, int maskId, Collection<Integer> specialIds, double maskRate, long seed) {
        if (vocabSize <= 0) throw new DataException("MlmCollator: vocabSize must be > 0, got " + vocabSize);
        if (maskId < 0 || maskId >= vocabSize) throw new DataException("MlmCollator: maskId " + maskId + " outside the vocabulary [0, " + vocabSize + ")");
        if (!(maskRate > 0 && maskRate < 1)) throw new DataException("MlmCollator: maskRate must be in (0, 1), got " + maskRate);
        for (int s : specialIds) {
            if (s < 0 || s >= vocabSize) throw new DataException("MlmCollator: special id " + s + " outside the vocabulary [0, " + vocabSize + ")");
            specials.set(s);
        }
        specials.set(maskId);
        if (specials.cardinality() == vocabSize) throw new DataException("MlmCollator: every id of the " + vocabSize + "-token vocabulary is special: nothing to predict");
        this.vocabSize = vocabSize;
        this.maskId = maskId;
        this.maskRate = maskRate;
        this.rng = new Rng(seed);
    }

    /** Masks every row of {@code batch}; padding positions are never chosen. */
    public Batch collate(Batch batch) {
        int[] inputs = batch.ids().clone();
        int[] labels = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            labels[i] = Batch.IGNORE;
            if (batch.attentionMask()[i] == 0) continue;
            if (inputs[i] < 0 || inputs[i] >= vocabSize) {
                throw new DataException("MlmCollator.collate: id " + inputs[i] + " at row " + i / batch.seqLen() + ", position "
                        + i % batch.seqLen() + " outside the vocabulary [0, " + vocabSize + ")");
            }
            if (specials.get(inputs[i])) continue;
            maskOne(inputs, labels, i);
        }
        return new Batch(batch.batchSize(), batch.seqLen(), inputs, batch.attentionMask(), labels);
    }

    /** One masked sequence: model inputs and labels ({@link Batch#IGNORE} where nothing is predicted). */
    public record Masked(int[] inputs, int[] labels) {}

    /** Masks one sequence (every position counts as real). */
    public Masked mask(int[] ids) {
        int[] inputs = ids.clone();
        int[] labels = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) throw new DataException("MlmCollator.mask: id " + ids[i] + " at " + i + " outside the vocabulary [0, " + vocabSize + ")");
            labels[i] = Batch.IGNORE;
            if (!specials.get(ids[i])) maskOne(inputs, labels, i);
        }
        return new Masked(inputs, labels);
    }

    private void maskOne(int[] inputs, int[] labels, int i) {
        if (rng.uniform() >= maskRate) return;
        labels[i] = inputs[i];
        float how = rng.uniform();
        if (how < 0.8f) inputs[i] = maskId;
        else if (how < 0.9f) inputs[i] = randomOrdinaryId();
        // else: keep the token, the model must still predict it
    }

    private int randomOrdinaryId() {
        while (true) {
            int id = rng.nextInt(vocabSize);
            if (!specials.get(id)) return id;
        }
    }
}
