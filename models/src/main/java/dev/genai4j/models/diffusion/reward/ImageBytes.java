package dev.genai4j.models.diffusion.reward;

import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.tensor.Tensor;

import java.awt.image.BufferedImage;

/**
 * Images in [−1, 1] as 8-bit pictures, as the reference code turns them into PIL images:
 * {@code round((x + 1) / 2 · 255)} clamped to 0…255 (DDPO's {@code (x * 255).round().clamp(0, 255)}
 * on its [0, 1] images).
 *
 * <pre>{@code
 * BufferedImage img = ImageBytes.toBufferedImage(samples, 0);    // TYPE_BYTE_GRAY for C = 1
 * }</pre>
 */
public final class ImageBytes {
    private ImageBytes() {}

    /** One sample value in [−1, 1] as a byte level 0…255. */
    public static int level(float v) {
        long q = Math.round((v + 1.0) * 0.5 * 255.0);
        return (int) Math.max(0, Math.min(255, q));
    }

    /** Image {@code b} of [B, C, H, W]: grey for C = 1, RGB for C = 3. */
    public static BufferedImage toBufferedImage(Tensor images, int b) {
        int[] s = images.shape();
        int c = s[1], h = s[2], w = s[3];
        float[] d = images.data();
        int base = b * c * h * w, plane = h * w;
        BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = base + y * w + x;
                if (c == 1) {
                    img.getRaster().setSample(x, y, 0, level(d[i]));
                } else {
                    img.setRGB(x, y, level(d[i]) << 16 | level(d[i + plane]) << 8 | level(d[i + 2 * plane]));
                }
            }
        return img;
    }

    /** Image {@code b} as an RGB picture for CLIP; grey is repeated into all three channels. */
    public static RgbImage toRgb(Tensor images, int b) {
        int[] s = images.shape();
        int c = s[1], h = s[2], w = s[3];
        float[] d = images.data();
        int base = b * c * h * w, plane = h * w;
        byte[] rgb = new byte[3 * plane];
        for (int p = 0; p < plane; p++)
            for (int ch = 0; ch < 3; ch++) rgb[3 * p + ch] = (byte) level(d[base + (c == 1 ? 0 : ch) * plane + p]);
        return new RgbImage(w, h, rgb);
    }
}
