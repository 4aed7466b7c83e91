package dev.genai4j.models.pointe;

import dev.genai4j.data.render.PointCloudRenderer;
import dev.genai4j.data.render.RgbRaster;
import dev.genai4j.data.shapes.CaptionParser;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.io.ConfigException;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.models.diffusion.DiffusionPipeline;
import dev.genai4j.models.diffusion.SamplerOptions;
import dev.genai4j.models.pointe.train.PointEGenerator;
import dev.genai4j.models.pointe.train.PointEUpsampler;
import dev.genai4j.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Point-E's text → 3D pipeline (arXiv 2212.08751 §4): a text-to-image diffusion model draws one
 * synthetic view of the prompt, and the image-conditioned point-cloud diffusion transformer turns
 * that view into coloured points. The prompt is also read by {@link CaptionParser}, only to warn
 * about words the shape data never uses ("a shiny dodecahedron" still gives a cloud, with a warning
 * that the models were never taught those words).
 *
 * <p>The image model here is the 32 × 32 RGB UNet trained on the shape renders ({@code genai4j train
 * diffusion --data DIR}); the Point-E model is a run of {@code genai4j train pointe}. Without an upsampler a
 * cloud has the base model's {@code n_ctx} points, or a divisor of it (a seeded random subset); with one
 * ({@code genai4j train pointe --upsample}) the base cloud is upsampled to n_ctx + the upsampler's n_ctx points
 * (or a divisor of that).
 *
 * <pre>{@code
 * try (TextToPointCloud p = TextToPointCloud.load(Path.of("runs/shapes-diffusion/checkpoint"), Path.of("runs/pointe"))) {
 *     TextToPointCloud.Result r = p.generate("a red cube", TextToPointCloud.Options.defaults().withSeed(7));
 *     PlyFile.write(Path.of("cube.ply"), r.cloud(), PlyFile.Format.BINARY_LITTLE_ENDIAN);
 *     r.warnings();   // [] for a caption made of known words
 * }
 * }</pre>
 */
public final class TextToPointCloud implements AutoCloseable {
    /**
     * @param seed           seeds both stages (the image noise and the cloud's noise and churn)
     * @param imageGuidance  classifier-free guidance of the text → image stage (1 = none)
     * @param imageSteps     DDIM steps of the image stage
     * @param cloudGuidance  classifier-free guidance of the image → cloud stage (Point-E uses 3)
     * @param points         points in the cloud; 0 = the most the models make (n_ctx, plus the upsampler's n_ctx)
     */
    public record Options(long seed, float imageGuidance, int imageSteps, float cloudGuidance, int points) {
        public Options {
            if (!(imageGuidance >= 0) || !(cloudGuidance >= 0)) {
                throw new ConfigException("txt2pc: guidance must be ≥ 0, got image " + imageGuidance + ", cloud " + cloudGuidance);
            }
            if (imageSteps < 1) throw new ConfigException("txt2pc: image sampling steps must be ≥ 1, got " + imageSteps);
            if (points < 0) throw new ConfigException("txt2pc: point count must be > 0 (or 0 for the model's own), got " + points);
        }

        /** Seed 0, image guidance 3 with txt2img's sampler (15 stochastic DDIM steps), cloud guidance 3, the model's point count. */
        public static Options defaults() { return new Options(0, 3f, SamplerOptions.RECOMMENDED_STEPS, 3f, 0); }

        public Options withSeed(long s) { return new Options(s, imageGuidance, imageSteps, cloudGuidance, points); }

        public Options withPoints(int n) { return new Options(seed, imageGuidance, imageSteps, cloudGuidance, n); }

        public Options withGuidance(float image, float cloud) { return new Options(seed, image, imageSteps, cloud, points); }

        public Options withImageSteps(int s) { return new Options(seed, imageGuidance, s, cloudGuidance, points); }
    }

    /**
     * @param cloud         the coloured points (xyz in the data's units, rgb in [0, 1])
     * @param image         the intermediate view drawn by the text → image model
     * @param warnings      words of the prompt the shape data never uses and what was guessed; empty when all known
     * @param imageSeconds  wall time of the text → image stage
     * @param cloudSeconds  wall time of the image → cloud stage
     */
    public record Result(String prompt, PointCloud cloud, RgbImage image, List<String> warnings, double imageSeconds, double cloudSeconds) {
        public Result {
            warnings = List.copyOf(warnings);
        }

