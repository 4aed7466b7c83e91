package dev.genai4j.models.diffusion;

import dev.genai4j.io.CheckpointException;
import dev.genai4j.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes images in [−1, 1] (NCHW, 1 or 3 channels) as PNG files: one per image, or a grid with an
 * optional label under each tile. Pixels map as round((x + 1)/2 · 255), clamped.
 *
 * <pre>{@code
 * SampleImages.writeGrid(images, 4, 3, labels, dir.resolve("grid.png"));   // 4 columns, tiles ×3
 * }</pre>
 */
public final class SampleImages {
    static { System.setProperty("java.awt.headless", "true"); }

    private SampleImages() {}

    /** Image {@code index} of x [B, C, H, W] upscaled by {@code scale} (nearest). */
    public static BufferedImage toImage(Tensor x, int index, int scale) {
        if (x.dim() != 4 || (x.size(1) != 1 && x.size(1) != 3)) {
            throw new DiffusionException("images: expected [B, 1|3, H, W], got " + java.util.Arrays.toString(x.shape()));
        }
        int c = x.size(1), h = x.size(2), w = x.size(3);
        float[] d = x.contiguous().toFloatArray();
        int base = index * c * h * w;
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                int r = byteOf(d[base + y * w + xx]);
                int g = c == 3 ? byteOf(d[base + h * w + y * w + xx]) : r;
                int b = c == 3 ? byteOf(d[base + 2 * h * w + y * w + xx]) : r;
                int rgb = (r << 16) | (g << 8) | b;
                for (int dy = 0; dy < scale; dy++) for (int dx = 0; dx < scale; dx++) img.setRGB(xx * scale + dx, y * scale + dy, rgb);
            }
        }
        return img;
    }

    static int byteOf(float v) { return Math.max(0, Math.min(255, Math.round((v + 1f) * 0.5f * 255f))); }

    /** Writes image {@code index} as a PNG. */
    public static void writePng(Tensor x, int index, int scale, Path file) { write(toImage(x, index, scale), file); }

    /** All images in a grid of {@code cols} columns; {@code labels} (may be null) printed under the tiles. */
    public static void writeGrid(Tensor x, int cols, int scale, List<String> labels, Path file) {
        int b = x.size(0), h = x.size(2) * scale, w = x.size(3) * scale, pad = 2;
        int rows = (b + cols - 1) / cols, labelH = labels == null ? 0 : 12;
        int cellW = w + pad, cellH = h + pad + labelH;
        BufferedImage grid = new BufferedImage(cols * cellW + pad, rows * cellH + pad, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        for (int i = 0; i < b; i++) {
            int gx = pad + (i % cols) * cellW, gy = pad + (i / cols) * cellH;
            g.drawImage(toImage(x, i, scale), gx, gy, null);
            if (labels != null && i < labels.size() && labels.get(i) != null) {
                g.setColor(Color.WHITE);
                String s = labels.get(i);
                while (s.length() > 1 && g.getFontMetrics().stringWidth(s) > w) s = s.substring(0, s.length() - 1);
                g.drawString(s, gx, gy + h + labelH - 2);
            }
        }
        g.dispose();
        write(grid, file);
    }

    private static void write(BufferedImage img, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = parent.resolve("." + file.getFileName() + ".tmp");
            if (!ImageIO.write(img, "png", tmp.toFile())) throw new CheckpointException("images: no PNG writer available");
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CheckpointException("cannot write " + file + ": " + e, e);
        }
    }
}
