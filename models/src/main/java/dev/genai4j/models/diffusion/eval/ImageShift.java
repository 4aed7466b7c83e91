package dev.genai4j.models.diffusion.eval;

import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;

/**
 * The classifier's light augmentation: each image moved by a random whole-pixel offset in
 * [−max, max] on both axes, the uncovered border filled with the background value. Fashion-MNIST
 * items sit centred in their 28 × 28 frame, and generated samples drift by a pixel or two, so
 * the evaluator should not care about small translations.
 *
 * <pre>{@code
 * Tensor aug = ImageShift.random(batch, 2, -1f, new Rng(7));   // [B, C, H, W] → same shape
 * }</pre>
 */
public final class ImageShift {
    private ImageShift() {}

    /** Every image shifted by its own random (dy, dx) ∈ [−maxShift, maxShift]². */
    public static Tensor random(Tensor images, int maxShift, float fill, Rng rng) {
        if (images.dim() != 4) throw ShapeException.of("ImageShift.random", "images [B, C, H, W]", images.shape());
        if (maxShift < 0) throw new IllegalArgumentException("ImageShift.random: maxShift must be >= 0, got " + maxShift);
        int b = images.size(0);
        int[] dy = new int[b], dx = new int[b];
        for (int i = 0; i < b; i++) {
            dy[i] = rng.nextInt(2 * maxShift + 1) - maxShift;
            dx[i] = rng.nextInt(2 * maxShift + 1) - maxShift;
        }
        return shift(images, dy, dx, fill);
    }

    /** Image i moved down by dy[i] and right by dx[i] (negative: up / left); no gradient. */
    public static Tensor shift(Tensor images, int[] dy, int[] dx, float fill) {
        int[] s = images.shape();
        int b = s[0], c = s[1], h = s[2], w = s[3];
        if (dy.length != b || dx.length != b) {
            throw new IllegalArgumentException("ImageShift.shift: " + b + " images but " + dy.length + " / " + dx.length + " offsets");
        }
        float[] src = images.data();
        float[] out = new float[src.length];
        java.util.Arrays.fill(out, fill);
        for (int i = 0; i < b; i++) {
            for (int ch = 0; ch < c; ch++) {
                int plane = (i * c + ch) * h * w;
                for (int y = 0; y < h; y++) {
                    int sy = y - dy[i];
                    if (sy < 0 || sy >= h) continue;
                    for (int x = 0; x < w; x++) {
                        int sx = x - dx[i];
                        if (sx >= 0 && sx < w) out[plane + y * w + x] = src[plane + sy * w + sx];
                    }
                }
            }
        }
        return Tensor.of(out, s);
    }
}
