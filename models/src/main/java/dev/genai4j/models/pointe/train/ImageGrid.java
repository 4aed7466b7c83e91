package dev.genai4j.models.pointe.train;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What turns a conditioning image into the grid of tokens the Point-E transformer prepends
 * ({@code [N, G, grid²]}, NCL like {@code ImageCLIP.embed_images_grid}). Two kinds:
 * {@link ClipGrid} (a frozen CLIP image tower's last hidden states, the reference's choice) and
 * {@link PatchGrid} (raw pixel patches, which the model's own {@code clip_embed} LayerNorm + Linear
 * learns to embed like a ViT patch embedding; the cheap conditioning for first runs).
 *
 * <pre>{@code
 * ImageGrid g = ImageGrid.fromJson(JsonConfig.of(Map.of("kind", "patches", "image_size", 64, "patch", 8)), null);
 * Tensor grid = g.grid(List.of(image));   // [1, 192, 64]
 * }</pre>
 */
public interface ImageGrid {
    /** Side of the token grid: {@code gridSize()²} tokens. */
    int gridSize();

    /** Channels of one token. */
    int featureDim();

    /** images → [N, featureDim, gridSize²], no gradient. */
    Tensor grid(List<RgbImage> images);

    /** The JSON object stored as {@code "conditioning"} in the model's {@code config.json}. */
    Map<String, Object> describe();

    /**
     * Rebuilds the conditioner a model was trained with. {@code clipOverride}, when given, replaces the stored
     * CLIP folder (models move between machines).
     */
    static ImageGrid fromJson(JsonConfig j, Path clipOverride) {
        String kind = j.getString("kind");
        return switch (kind) {
            case "patches" -> new PatchGrid(j.getInt("image_size"), j.getInt("patch"), j.getInt("position_features", 0));
            case "clip" -> {
                Path dir = clipOverride != null ? clipOverride : Path.of(j.getString("clip_dir"));
                yield ClipGrid.load(dir);
            }
            default -> throw new ConfigException("Point-E conditioning: unknown kind '" + kind + "'; expected patches or clip");
        };
    }
}
