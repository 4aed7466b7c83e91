package dev.genai4j.nn.functional;

import dev.genai4j.tensor.Autograd;
import dev.genai4j.tensor.GradFn;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import dev.genai4j.tensor.kernels.VectorMath;

/**
 * GEGLU (Shazeer, arXiv 2002.05202) as diffusers' {@code FeedForward} computes it: the last axis of
 * h [..., 2·I] is split into value | gate halves and {@code out [..., I] = value · GELU(gate)},
 * with the exact (erf) GELU. One op with its own backward instead of split + gelu + mul: the
 * composition's backward built two zero-filled [..., 2·I] gradients (one per half), added them,
 * and went through three more full passes; here one pass per row writes both halves of dh
 * ({@link VectorMath#gegluBackward}: one erf serves GELU and its derivative). The forward's values
 * are the composition's (the same GELU kernel, the same products), the gradient's within an ulp
 * or so; the gate's GELU is recomputed in the backward rather than kept.
 *
 * <pre>{@code
 * Tensor ff = GegluOp.geglu(proj.forward(x));   // [B, T, 2·I] → [B, T, I]
 * }</pre>
 */
public final class GegluOp {
    private GegluOp() {}

    /** Rows per work item: about 16 K floats of h, so a small input stays on one thread. */
    private static final int GRAIN_FLOATS = 1 << 14;

    /** h [..., 2·I] → [..., I]. */
    public static Tensor geglu(Tensor h) {
        int[] s = h.shape();
        if (s.length == 0 || s[s.length - 1] == 0 || s[s.length - 1] % 2 != 0) {
            throw ShapeException.of("geglu input", "[..., 2·I] with an even, non-empty last axis", s);
        }
        int width = s[s.length - 1], inner = width / 2, rows = h.numel() / width;
        float[] hd = h.data();
        float[] out = new float[rows * inner];
        int grain = Math.max(1, GRAIN_FLOATS / width);
        Parallel.forRange(rows, grain, (from, to) -> {
            float[] gelu = new float[inner];
            for (int r = from; r < to; r++) {
                int at = r * width;
                VectorMath.geluErf(hd, at + inner, gelu, 0, inner);
                VectorMath.mul(hd, at, gelu, 0, out, r * inner, inner);
            }
        });
        int[] outShape = s.clone();
        outShape[s.length - 1] = inner;
        Tensor result = Tensor.of(out, outShape);
        if (Autograd.recording(h)) {
            Autograd.record(result, new GradFn("geglu", h) {
                @Override public Tensor[] backward(Tensor g) {
                    float[] gd = g.data();   // [rows, I]
                    float[] dh = new float[rows * width];
                    // d value = g · GELU(gate), d gate = g · value · GELU'(gate)
                    Parallel.forRange(rows, grain, (from, to) -> {
                        for (int r = from; r < to; r++) {
                            int at = r * width;
                            VectorMath.gegluBackward(gd, r * inner, hd, at, at + inner, dh, at, at + inner, inner);
                        }
                    });
                    return new Tensor[]{Tensor.of(dh, s)};
                }
            });
        }
        return result;
    }
}
