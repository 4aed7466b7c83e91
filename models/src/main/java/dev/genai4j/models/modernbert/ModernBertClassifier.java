package dev.genai4j.models.modernbert;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Dropout;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;

/**
 * What HF's ModernBERT classification models share: the encoder {@code model}, the prediction
 * {@code head}, dropout ({@code classifier_dropout}) and {@code classifier} [num_labels, H] with
 * bias, and how they are loaded, opened from a folder, or started for fine-tuning. Subclasses say
 * only which features reach the head (pooled, or every token).
 */
abstract sealed class ModernBertClassifier extends Module implements AutoCloseable
        permits ModernBertForSequenceClassification, ModernBertForTokenClassification {
    protected final ModernBertModel model;
    private final ModernBertPredictionHead head;
    private final Dropout drop;          // classifier_dropout, or null when 0
    private final Linear classifier;     // [num_labels, H]

    /** The four parts, loaded by their HF names. */
    record Parts(ModernBertModel model, ModernBertPredictionHead head, Dropout drop, Linear classifier) {
        static Parts load(Weights w, ModernBertConfig c, Rng rng) {
            return new Parts(ModernBertModel.load(w.sub("model"), c, rng), ModernBertPredictionHead.load(w.sub("head"), c),
                    c.classifierDropout() > 0f ? new Dropout(c.classifierDropout(), rng) : null,
                    Linear.load(w.sub("classifier"), c.hiddenSize(), c.numLabels(), true));
        }
    }

    /** Builds a classifier of one kind from weights, a config and a generator. */
    @FunctionalInterface
    interface Loader<T extends ModernBertClassifier> {
        T load(Weights w, ModernBertConfig c, Rng rng);
    }

    ModernBertClassifier(Parts p) {
        this.model = child("model", p.model());
        this.head = child("head", p.head());
        this.drop = child("drop", p.drop());
        this.classifier = child("classifier", p.classifier());
    }

    /** classifier(drop(head(features))): [..., H] → [..., num_labels]. */
    protected Tensor classify(Tensor features) {
        Tensor x = head.forward(features);
        if (drop != null) x = drop.forward(x);
        return classifier.forward(x);
    }

    /** A checkpoint folder, kept open (memory-mapped) for as long as the model lives. */
    static <T extends ModernBertClassifier> T open(Path dir, Loader<T> loader) {
        ModernBertCheckpoint ckpt = ModernBertCheckpoint.open(dir);
        try {
            T m = loader.load(ckpt.root(), ckpt.config(), new Rng(0));
            m.model.own(ckpt);
            return m;
        } catch (RuntimeException e) {
            ckpt.close();
            throw e;
        }
    }

    /**
     * The encoder (and head, if present) of a pretrained folder — e.g. a ForMaskedLM one — with a
     * fresh {@code classifier} for {@code numLabels} labels, in training mode with trainable fp32
     * parameters (copied out of the file, which is closed again).
     */
    static <T extends ModernBertClassifier> T forFineTuning(Path pretrained, int numLabels, Rng rng, Loader<T> loader) {
        try (ModernBertCheckpoint ckpt = ModernBertCheckpoint.open(pretrained)) {
            ModernBertConfig c = ckpt.config().withNumLabels(numLabels);
            T m = loader.load(Weights.ofMap(ModernBertInit.forClassifier(ckpt.root(), c, rng)), c, rng);
            m.trainable();
            m.train(true);
            return m;
        }
    }

    public ModernBertModel model() { return model; }

    @Override
    public void close() { model.close(); }
}
