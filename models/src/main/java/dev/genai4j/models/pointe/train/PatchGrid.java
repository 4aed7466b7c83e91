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
 * <p>{@code positionFeatures} fixed sinusoids of the token's grid position follow the pixels
 * (sin and cos of π·k·u for k = 1…F/4, u the column's then the row's centre in (0, 1)). They matter
 * because {@code clip_embed} starts with a LayerNorm over each token: over pixels alone, a flat patch
 * (the renders' background, the inside of a uniformly lit face) has zero variance, so the norm erases
 * its brightness (black, grey and white patches become the same token) and blows up any faint noise
 * (a drawn view's speckled background becomes unit-variance garbage). With the sinusoids in the same
 * token the variance never vanishes and pixel differences keep their size; the transformer also learns
 * where each patch is, which a CLIP grid carries implicitly and raw patches do not. Models trained
 * before the option have 0.
 *
 * <pre>{@code
 * PatchGrid g = new PatchGrid(64, 8, 16);    // 8×8 tokens of 192 pixel values + 16 position values
 * }</pre>
 */
public final class PatchGrid implements ImageGrid {
    /** Position features of new models ({@code train pointe}): 4 frequencies per axis. */
    public static final int DEFAULT_POSITION_FEATURES = 16;

    private final int imageSize, patch, positionFeatures;
    private final ClipImageProcessor resize;

    /** Pixels only (models trained before position features). */
    public PatchGrid(int imageSize, int patch) { this(imageSize, patch, 0); }

    /** @param positionFeatures 0, or a multiple of 4: sin and cos per axis per frequency */
    public PatchGrid(int imageSize, int patch, int positionFeatures) {
        if (imageSize <= 0 || patch <= 0 || imageSize % patch != 0) {
            throw new ConfigException("PatchGrid: image size " + imageSize + " must be a positive multiple of the patch size " + patch);
        }
        if (positionFeatures < 0 || positionFeatures % 4 != 0) {
            throw new ConfigException("PatchGrid: position features must be 0 or a positive multiple of 4 (sin and cos per axis), got " + positionFeatures);
        }
        this.imageSize = imageSize;
        this.patch = patch;
        this.positionFeatures = positionFeatures;
        this.resize = ClipImageProcessor.defaults(imageSize);
    }

    @Override public int gridSize() { return imageSize / patch; }

    @Override public int featureDim() { return 3 * patch * patch + positionFeatures; }

    public int positionFeatures() { return positionFeatures; }

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
                    int pixels = 3 * patch * patch, perAxis = positionFeatures / 2;
                    for (int k = 0; k < perAxis / 2; k++) {
                        double u = Math.PI * (k + 1) * (gx + 0.5) / g, v = Math.PI * (k + 1) * (gy + 0.5) / g;
                        out[(b * f + pixels + 2 * k) * l + token] = (float) Math.sin(u);
                        out[(b * f + pixels + 2 * k + 1) * l + token] = (float) Math.cos(u);
                        out[(b * f + pixels + perAxis + 2 * k) * l + token] = (float) Math.sin(v);
                        out[(b * f + pixels + perAxis + 2 * k + 1) * l + token] = (float) Math.cos(v);
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
        m.put("position_features", positionFeatures);
        return m;
    }
}
