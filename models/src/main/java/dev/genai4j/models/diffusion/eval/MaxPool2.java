package dev.genai4j.models.diffusion.eval;

import dev.genai4j.tensor.Autograd;
import dev.genai4j.tensor.GradFn;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

/**
 * 2×2 max-pooling with stride 2 over [B, C, H, W] (H, W even), as {@code F.max_pool2d(x, 2)},
 * with its backward: the gradient goes to the first maximum of each window (PyTorch's choice).
 * A dedicated loop because the general reshape + amax route spent more time in the
 * classifier's three poolings than in its convolutions.
 *
 * <pre>{@code
 * Tensor y = MaxPool2.apply(x);    // [B, C, 32, 32] → [B, C, 16, 16]
 * }</pre>
 */
final class MaxPool2 {
    private MaxPool2() {}

    static Tensor apply(Tensor x) {
        int[] s = x.shape();
        if (s.length != 4 || s[2] % 2 != 0 || s[3] % 2 != 0) {
            throw ShapeException.of("MaxPool2", "[B, C, H, W] with even H and W", s);
        }
        int planes = s[0] * s[1], h = s[2], w = s[3], ho = h / 2, wo = w / 2;
        float[] in = x.data();
        float[] out = new float[planes * ho * wo];
        int[] arg = new int[out.length];                 // flat input index of each window's maximum
        for (int p = 0; p < planes; p++) {
            int base = p * h * w, o = p * ho * wo;
            for (int i = 0; i < ho; i++) {
                int r0 = base + 2 * i * w, r1 = r0 + w;
                for (int j = 0; j < wo; j++, o++) {
                    int k = r0 + 2 * j, best = k;
                    float m = in[k];
                    if (in[k + 1] > m) { m = in[k + 1]; best = k + 1; }
                    if (in[r1 + 2 * j] > m) { m = in[r1 + 2 * j]; best = r1 + 2 * j; }
                    if (in[r1 + 2 * j + 1] > m) { m = in[r1 + 2 * j + 1]; best = r1 + 2 * j + 1; }
                    if (Float.isNaN(in[k]) || Float.isNaN(in[k + 1]) || Float.isNaN(in[r1 + 2 * j]) || Float.isNaN(in[r1 + 2 * j + 1])) {
                        m = Float.NaN;                  // NaN propagates, as PyTorch
                    }
                    out[o] = m;
                    arg[o] = best;
                }
            }
        }
        Tensor y = Tensor.of(out, s[0], s[1], ho, wo);
        if (Autograd.recording(x)) {
            int n = in.length;
            Autograd.record(y, new GradFn("max_pool2d", x) {
                @Override public Tensor[] backward(Tensor g) {
                    float[] gd = g.data(), gx = new float[n];
                    for (int o = 0; o < gd.length; o++) gx[arg[o]] += gd[o];
                    return new Tensor[]{Tensor.of(gx, s)};
                }
            });
        }
        return y;
    }
}
