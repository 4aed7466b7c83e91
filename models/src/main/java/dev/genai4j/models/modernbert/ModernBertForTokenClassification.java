package dev.genai4j.models.modernbert;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Dropout;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;

/**
 * ModernBERT with a per-token classification head (HF {@code ModernBertForTokenClassification}):
 * {@code classifier(drop(head(last_hidden_state)))}, e.g. for NER.
 *
 * <pre>{@code
 * try (var ner = ModernBertForTokenClassification.load(Path.of("modernbert-ner"));
 *      var g = NoGrad.enter()) {
 *     Tensor logits = ner.forward(inputIds, attentionMask);   // [B, T, num_labels]
 * }
 * }</pre>
 */
public final class ModernBertForTokenClassification extends Module implements AutoCloseable {
    private final ModernBertModel model;
    private final ModernBertPredictionHead head;
    private final Dropout drop;          // classifier_dropout, or null when 0
    private final Linear classifier;     // [num_labels, H]

    private ModernBertForTokenClassification(ModernBertModel model, ModernBertPredictionHead head, Dropout drop, Linear classifier) {
        this.model = child("model", model);
        this.head = child("head", head);
        this.drop = child("drop", drop);
        this.classifier = child("classifier", classifier);
    }

    public static ModernBertForTokenClassification load(Weights w, ModernBertConfig c, Rng rng) {
        ModernBertForTokenClassification m = new ModernBertForTokenClassification(
                ModernBertModel.load(w.sub("model"), c, rng), ModernBertPredictionHead.load(w.sub("head"), c),
                c.classifierDropout() > 0f ? new Dropout(c.classifierDropout(), rng) : null,
                Linear.load(w.sub("classifier"), c.hiddenSize(), c.numLabels(), true));
        m.eval();
        return m;
    }

    public static ModernBertForTokenClassification load(Weights w, ModernBertConfig c) { return load(w, c, new Rng(0)); }

    /**
     * A model to fine-tune: the encoder (and head, if present) of a pretrained checkpoint folder —
     * e.g. a ForMaskedLM one — with a fresh {@code classifier} for {@code numLabels} labels, in
     * training mode with trainable fp32 parameters (copied out of the file, which is closed again).
     */
    public static ModernBertForTokenClassification forFineTuning(Path pretrained, int numLabels, Rng rng) {
        try (ModernBertCheckpoint ckpt = ModernBertCheckpoint.open(pretrained)) {
            ModernBertConfig c = ckpt.config().withNumLabels(numLabels);
            ModernBertForTokenClassification m = load(Weights.ofMap(ModernBertInit.forClassifier(ckpt.root(), c, rng)), c, rng);
            m.trainable();
            m.train(true);
            return m;
        }
    }

    public static ModernBertForTokenClassification load(Path dir) {
        ModernBertCheckpoint ckpt = ModernBertCheckpoint.open(dir);
        try {
            ModernBertForTokenClassification m = load(ckpt.root(), ckpt.config());
            m.model.own(ckpt);
            return m;
        } catch (RuntimeException e) {
            ckpt.close();
            throw e;
        }
    }

    /** input ids [B, T], attention_mask [B, T] or null → logits [B, T, num_labels]. */
    public Tensor forward(Tensor inputIds, Tensor attentionMask) {
        Tensor x = head.forward(model.forward(inputIds, attentionMask));    // [B, T, H]
        if (drop != null) x = drop.forward(x);
        return classifier.forward(x);
    }

    public ModernBertModel model() { return model; }

    @Override
    public void close() { model.close(); }
}
