package dev.genai4j.models.pointe.train;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.io.Weights;
import dev.genai4j.models.pointe.GaussianDiffusion;
import dev.genai4j.models.pointe.PointEConfig;
import dev.genai4j.models.pointe.PointETransformer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Point-E model on disk, base or upsampler: a training run folder ({@code <run>/model}), a model folder
 * ({@code config.json} + {@code model.safetensors}) or a weights file with {@code config.json} beside it; its
 * conditioning grid from the config's {@code conditioning} (or a CLIP folder) and its diffusion schedule from
 * {@code diffusion} (cosine unless the config names another).
 *
 * <pre>{@code
 * ModelFolder f = ModelFolder.read(Path.of("runs/pointe-up"), null);
 * f.config().kind();   // GRID_UPSAMPLE
 * }</pre>
 */
record ModelFolder(Path configFile, PointEConfig config, PointETransformer model, GaussianDiffusion diffusion, ImageGrid grid) {

    static ModelFolder read(Path location, Path clipOverride) {
        Path weightsPath = location, configFile;
        if (Files.isDirectory(location)) {
            if (Files.isRegularFile(location.resolve(PointETrainer.MODEL_DIR).resolve("config.json"))) {
                weightsPath = location.resolve(PointETrainer.MODEL_DIR);   // a training run folder
            }
            configFile = weightsPath.resolve("config.json");
        } else if (Files.isRegularFile(location)) {
            configFile = location.toAbsolutePath().getParent().resolve("config.json");
        } else {
            throw new ConfigException("Point-E model: " + location + " does not exist (expected a run folder, a model folder or a .safetensors/.pt file)");
        }
        if (!Files.isRegularFile(configFile)) {
            throw new ConfigException("Point-E model: " + configFile + " not found; a model needs its config.json (name, width, layers, heads, n_ctx, grid_size, grid_feature_dim)");
        }
        JsonConfig json = JsonConfig.read(configFile);
        PointEConfig cfg = PointEConfig.from(json);
        ImageGrid g;
        if (json.has("conditioning")) {
            g = ImageGrid.fromJson(JsonConfig.parse(json.tree().get("conditioning").toString(), configFile + "#conditioning"), clipOverride);
        } else if (clipOverride != null) {
            g = ClipGrid.load(clipOverride);
        } else {
            throw new ConfigException("Point-E model: " + configFile + " names no conditioning; pass the CLIP folder it was trained with (--clip DIR; "
                    + "the released base models need CLIP ViT-L/14)");
        }
        if (g.gridSize() != cfg.gridSize() || g.featureDim() != cfg.gridFeatureDim()) {
            throw new ConfigException("Point-E model: the conditioning gives a " + g.gridSize() + "×" + g.gridSize() + " grid of " + g.featureDim()
                    + " but " + configFile + " expects " + cfg.gridSize() + "×" + cfg.gridSize() + " of " + cfg.gridFeatureDim());
        }
        var d = json.has("diffusion") ? json.tree().get("diffusion") : null;
        int timesteps = d != null ? d.path("timesteps").asInt(1024) : 1024;
        // the reference's schedules: cosine for the base models, linear for the upsampler
        String schedule = d != null && d.hasNonNull("schedule") ? d.get("schedule").asText()
                : cfg.kind() == PointEConfig.Kind.GRID_UPSAMPLE ? "linear" : "cosine";
        GaussianDiffusion diffusion = GaussianDiffusion.of(schedule, timesteps, GaussianDiffusion.DEFAULT_SCALES, GaussianDiffusion.DEFAULT_BIASES);
        return new ModelFolder(configFile, cfg, PointETransformer.load(Weights.open(weightsPath), cfg), diffusion, g);
    }
}
