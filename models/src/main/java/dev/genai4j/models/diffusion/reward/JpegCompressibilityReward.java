package dev.genai4j.models.diffusion.reward;

import dev.genai4j.tensor.Tensor;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * DDPO's JPEG compressibility reward (arXiv 2305.13301, {@code ddpo_pytorch/rewards.py
 * jpeg_compressibility}): minus the size in kilobytes (bytes / 1000) of the image saved as JPEG
 * at quality 95, here through ImageIO (baseline JPEG, quality 0.95; grey images as one-channel
 * JPEG). Prompts are ignored. Sizes differ from PIL's by a few header bytes, not in ordering.
 *
 * <p>It is the classic reward that invites hacking: the cheapest way to a small file is to
 * erase detail — flat, blurry, low-contrast images that no longer show the prompted object —
 * so a run on it raises the reward while the independent classifier's accuracy falls.
 *
 * <pre>{@code
 * float[] r = new JpegCompressibilityReward().score(samples, prompts);   // e.g. -0.6 (600 bytes)
 * }</pre>
 */
public final class JpegCompressibilityReward implements Reward {
    public static final String NAME = "jpeg";
    /** DDPO's quality setting. */
    public static final float QUALITY = 0.95f;

    @Override
    public String name() { return NAME; }

    @Override
    public float[] score(Tensor images, List<String> prompts) {
        Reward.checkInputs(NAME, images, prompts);
        float[] out = new float[images.size(0)];
        for (int b = 0; b < out.length; b++) out[b] = -jpegBytes(images, b) / 1000f;
        return out;
    }

    /** Size in bytes of image {@code b} encoded as JPEG at quality 95. */
    public static int jpegBytes(Tensor images, int b) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(ImageBytes.toBufferedImage(images, b), null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException("jpeg reward: cannot encode image " + b + ": " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
        return bytes.size();
    }
}