        /** The intermediate image (scaled up, nearest) beside four views of the cloud, each {@code size} pixels square. */
        public RgbRaster preview(int size) {
            RgbRaster views = PointCloudRenderer.preview(cloud, size, 4, 4, 0.03);
            List<RgbRaster> tiles = new ArrayList<>();
            tiles.add(scaled(image, size));
            for (int v = 0; v < 4; v++) tiles.add(crop(views, v * size, size));
            return RgbRaster.tile(tiles, 5);
        }
    }

    private final DiffusionPipeline images;
    private final PointEGenerator clouds;

    private TextToPointCloud(DiffusionPipeline images, PointEGenerator clouds) {
        if (images.unet().config().outChannels() != 3 && images.unet().config().outChannels() != 1) {
            throw new ConfigException("txt2pc: the text → image model makes " + images.unet().config().outChannels() + "-channel images; need RGB (or grey)");
        }
        this.images = images;
        this.clouds = clouds;
    }

    /** Both stages already in memory (tests, a server holding the models). The pipeline is closed by {@link #close()}. */
    public static TextToPointCloud of(DiffusionPipeline textToImage, PointEGenerator imageToCloud) {
        return new TextToPointCloud(textToImage, imageToCloud);
    }

    /**
     * @param textToImageModel a text → image model folder (a {@code train diffusion} run's {@code checkpoint/})
     * @param pointeModel      a {@code train pointe} run folder, its {@code model/} folder, or a weights file with config.json beside it
     */
    public static TextToPointCloud load(Path textToImageModel, Path pointeModel) { return load(textToImageModel, pointeModel, null); }

    /**
     * As {@link #load(Path, Path)}, with the upsampler of a {@code train pointe --upsample} run (null: none).
     *
     * @throws ConfigException when the upsampler's low-res size or image grid does not match the base model
     */
    public static TextToPointCloud load(Path textToImageModel, Path pointeModel, Path upsamplerModel) {
        return load(textToImageModel, pointeModel, upsamplerModel, 0);
    }

    /** As {@link #load(Path, Path, Path)}, the upsampler starting from jittered copies at {@code upsampleStartSigma} (0: from noise, the reference). */
    public static TextToPointCloud load(Path textToImageModel, Path pointeModel, Path upsamplerModel, double upsampleStartSigma) {
        if (!Files.isDirectory(textToImageModel)) {
            throw new ConfigException("txt2pc: text → image model " + textToImageModel + " is not a folder (expected the checkpoint/ folder of "
                    + "'genai4j train diffusion --data <shapes dir>')");
        }
        PointEGenerator gen = PointEGenerator.load(pointeModel, null);     // the cheaper, more often wrong paths first
        if (upsamplerModel != null) gen = gen.withUpsampler(PointEUpsampler.load(upsamplerModel, null).withStartSigma(upsampleStartSigma));
        return new TextToPointCloud(DiffusionPipeline.load(textToImageModel), gen);
    }

    /** Points of one cloud from the base model (its n_ctx). */
    public int modelPoints() { return clouds.config().nCtx(); }

    /** Points of the fullest cloud: the base model's n_ctx, plus the upsampler's n_ctx when there is one. */
    public int maxPoints() { return clouds.maxPoints(); }

    /**
     * Checks a requested point count: {@code n_ctx} or a divisor of it (the base model alone), or with an upsampler
     * {@link #maxPoints()} or a divisor of it (both stages).
     *
     * @throws ConfigException naming the counts these models can give
     */
    public int resolvePoints(int requested) {
        int n = modelPoints(), max = maxPoints();
        if (requested == 0) return max;
        if (requested > 0 && (n % requested == 0 || max % requested == 0)) return requested;
        if (max == n) {
            throw new ConfigException("txt2pc: this Point-E model makes " + n + " points per cloud (n_ctx) and no upsampler was given "
                    + "(--upsampler DIR, trained with 'genai4j train pointe --upsample --low-res " + n + "'); ask for " + n
                    + " or a count it is a multiple of (e.g. " + n / 2 + ", " + n / 4 + "), not " + requested);
        }
        throw new ConfigException("txt2pc: this Point-E model makes " + n + " points per cloud (n_ctx) and with its upsampler " + max + " ("
                + n + " + " + (max - n) + "); ask for " + max + ", " + n + " or a count one of them is a multiple of (e.g. " + max / 2 + ", "
                + n / 2 + "), not " + requested);
    }

