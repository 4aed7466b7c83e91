package dev.genai4j.nn;

import dev.genai4j.nn.functional.UpsampleNearestOp;
import dev.genai4j.tensor.Tensor;

/**
 * {@code torch.nn.Upsample(scale_factor=s, mode="nearest")} for integer factors: every pixel of
 * an NCHW image becomes an s × s block. No parameters.
 *
 * <pre>{@code
 * Tensor y = new UpsampleNearest2d(2).forward(x);   // [N, C, H, W] → [N, C, 2H, 2W]
 * }</pre>
 */
public final class UpsampleNearest2d extends Module {
    private final int scaleH, scaleW;

    public UpsampleNearest2d(int scale) { this(scale, scale); }

    public UpsampleNearest2d(int scaleH, int scaleW) {
        if (scaleH < 1 || scaleW < 1) throw new IllegalArgumentException("UpsampleNearest2d: scale factors must be ≥ 1, got " + scaleH + ", " + scaleW);
        this.scaleH = scaleH;
        this.scaleW = scaleW;
    }

    public Tensor forward(Tensor x) { return UpsampleNearestOp.upsample(x, scaleH, scaleW); }
}
