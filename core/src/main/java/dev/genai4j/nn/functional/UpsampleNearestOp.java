package dev.genai4j.nn.functional;

import dev.genai4j.tensor.Autograd;
import dev.genai4j.tensor.GradFn;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

/**
 * Nearest-neighbour upsampling of NCHW images by integer factors, as
 * {@code F.interpolate(x, scale_factor=s, mode="nearest")}: output pixel (oh, ow) copies input
 * pixel (oh / sh, ow / sw), i.e. each pixel becomes an sh × sw block. Backward sums each block.
 *
 * <pre>{@code
 * Tensor y = UpsampleNearestOp.upsample(x, 2, 2);   // [N, C, H, W] → [N, C, 2H, 2W]
 * }</pre>
 */
public final class UpsampleNearestOp {
    private UpsampleNearestOp() {}

    public static Tensor upsample(Tensor x, int scaleH, int scaleW) {
        if (x.dim() != 4) throw ShapeException.of("upsample_nearest2d input", "[N, C, H, W]", x.shape());
        if (scaleH < 1 || scaleW < 1) {
            throw new IllegalArgumentException("upsample_nearest2d: scale factors must be positive integers, got " + scaleH + ", " + scaleW);
        }
        int[] s = x.shape();
        int planes = s[0] * s[1], h = s[2], w = s[3], oh = h * scaleH, ow = w * scaleW;
        float[] xd = x.data();
        float[] out = new float[planes * oh * ow];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                int src = (p * h + i / scaleH) * w, dst = (p * oh + i) * ow;
                for (int j = 0; j < ow; j++) out[dst + j] = xd[src + j / scaleW];
            }
        }
        Tensor result = Tensor.of(out, s[0], s[1], oh, ow);
        if (Autograd.recording(x)) {
            Autograd.record(result, new GradFn("upsample_nearest2d", x) {
                @Override public Tensor[] backward(Tensor g) {
                    float[] gd = g.data();
                    float[] dx = new float[xd.length];
                    for (int p = 0; p < planes; p++) {
                        for (int i = 0; i < oh; i++) {
                            int dst = (p * h + i / scaleH) * w, src = (p * oh + i) * ow;
                            for (int j = 0; j < ow; j++) dx[dst + j / scaleW] += gd[src + j];
                        }
                    }
                    return new Tensor[]{Tensor.of(dx, s)};
                }
            });
        }
        return result;
    }
}