    /** The stage that gives {@code points}: the base cloud when it divides n_ctx (cheaper), else the upsampled one. */
    private int stagePoints(int points) { return modelPoints() % points == 0 ? modelPoints() : maxPoints(); }

    /** Text → image → cloud; same prompt, options and models give the same cloud. Calls are serialized. */
    public synchronized Result generate(String prompt, Options o) {
        if (prompt == null || prompt.isBlank()) throw new ConfigException("txt2pc: the prompt is empty; give a caption such as \"a red cube\"");
        int points = resolvePoints(o.points());
        List<String> warnings = new ArrayList<>();
        for (String w : CaptionParser.parse(prompt).warnings()) warnings.add(w + " (the models were trained on shape captions only; the result may not follow the prompt)");

        long t0 = System.nanoTime();
        Tensor x = images.generate(List.of(prompt), SamplerOptions.ddim(o.imageSteps(), SamplerOptions.RECOMMENDED_ETA, o.imageGuidance()), o.seed());   // [1, C, S, S] in [-1, 1]
        RgbImage image = toRgb(x);
        if (x.size(1) == 1) warnings.add("the text → image model draws grey images; Point-E gets them as grey RGB, so the cloud's colours are guesses");
        long t1 = System.nanoTime();
        PointCloud cloud = clouds.generate(image, stagePoints(points), o.cloudGuidance(), o.seed());
        if (points < cloud.size()) cloud = subset(cloud, points, o.seed());
        long t2 = System.nanoTime();
        return new Result(prompt, cloud, image, warnings, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }

    /**
     * The image → cloud stage alone on a given image (img2pc, or evaluating Point-E on real renders); the
     * prompt is only checked for unknown words. {@code imageSeconds} is 0.
     */
    public synchronized Result generateFromImage(String prompt, RgbImage image, Options o) {
        int points = resolvePoints(o.points());
        List<String> warnings = new ArrayList<>();
        if (prompt != null) for (String w : CaptionParser.parse(prompt).warnings()) warnings.add(w);
        long t0 = System.nanoTime();
        PointCloud cloud = clouds.generate(image, stagePoints(points), o.cloudGuidance(), o.seed());
        if (points < cloud.size()) cloud = subset(cloud, points, o.seed());
        return new Result(prompt == null ? "" : prompt, cloud, image, warnings, 0, (System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void close() { images.close(); }

    /** Image 0 of x [B, 1|3, H, W] in [-1, 1] as 8-bit RGB (grey repeated). */
    static RgbImage toRgb(Tensor x) {
        int c = x.size(1), h = x.size(2), w = x.size(3);
        float[] d = x.contiguous().toFloatArray();
        byte[] rgb = new byte[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                for (int k = 0; k < 3; k++) {
                    float v = d[(c == 3 ? k : 0) * h * w + y * w + xx];
                    rgb[3 * (y * w + xx) + k] = (byte) Math.max(0, Math.min(255, Math.round((v + 1f) * 127.5f)));
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** {@code n} distinct points chosen by a seeded partial shuffle (keeps the cloud's spread). */
    static PointCloud subset(PointCloud cloud, int n, long seed) {
        return cloud.randomSubset(n, new java.util.SplittableRandom(seed ^ 0x5DEECE66DL)::nextInt);
    }

    private static RgbRaster scaled(RgbImage img, int size) {
        byte[] out = new byte[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int sx = x * img.width() / size, sy = y * img.height() / size;
                for (int k = 0; k < 3; k++) out[3 * (y * size + x) + k] = (byte) img.get(sx, sy, k);
            }
        }
        return new RgbRaster(size, size, out);
    }

    private static RgbRaster crop(RgbRaster strip, int x0, int size) {
        byte[] out = new byte[3 * size * size];
        for (int y = 0; y < size; y++) System.arraycopy(strip.rgb(), 3 * (y * strip.width() + x0), out, 3 * y * size, 3 * size);
        return new RgbRaster(size, size, out);
    }
}
