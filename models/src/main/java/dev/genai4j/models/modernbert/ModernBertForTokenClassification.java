package dev.genai4j.models.modernbert;

import dev.genai4j.io.Weights;
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
public final class ModernBertForTokenClassification extends ModernBertClassifier {
    private ModernBertForTokenClassification(Parts parts) {
        super(parts);
    }

    public static ModernBertForTokenClassification load(Weights w, ModernBertConfig c, Rng rng) {
        ModernBertForTokenClassification m = new ModernBertForTokenClassification(Parts.load(w, c, rng));
        m.eval();
        return m;
    }

    public static ModernBertForTokenClassification load(Weights w, ModernBertConfig c) { return load(w, c, new Rng(0)); }

    /** See {@link ModernBertClassifier#forFineTuning}. */
    public static ModernBertForTokenClassification forFineTuning(Path pretrained, int numLabels, Rng rng) {
        return forFineTuning(pretrained, numLabels, rng, ModernBertForTokenClassification::load);
    }

    public static ModernBertForTokenClassification load(Path dir) {
        return open(dir, ModernBertForTokenClassification::load);
    }

    /** input ids [B, T], attention_mask [B, T] or null → logits [B, T, num_labels]. */
    public Tensor forward(Tensor inputIds, Tensor attentionMask) {
        return classify(model.forward(inputIds, attentionMask));              // [B, T, H] → [B, T, num_labels]
    }
}
