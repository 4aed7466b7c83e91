package dev.genai4j.data.render;

import dev.genai4j.data.DataException;
import dev.genai4j.data.shapes.OutputFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An 8-bit RGB image, rows top to bottom, pixels interleaved {@code r, g, b}: what the renderers
 * draw into, with PNG reading and (atomic) writing.
 *
 * <pre>{@code
 * RgbRaster img = MeshRenderer.render(scene.mesh(32), Camera.front(), 64, 2);
 * img.writePng(Path.of("cube.png"));
 * int red = img.get(10, 20, 0);
 * }</pre>
 */
public record RgbRaster(int width, int height, byte[] rgb) {
    public RgbRaster {
        if (width <= 0 || height <= 0 || rgb.length != 3L * width * height) {
            throw new DataException("RgbRaster: need width, height > 0 and 3 bytes per pixel, got " + width + " x " + height
                    + " with " + rgb.length + " bytes");
        }
    }

    /** A {@code width × height} image filled with {@code (r, g, b)}. */
    public static RgbRaster filled(int width, int height, int r, int g, int b) {
        byte[] px = new byte[3 * width * height];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) r;
            px[i + 1] = (byte) g;
            px[i + 2] = (byte) b;
        }
        return new RgbRaster(width, height, px);
    }

    /** Channel {@code c} of pixel (x, y), in 0…255. */
    public int get(int x, int y, int c) { return rgb[3 * (y * width + x) + c] & 0xFF; }

    /** Each {@code factor × factor} block averaged (rounded) into one pixel: the supersampling filter. */
    public RgbRaster downsample(int factor) {
        if (factor == 1) return this;
        if (factor < 1 || width % factor != 0 || height % factor != 0) {
            throw new DataException("RgbRaster.downsample: factor " + factor + " must divide " + width + " x " + height);
        }
        int w = width / factor, h = height / factor, area = factor * factor;
        byte[] out = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int s = 0;
                    for (int dy = 0; dy < factor; dy++) for (int dx = 0; dx < factor; dx++) s += get(x * factor + dx, y * factor + dy, c);
                    out[3 * (y * w + x) + c] = (byte) ((s + area / 2) / area);
                }
            }
        }
        return new RgbRaster(w, h, out);
    }

    /** Equal-sized images side by side, {@code columns} per row, row by row. */
    public static RgbRaster tile(List<RgbRaster> images, int columns) {
        if (images.isEmpty() || columns <= 0) throw new DataException("RgbRaster.tile: need images and columns > 0");
        int w = images.get(0).width, h = images.get(0).height, rows = (images.size() + columns - 1) / columns;
        byte[] out = new byte[3 * w * columns * h * rows];
        for (int i = 0; i < images.size(); i++) {
            RgbRaster im = images.get(i);
            if (im.width != w || im.height != h) throw new DataException("RgbRaster.tile: image " + i + " is " + im.width + " x " + im.height + ", not " + w + " x " + h);
            int ox = (i % columns) * w, oy = (i / columns) * h;
            for (int y = 0; y < h; y++) System.arraycopy(im.rgb, 3 * y * w, out, 3 * ((oy + y) * w * columns + ox), 3 * w);
        }
        return new RgbRaster(w * columns, h * rows, out);
    }

    /** Writes the image as PNG, atomically. */
    public void writePng(Path path) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) img.setRGB(x, y, (get(x, y, 0) << 16) | (get(x, y, 1) << 8) | get(x, y, 2));
        }
        OutputFiles.write(path, out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer in this Java runtime");
        });
    }

    /** Reads a PNG (or any format ImageIO knows) as RGB; alpha is dropped. */
    public static RgbRaster readPng(Path path) {
        BufferedImage img;
        try {
            if (!Files.exists(path)) throw new DataException("image " + path + " does not exist");
            img = ImageIO.read(path.toFile());
        } catch (IOException e) {
            throw new DataException("cannot read image " + path + ": " + e, e);
        }
        if (img == null) throw new DataException("cannot read image " + path + ": not a PNG, JPEG, GIF or BMP file");
        int w = img.getWidth(), h = img.getHeight();
        byte[] px = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = img.getRGB(x, y), o = 3 * (y * w + x);
                px[o] = (byte) (v >> 16);
                px[o + 1] = (byte) (v >> 8);
                px[o + 2] = (byte) v;
            }
        }
        return new RgbRaster(w, h, px);
    }
}
