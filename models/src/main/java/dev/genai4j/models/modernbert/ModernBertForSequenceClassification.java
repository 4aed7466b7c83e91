package dev.genai4j.models.modernbert;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Dropout;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;

/**
 * ModernBERT with a pooled classification head (HF {@code ModernBertForSequenceClassification}):
 * the last hidden state pooled by {@code classifier_pooling} — {@code cls}: position 0;
 * {@code mean}: average over the tokens whose attention_mask is 1 — then {@code head}, dropout and
 * {@code classifier} [num_labels, H] (with bias). {@code num_labels} is the size of the config's
 * {@code id2label}, else {@code num_labels}, else 2.
 *
 * <pre>{@code
 * try (var clf = ModernBertForSequenceClassification.load(Path.of("modernbert-sst2"));
 *      var g = NoGrad.enter()) {
 *     Tensor logits = clf.forward(inputIds, attentionMask);   // [B, num_labels]
 * }
 * }</pre>
 */
public final class ModernBertForSequenceClassification extends Module implements AutoCloseable {
    private final ModernBertModel model;
    private final ModernBertPredictionHead head;
    private final Dropout drop;          // classifier_dropout, or null when 0
    private final Linear classifier;     // [num_labels, H]

    private ModernBertForSequenceClassification(ModernBertModel model, ModernBertPredictionHead head, Dropout drop, Linear classifier) {
        this.model = child("model", model);
        this.head = child("head", head);
        this.drop = child("drop", drop);
        this.classifier = child("classifier", classifier);
    }

    public static ModernBertForSequenceClassification load(Weights w, ModernBertConfig c, Rng rng) {
        ModernBertForSequenceClassification m = new ModernBertForSequenceClassification(
                ModernBertModel.load(w.sub("model"), c, rng), ModernBertPredictionHead.load(w.sub("head"), c),
                c.classifierDropout() > 0f ? new Dropout(c.classifierDropout(), rng) : null,
                Linear.load(w.sub("classifier"), c.hiddenSize(), c.numLabels(), true));
        m.eval();
        return m;
    }

    public static ModernBertForSequenceClassification load(Weights w, ModernBertConfig c) { return load(w, c, new Rng(0)); }

    /**
     * A model to fine-tune: the encoder (and head, if present) of a pretrained checkpoint folder —
     * e.g. a ForMaskedLM one — with a fresh {@code classifier} for {@code numLabels} labels, in
     * training mode with trainable fp32 parameters (copied out of the file, which is closed again).
     */
    public static ModernBertForSequenceClassification forFineTuning(Path pretrained, int numLabels, Rng rng) {
        try (ModernBertCheckpoint ckpt = ModernBertCheckpoint.open(pretrained)) {
            ModernBertConfig c = ckpt.config().withNumLabels(numLabels);
            ModernBertForSequenceClassification m = load(Weights.ofMap(ModernBertInit.forClassifier(ckpt.root(), c, rng)), c, rng);
            m.trainable();
            m.train(true);
            return m;
        }
    }

    public static ModernBertForSequenceClassification load(Path dir) {
        ModernBertCheckpoint ckpt = ModernBertCheckpoint.open(dir);
        try {
            ModernBertForSequenceClassification m = load(ckpt.root(), ckpt.config());
            m.model.own(ckpt);
            return m;
        } catch (RuntimeException e) {
            ckpt.close();
            throw e;
        }
    }

    /** input ids [B, T], attention_mask [B, T] or null → logits [B, num_labels]. */
    public Tensor forward(Tensor inputIds, Tensor attentionMask) {
        Tensor h = model.forward(inputIds, attentionMask);                  // [B, T, H]
        Tensor pooled = switch (model.config().classifierPooling()) {
            case CLS -> h.select(1, 0);                                     // [B, H]
            case MEAN -> meanPool(h, attentionMask);
        };
        Tensor x = head.forward(pooled);
        if (drop != null) x = drop.forward(x);
        return classifier.forward(x);
    }

    /** Σ_t h[b, t]·mask[b, t] / Σ_t mask[b, t] (HF's formula; a mask of all 1 when none is given). */
    static Tensor meanPool(Tensor h, Tensor attentionMask) {
        if (attentionMask == null) return h.mean(1, false);
        Tensor m = attentionMask.unsqueeze(-1);                               // [B, T, 1]
        return h.mul(m).sum(1, false).div(attentionMask.sum(1, true));       // [B, H] / [B, 1]
    }

    public ModernBertModel model() { return model; }

    @Override
    public void close() { model.close(); }
}
