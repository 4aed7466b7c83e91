package dev.genai4j.models.diffusion;

import dev.genai4j.nn.Module;
import dev.genai4j.nn.Parameter;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

/**
 * LoRA (arXiv 2106.09685) on one linear map W [out, in]: y = W·x + (α/r)·B·(A·x) with
 * A = {@code lora_A.weight} [r, in] drawn uniform in ±1/√in (kaiming-uniform with a = √5, as peft
 * initializes it) and B = {@code lora_B.weight} [out, r] zero, so an adapted model starts exactly
 * where its base is. Fine-tuning only A and B keeps every update inside a rank-r subspace of each
 * adapted weight — what DDPO's reference fine-tunes, and what keeps noisy policy-gradient steps
 * from wandering over all weights at once.
 *
 * <pre>{@code
 * LowRankAdapter a = new LowRankAdapter(64, 64, 4, 4f, new Rng(0));
 * Tensor y = a.add(x, base.forward(x));          // x [..., 64]
 * Tensor merged = a.merged(base.weight().value()); // W + (α/r)·B·A, for a plain checkpoint
 * }</pre>
 */
public final class LowRankAdapter extends Module {
    private final Parameter down, up;   // A [r, in], B [out, r]
    private final int in, out, rank;
    private final float scale;

    public LowRankAdapter(int in, int out, int rank, float alpha, Rng rng) {
        if (rank < 1 || rank > Math.min(in, out)) {
            throw new IllegalArgumentException("LoRA rank must lie in 1.." + Math.min(in, out) + " for a [" + out + ", " + in + "] weight, got " + rank);
        }
        if (!(alpha > 0) || Float.isInfinite(alpha)) throw new IllegalArgumentException("LoRA alpha must be a finite number > 0, got " + alpha);
        this.in = in;
        this.out = out;
        this.rank = rank;
        this.scale = alpha / rank;
        float bound = (float) (1 / Math.sqrt(in));
        down = param("lora_A.weight", Tensor.rand(rng, rank, in).mul(2 * bound).sub(bound));
        up = param("lora_B.weight", Tensor.zeros(out, rank));
    }

    public int rank() { return rank; }

    /** α / r. */
    public float scale() { return scale; }

    /** y + (α/r)·B·A·x for x [..., in] and the base output y [..., out]. */
    public Tensor add(Tensor x, Tensor y) {
        int[] s = x.shape();
        Tensor flat = x.reshape(-1, in);                                                   // [N, in]
        Tensor delta = flat.matmul(down.value().mT()).matmul(up.value().mT()).mul(scale);  // [N, out]
        int[] outShape = s.clone();
        outShape[s.length - 1] = out;
        return y.add(delta.reshape(outShape));
    }

    /** W + (α/r)·B·A: the plain weight that computes what base-plus-adapter computes. */
    public Tensor merged(Tensor weight) {
        try (var g = NoGrad.enter()) {
            return weight.add(up.value().matmul(down.value()).mul(scale)).contiguous();
        }
    }
}
