package dev.genai4j.models.pointe.train;

import dev.genai4j.models.clip.ClipPipeline;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.tensor.NoGrad;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference's conditioning ({@code ImageCLIP.embed_images_grid}): a frozen CLIP image tower's
 * last hidden states after the final residual block and before {@code ln_post}, without the class
 * token, as [N, D, grid²]. Images go through the CLIP folder's own preprocessing.
 *
 * <pre>{@code
 * ClipGrid g = ClipGrid.load(Path.of("models/clip-vit-l-14"));   // 16×16 tokens of 1024
 * }</pre>
 */
public final class ClipGrid implements ImageGrid {
    private final ClipPipeline clip;
    private final Path dir;

    private ClipGrid(ClipPipeline clip, Path dir) {
        this.clip = clip;
        this.dir = dir;
    }

    public static ClipGrid load(Path dir) { return new ClipGrid(ClipPipeline.load(dir), dir); }

    @Override public int gridSize() { return clip.model().config().vision().grid(); }

    @Override public int featureDim() { return clip.model().config().vision().hiddenSize(); }

    @Override
    public Tensor grid(List<RgbImage> images) {
        try (var g = NoGrad.enter()) {
            Tensor hidden = clip.model().vision(clip.processor().preprocess(images)).lastHiddenState();   // [N, 1 + L, D]
            int l = hidden.size(1) - 1;
            return hidden.narrow(1, 1, l).permute(0, 2, 1).contiguous();                                  // [N, D, L]
        }
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "clip");
        m.put("clip_dir", dir.toAbsolutePath().toString());
        return m;
    }
}
