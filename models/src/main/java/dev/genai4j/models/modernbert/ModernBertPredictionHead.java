package dev.genai4j.models.modernbert;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Activation;
import dev.genai4j.nn.LayerNorm;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Tensor;

/** {@code norm(act(dense(x)))}, the head shared by every ModernBERT task model (HF {@code ModernBertPredictionHead}). */
final class ModernBertPredictionHead extends Module {
    private final Linear dense;        // [H, H], bias = classifier_bias
    private final Activation act;      // classifier_activation
    private final LayerNorm norm;      // [H]

    private ModernBertPredictionHead(Linear dense, Activation act, LayerNorm norm) {
        this.dense = child("dense", dense);
        this.act = act;
        this.norm = child("norm", norm);
    }

    static ModernBertPredictionHead load(Weights w, ModernBertConfig c) {
        int h = c.hiddenSize();
        return new ModernBertPredictionHead(Linear.load(w.sub("dense"), h, h, c.classifierBias()), c.classifierActivation(),
                LayerNorm.load(w.sub("norm"), h, c.normEps(), c.normBias()));
    }

    /** x: [..., H] → [..., H]. */
    Tensor forward(Tensor x) { return norm.forward(act.apply(dense.forward(x))); }
}
