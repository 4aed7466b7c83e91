package dev.genai4j.models.gliner;

import dev.genai4j.io.Weights;
import dev.genai4j.nn.Linear;
import dev.genai4j.nn.Module;
import dev.genai4j.tensor.Tensor;

/**
 * GLiNER's {@code create_projection_layer}: Linear(in → 4·out) → ReLU → Dropout → Linear(4·out → out),
 * checkpoint names {@code 0.*} and {@code 3.*}. Inference only: dropout is the identity.
 */
final class ProjectionLayer extends Module {
    private final Linear first, second;

    private ProjectionLayer(Linear first, Linear second) {
        this.first = child("0", first);
        this.second = child("3", second);
    }

    static ProjectionLayer load(Weights w, int in, int out) {
        return new ProjectionLayer(Linear.load(w.sub("0"), in, 4 * out, true), Linear.load(w.sub("3"), 4 * out, out, true));
    }

    /** The first linear layer, in → 4·out. */
    Linear first() { return first; }

    /** The second linear layer, 4·out → out. */
    Linear second() { return second; }

    /** [..., in] → [..., out] */
    Tensor forward(Tensor x) {
        return second.forward(first.forward(x).relu());
    }
}
