package dev.genai4j.nn;

import dev.genai4j.tensor.Randoms;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

/**
 * Inverted dropout, as {@code torch.nn.Dropout(p)}: in training each element is zeroed with
 * probability p and the survivors are scaled by 1/(1−p); in eval mode it is the identity. The
 * mask comes from the module's own seeded {@link Rng}, so runs are reproducible.
 *
 * <pre>{@code
 * Dropout drop = new Dropout(0.1f, new Rng(7));
 * Tensor y = drop.forward(x);         // training: masked and scaled; after drop.eval(): x itself
 * }</pre>
 */
public final class Dropout extends Module {
    private final float p;
    private final Rng rng;

    public Dropout(float p, Rng rng) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("Dropout: p must be in [0, 1], got " + p);
        if (p > 0f && rng == null) throw new IllegalArgumentException("Dropout: p=" + p + " needs an Rng");
        this.p = p;
        this.rng = rng;
    }

    public Tensor forward(Tensor x) {
        return apply(x, p, isTraining(), rng);
    }

    /** The functional form ({@code F.dropout}). */
    public static Tensor apply(Tensor x, float p, boolean training, Rng rng) {
        if (!training || p == 0f) return x;
        if (p == 1f) return x.mul(0f);
        Tensor keep = Randoms.bernoulli(rng, Tensor.full(1f - p, x.shape()));
        return x.mul(keep.mul(1f / (1f - p)));
    }

    public float p() { return p; }
}
