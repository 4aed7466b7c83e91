package dev.genai4j.models.pointe;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;

/**
 * The constructor arguments of one of Point-E's point-cloud diffusion transformers
 * (arXiv 2212.08751; {@code point_e/models/configs.py} MODEL_CONFIGS style, {@code "name"} naming the
 * class). Point-E publishes no config file, so this record is what a {@code config.json} beside the
 * checkpoint holds: the constructor arguments plus the CLIP grid geometry ({@code grid_size},
 * {@code grid_feature_dim}; properties of the frozen CLIP, not constructor arguments).
 *
 * <pre>{@code
 * PointEConfig c = PointEConfig.from(JsonConfig.read(dir.resolve("config.json")));
 * int tokens = c.prefixTokens() + c.nCtx();   // time token + CLIP grid (+ low-res cloud) + points
 * }</pre>
 *
 * @param kind          which transformer: the base (grid-conditioned) model or the upsampler
 * @param nCtx          points the model denoises (the {@code n_ctx} argument: 1024 base, 3072 upsampler)
 * @param condCtx       low-resolution points the upsampler conditions on (0 for the base model)
 * @param gridSize      CLIP grid side: {@code gridSize²} image tokens are prepended
 * @param gridFeatureDim channels of one CLIP grid token
 * @param pointFrequencies our extension, 0 in the reference: with F > 0 every point token (noisy and low-res) also gets
 *                      sin and cos of 2^f·π·coordinate for f &lt; F of its three model-space coordinates
 *                      ({@code input_proj} and {@code cond_point_proj} take {@code input_channels} + 6F inputs), so that the
 *                      first attention layer can already compare positions at the scale of the point spacing
 */
public record PointEConfig(Kind kind, int inputChannels, int outputChannels, int nCtx, int width, int layers, int heads,
                           boolean timeTokenCond, int condCtx, int gridSize, int gridFeatureDim, int pointFrequencies) {
    /** Point features stop here: 2^15·π already oscillates faster than fp32 coordinates resolve. */
    public static final int MAX_POINT_FREQUENCIES = 16;

    /** The two published transformer classes. */
    public enum Kind {
        /** {@code CLIPImageGridPointDiffusionTransformer} (base40M: 1,024 points from an image). */
        GRID,
        /** {@code CLIPImageGridUpsamplePointDiffusionTransformer} (upsample40M: 1,024 → 4,096 points). */
        GRID_UPSAMPLE;

        static Kind of(String className) {
            return switch (className) {
                case "CLIPImageGridPointDiffusionTransformer" -> GRID;
                case "CLIPImageGridUpsamplePointDiffusionTransformer" -> GRID_UPSAMPLE;
                default -> throw new ConfigException("Point-E config: name '" + className + "' is not supported; expected "
                        + "CLIPImageGridPointDiffusionTransformer or CLIPImageGridUpsamplePointDiffusionTransformer");
            };
        }
    }

    public PointEConfig {
        if (width <= 0 || heads <= 0 || width % heads != 0 || layers <= 0) {
            throw new ConfigException("Point-E config: width " + width + " must be a positive multiple of heads " + heads
                    + " and layers (" + layers + ") positive");
        }
        if (inputChannels <= 0 || outputChannels <= 0 || nCtx <= 0 || gridSize <= 0 || gridFeatureDim <= 0 || condCtx < 0) {
            throw new ConfigException("Point-E config: input_channels " + inputChannels + ", output_channels " + outputChannels
                    + ", n_ctx " + nCtx + ", grid_size " + gridSize + ", grid_feature_dim " + gridFeatureDim
                    + " must be positive and cond_ctx " + condCtx + " non-negative");
        }
        if (kind == Kind.GRID && condCtx != 0) throw new ConfigException("Point-E config: cond_ctx " + condCtx + " needs the upsampler");
        if (pointFrequencies < 0 || pointFrequencies > MAX_POINT_FREQUENCIES || pointFrequencies > 0 && inputChannels < 3) {
            throw new ConfigException("Point-E config: point_frequencies " + pointFrequencies + " must be 0.." + MAX_POINT_FREQUENCIES
                    + " and needs the three xyz input channels (input_channels " + inputChannels + ")");
        }
    }

    /** The reference's transformers: no point frequency features. */
    public PointEConfig(Kind kind, int inputChannels, int outputChannels, int nCtx, int width, int layers, int heads,
                        boolean timeTokenCond, int condCtx, int gridSize, int gridFeatureDim) {
        this(kind, inputChannels, outputChannels, nCtx, width, layers, heads, timeTokenCond, condCtx, gridSize, gridFeatureDim, 0);
    }

    /** Reads {@code config.json}; the defaults are the reference constructors' own. */
    public static PointEConfig from(JsonConfig j) {
        Kind kind = Kind.of(j.getString("name"));
        boolean up = kind == Kind.GRID_UPSAMPLE;
        return new PointEConfig(kind, j.getInt("input_channels", 3), j.getInt("output_channels", 3),
                j.getInt("n_ctx", up ? 4096 - 1024 : 1024), j.getInt("width", 512), j.getInt("layers", 12), j.getInt("heads", 8),
                j.getBoolean("time_token_cond", false), up ? j.getInt("cond_ctx", 1024) : 0,
                j.getInt("grid_size", 16), j.getInt("grid_feature_dim", 1024),   // ViT-L/14 at 224: a 16×16 grid of 1024
                j.getInt("point_frequencies", 0));
    }

    /** Inputs of {@code input_proj} and {@code cond_point_proj}: the point's channels plus its frequency features. */
    public int pointFeatureChannels() { return inputChannels + 6 * pointFrequencies; }

    /** CLIP grid tokens per sample. */
    public int gridTokens() { return gridSize * gridSize; }

    /** Tokens ahead of the points, dropped after {@code ln_post}: time (when a token), grid, low-res cloud. */
    public int prefixTokens() { return (timeTokenCond ? 1 : 0) + gridTokens() + condCtx; }

    /** Channels per attention head. */
    public int headDim() { return width / heads; }
}
