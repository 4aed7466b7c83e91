package dev.genai4j.models.pointe.train;

import dev.genai4j.io.ConfigException;
import dev.genai4j.models.clip.ClipImageProcessor;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw pixel patches as the conditioning grid: the image is resized (shortest edge, bicubic) and
 * centre-cropped to {@code imageSize}, cut into {@code patch × patch} squares, and each square's
 * pixels, ordered (channel, row, column) and mapped to [-1, 1], are one token. The transformer's
 * {@code clip_embed} (LayerNorm + Linear) then acts as a trainable ViT patch embedding, so the
 * conditioning is learned end to end at no extra cost; frozen features of an untrained CLIP tower
 * carry no more information than these pixels and cost a forward pass.
 *
 * <pre>{@code
 * PatchGrid g = new PatchGrid(64, 8);    // 8×8 tokens of 192 values
 * }</pre>
 */
public final class PatchGrid implements ImageGrid {
    private final int imageSize, patch;
    private final ClipImageProcessor resize;

    public PatchGrid(int imageSize, int patch) {
        if (imageSize <= 0 || patch <= 0 || imageSize % patch != 0) {
            throw new ConfigException("PatchGrid: image size " + imageSize + " must be a positive multiple of the patch size " + patch);
        }
        this.imageSize = imageSize;
        this.patch = patch;
        this.resize = ClipImageProcessor.defaults(imageSize);
    }

    @Override public int gridSize() { return imageSize / patch; }

    @Override public int featureDim() { return 3 * patch * patch; }

    @Override
    public Tensor grid(List<RgbImage> images) {
        int g = gridSize(), f = featureDim(), l = g * g, n = images.size();
        float[] out = new float[n * f * l];
        for (int b = 0; b < n; b++) {
            RgbImage img = images.get(b);
            if (img.width() != imageSize || img.height() != imageSize) img = resize.resizeAndCrop(img);
            for (int gy = 0; gy < g; gy++) {
                for (int gx = 0; gx < g; gx++) {
                    int token = gy * g + gx;
                    for (int c = 0; c < 3; c++) {
                        for (int ky = 0; ky < patch; ky++) {
                            for (int kx = 0; kx < patch; kx++) {
                                int feature = (c * patch + ky) * patch + kx;
                                float v = img.get(gx * patch + kx, gy * patch + ky, c) / 127.5f - 1f;
                                out[(b * f + feature) * l + token] = v;
                            }
                        }
                    }
                }
            }
        }
        return Tensor.of(out, n, f, l);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "patches");
        m.put("image_size", imageSize);
        m.put("patch", patch);
        return m;
    }
}
