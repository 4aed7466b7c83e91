package dev.genai4j.server;

import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.models.diffusion.DiffusionPipeline;
import dev.genai4j.models.pointe.TextToPointCloud;
import dev.genai4j.models.pointe.train.PointEGenerator;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The served Point-E base model ({@code genai4j serve --pointe DIR}): an image becomes a coloured
 * point cloud with {@link PointEGenerator}; a prompt goes through {@link TextToPointCloud}, whose
 * text-to-image model (the {@link Drawer}) is loaded on the first prompt, so image-only use never
 * loads it. The drawer is an instance of its own, apart from the server's {@code /v1/images/generations}
 * model even when both are the same folder, so each has one lock and one owner.
 *
 * <pre>{@code
 * PointCloudModel m = PointCloudModel.load("pointe", Path.of("runs/pointe"), drawer);
 * PointCloud pc = m.fromImage(image, 3f, 0L);                                        // m.points() points
 * TextToPointCloud.Result r = m.fromText("a red cube", TextToPointCloud.Options.defaults());
 * }</pre>
 */
public final class PointCloudModel implements AutoCloseable {
    /**
     * The text-to-image model that draws prompts.
     *
     * @param shippedFashionMnist true when it is the shipped Fashion-MNIST model (clothes, not the shape renders Point-E learns from)
     */
    public record Drawer(String id, Supplier<Path> folder, boolean shippedFashionMnist) {}

    private final String id;
    private final PointEGenerator generator;
    private final Drawer drawer;
    // made on the first prompt; guarded by the catalog's lock on this model
    private DiffusionPipeline drawing;
    private TextToPointCloud text;

    private PointCloudModel(String id, PointEGenerator generator, Drawer drawer) {
        this.id = id;
        this.generator = generator;
        this.drawer = drawer;
    }

    /**
     * @param location a run folder of {@code genai4j train pointe}, a model folder or a weights file with config.json beside it
     * @param drawer   the model that draws prompts, or null when the server has none (prompts are then a 404)
     */
    public static PointCloudModel load(String id, Path location, Drawer drawer) {
        return new PointCloudModel(id, PointEGenerator.load(location, null), drawer);
    }

    public String id() { return id; }

    /** The drawer, or null. */
    public Drawer drawer() { return drawer; }

    /** Points in every cloud the model makes (its n_ctx). */
    public int points() { return generator.config().nCtx(); }

    /** The cloud of one image; the same seed gives the same cloud. */
    public PointCloud fromImage(RgbImage image, float guidance, long seed) { return generator.generate(image, points(), guidance, seed); }

    /** The drawer's schedule length (the most sampling steps it takes), loading the drawer on first use. */
    public int drawingStepsLimit() { return textToCloud(); }

    /** Text → image → cloud, loading the drawer on first use. */
    public TextToPointCloud.Result fromText(String prompt, TextToPointCloud.Options options) {
        textToCloud();
        return text.generate(prompt, options);
    }

    private int textToCloud() {
        if (text == null) {
            if (drawer == null) {
                throw ApiException.notFound("model", "model_not_configured", "this server has no text-to-image model to draw the prompt with; "
                        + "start it with 'genai4j serve --pointe DIR --pointe-images DIR', or send an image");
            }
            drawing = ModelCalls.run(ModelCatalog.TEXT_TO_POINT_CLOUD, () -> DiffusionPipeline.load(drawer.folder().get()));
            text = TextToPointCloud.of(drawing, generator);
        }
        return drawing.schedule().length();
    }

    /** Frees the drawer's text encoder; the Point-E weights are memory-mapped and go with the generator. */
    @Override
    public void close() {
        if (text != null) text.close();
    }
}
