package dev.genai4j.models.clip.train;

import dev.genai4j.tensor.Rng;

/**
 * Training augmentations on planar images: a random scale (±{@code maxScale}), shift
 * ({@code ±maxShift} pixels) and, where the content allows it, a horizontal flip, applied as one
 * bilinear resample onto the output grid; uncovered pixels take the background value.
 *
 * <p>Flips are on for Fashion-MNIST (a mirrored shoe or shirt is still the same class) and off
 * for Twemoji (emoji hold text, arrows, flags and hands whose side is part of their meaning).
 *
 * <pre>{@code
 * Augment a = new Augment(2f, 0.1f, true);
 * a.apply(src, 1, 28, 28, out, 32, -1f, rng);   // one grey 28×28 → 32×32 at a random offset
 * }</pre>
 */
public record Augment(float maxShift, float maxScale, boolean flip) {
    /** No change: the source centered on the output grid. */
    public static final Augment NONE = new Augment(0, 0, false);

    /**
     * Resamples {@code src} [C, h, w] into {@code out} [C, side, side] at {@code outOffset}, centers
     * aligned; with {@code rng} null (or {@link #NONE}) the mapping is the identity shift, which
     * reproduces zero padding exactly.
     */
    public void apply(float[] src, int srcOffset, int channels, int h, int w, float[] out, int outOffset, int side,
                      float background, Rng rng) {
        float s = 1f, dx = 0, dy = 0;
        boolean mirror = false;
        if (rng != null) {
            s = 1f + (2 * rng.uniform() - 1) * maxScale;
            dx = (2 * rng.uniform() - 1) * maxShift;
            dy = (2 * rng.uniform() - 1) * maxShift;
            mirror = flip && rng.uniform() < 0.5f;
        }
        float cOut = side / 2f, cx = w / 2f, cy = h / 2f;
        for (int y = 0; y < side; y++) {
            float v = (y + 0.5f - cOut - dy) / s + cy - 0.5f;          // source row coordinate
            int y0 = (int) Math.floor(v);
            float fy = v - y0;
            for (int x = 0; x < side; x++) {
                float xo = mirror ? side - 1 - x : x;
                float u = (xo + 0.5f - cOut - dx) / s + cx - 0.5f;      // source column coordinate
                int x0 = (int) Math.floor(u);
                float fx = u - x0;
                for (int c = 0; c < channels; c++) {
                    int base = srcOffset + c * h * w;
                    float p00 = at(src, base, h, w, y0, x0, background), p01 = at(src, base, h, w, y0, x0 + 1, background);
                    float p10 = at(src, base, h, w, y0 + 1, x0, background), p11 = at(src, base, h, w, y0 + 1, x0 + 1, background);
                    float top = p00 + (p01 - p00) * fx, bottom = p10 + (p11 - p10) * fx;
                    out[outOffset + (c * side + y) * side + x] = top + (bottom - top) * fy;
                }
            }
        }
    }

    private static float at(float[] src, int base, int h, int w, int y, int x, float background) {
        if (y < 0 || y >= h || x < 0 || x >= w) return background;
        return src[base + y * w + x];
    }
}
