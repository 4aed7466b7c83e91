package dev.genai4j.server;

import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.models.pointe.train.PointEGenerator;

import java.nio.file.Path;

/**
 * The served Point-E base model ({@code genai4j serve --pointe DIR}): image → coloured point cloud
 * with {@link PointEGenerator} (Point-E's Karras sampler, classifier-free guidance on x̂₀).
 *
 * <pre>{@code
 * PointCloudModel m = PointCloudModel.load("pointe", Path.of("runs/pointe"));
 * PointCloud pc = m.fromImage(image, 3f, 0L);   // m.points() points
 * }</pre>
 */
public final class PointCloudModel implements AutoCloseable {
    private final String id;
    private final PointEGenerator generator;

    private PointCloudModel(String id, PointEGenerator generator) {
        this.id = id;
        this.generator = generator;
    }

    /** A run folder of {@code genai4j train pointe}, a model folder or a weights file with config.json beside it. */
    public static PointCloudModel load(String id, Path location) { return new PointCloudModel(id, PointEGenerator.load(location, null)); }

    public String id() { return id; }

    /** Points in every cloud the model makes (its n_ctx). */
    public int points() { return generator.config().nCtx(); }

    /** The cloud of one image; the same seed gives the same cloud. */
    public PointCloud fromImage(RgbImage image, float guidance, long seed) { return generator.generate(image, points(), guidance, seed); }

    /** The weights are memory-mapped and released with the generator; nothing else is held. */
    @Override
    public void close() {}
}
