package dev.genai4j.models.modernbert;

import dev.genai4j.io.Weights;
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
public final class ModernBertForSequenceClassification extends ModernBertClassifier {
    private ModernBertForSequenceClassification(Parts parts) {
        super(parts);
    }

    public static ModernBertForSequenceClassification load(Weights w, ModernBertConfig c, Rng rng) {
        ModernBertForSequenceClassification m = new ModernBertForSequenceClassification(Parts.load(w, c, rng));
        m.eval();
        return m;
    }

    public static ModernBertForSequenceClassification load(Weights w, ModernBertConfig c) { return load(w, c, new Rng(0)); }

    /** See {@link ModernBertClassifier#forFineTuning}. */
    public static ModernBertForSequenceClassification forFineTuning(Path pretrained, int numLabels, Rng rng) {
        return forFineTuning(pretrained, numLabels, rng, ModernBertForSequenceClassification::load);
    }

    public static ModernBertForSequenceClassification load(Path dir) {
        return open(dir, ModernBertForSequenceClassification::load);
    }

    /** input ids [B, T], attention_mask [B, T] or null → logits [B, num_labels]. */
    public Tensor forward(Tensor inputIds, Tensor attentionMask) {
        Tensor h = model.forward(inputIds, attentionMask);                  // [B, T, H]
        Tensor pooled = switch (model.config().classifierPooling()) {
            case CLS -> h.select(1, 0);                                     // [B, H]
            case MEAN -> meanPool(h, attentionMask);
        };
        return classify(pooled);
    }

    /** Σ_t h[b, t]·mask[b, t] / Σ_t mask[b, t] (HF's formula; a mask of all 1 when none is given). */
    static Tensor meanPool(Tensor h, Tensor attentionMask) {
        if (attentionMask == null) return h.mean(1, false);
        Tensor m = attentionMask.unsqueeze(-1);                               // [B, T, 1]
        return h.mul(m).sum(1, false).div(attentionMask.sum(1, true));       // [B, H] / [B, 1]
    }
}
