package dev.genai4j.models.clip;

import dev.genai4j.tensor.ShapeException;

/**
 * An 8-bit RGB image, rows top to bottom, pixels interleaved {@code r, g, b} (PIL mode "RGB",
 * numpy [H, W, 3] uint8).
 *
 * <pre>{@code
 * RgbImage img = ImageFiles.read(Path.of("cat.png"));
 * int red = img.get(10, 20, 0);   // x = 10, y = 20, channel 0, in 0…255
 * }</pre>
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0 || rgb == null || rgb.length != 3L * width * height) {
            throw new ShapeException("RgbImage: need width, height > 0 and " + 3L * Math.max(width, 0) * Math.max(height, 0)
                    + " bytes (3 per pixel), got " + width + " x " + height + " with " + (rgb == null ? "no" : rgb.length) + " bytes");
        }
    }

    /** Sample of channel {@code c} at column {@code x}, row {@code y}, in 0…255. */
    public int get(int x, int y, int c) { return rgb[(y * width + x) * 3 + c] & 0xFF; }
}
