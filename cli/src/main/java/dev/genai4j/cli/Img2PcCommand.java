package dev.genai4j.cli;

import dev.genai4j.data.DataException;
import dev.genai4j.data.render.PointCloudRenderer;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.models.clip.ImageFiles;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.models.pointe.train.PointEGenerator;
import dev.genai4j.models.pointe.train.PointEUpsampler;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j img2pc}: image → coloured 1,024-point cloud with a base Point-E model ({@link PointEGenerator}). */
@Command(name = "img2pc",
        mixinStandardHelpOptions = true,
        description = {
                "Makes a coloured point cloud from one image with a Point-E base model: the image's conditioning grid,",
                "then Point-E's Karras sampler (64 Heun steps, s_churn 3, classifier-free guidance on x0), written as",
                "a binary PLY (ASCII with --ascii) and, with --preview, a PNG of four views.",
                "--model takes a run folder of 'genai4j train pointe', a model folder (config.json + model.safetensors)",
                "or a .safetensors/.pt file with config.json beside it. With --upsampler (a run of 'genai4j train",
                "pointe --upsample') the base cloud is upsampled (σ_max 160, no churn) to n_ctx + the upsampler's n_ctx.",
                "",
                "Example:  genai4j img2pc render.png -o cloud.ply --preview cloud.png --model runs/pointe --seed 0",
                "          genai4j img2pc render.png -o dense.ply --model runs/pointe --upsampler runs/pointe-up"
        })
final class Img2PcCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "the image (PNG, JPEG …)")
    Path image;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PLY", description = "point cloud to write")
    Path output;

    @Option(names = "--preview", paramLabel = "PNG", description = "also write a 2x2-view preview")
    Path preview;

    @Option(names = "--model", paramLabel = "DIR", description = "model (default ${DEFAULT-VALUE})")
    Path model = Path.of("runs/pointe");

    @Option(names = "--clip", paramLabel = "DIR", description = "CLIP folder for CLIP-conditioned models")
    Path clip;

    @Option(names = "--upsampler", paramLabel = "DIR", description = "upsampler run or model folder ('genai4j train pointe --upsample'); "
            + "its low-res size must be the model's n_ctx")
    Path upsampler;

    @Option(names = "--upsample-start-sigma", paramLabel = "S", description = "with --upsampler, our option (0 = the reference's start from noise at "
            + "sigma 160): start the new points as jittered copies of the base cloud's points noised to sigma S (model space, e.g. 0.05) and "
            + "denoise from there (default ${DEFAULT-VALUE})")
    double upsampleStartSigma = 0;

    @Option(names = "--guidance", paramLabel = "G", description = "classifier-free guidance scale (default ${DEFAULT-VALUE})")
    float guidance = 3f;

    @Option(names = "--seed", paramLabel = "S", description = "sampling seed (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--points", paramLabel = "N", description = "points to make: the model's n_ctx, or with --upsampler n_ctx + the upsampler's n_ctx (default: the most the models make)")
    Integer points;

    @Option(names = "--ascii", description = "write ASCII PLY")
    boolean ascii;

    @Option(names = "--threads", paramLabel = "T", description = "compute threads (default: all cores)")
    int threads = 0;

    @Option(names = "--json", description = "print {image, points, output, preview, seconds}")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr(), out = spec.commandLine().getOut();
        try {
            checkWritableFile(output);
            if (preview != null) checkWritableFile(preview);
            RgbImage img = ImageFiles.read(image);
            PointEGenerator base = PointEGenerator.load(model, clip);
            if (upsampler == null && upsampleStartSigma != 0) {
                throw new IllegalArgumentException("--upsample-start-sigma sets how the upsampler samples; add --upsampler DIR");
            }
            PointEGenerator gen = upsampler != null ? base.withUpsampler(PointEUpsampler.load(upsampler, clip).withStartSigma(upsampleStartSigma)) : base;
            int n = points != null ? points : gen.maxPoints();
            long t0 = System.nanoTime();
            PointCloud[] pc = new PointCloud[1];
            try (Progress progress = Progress.start("img2pc", gen.samplingSteps(n), "steps", json)) {
                Runnable body = () -> pc[0] = gen.generate(img, n, guidance, seed, progress::stepTo);
                if (threads > 0) Parallel.withThreads(threads, body); else body.run();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            PlyFile.write(output, pc[0], ascii ? PlyFile.Format.ASCII : PlyFile.Format.BINARY_LITTLE_ENDIAN);
            if (preview != null) PointCloudRenderer.preview(pc[0], 128, 4, 2, 0.03).writePng(preview);
            if (json) {
                JsonResult.print(out, JsonResult.of("image", image, "points", pc[0].size(), "output", output, "preview", preview, "seconds", secs));
                return 0;
            }
            out.printf("%d points -> %s%s (sampling %.1f s)%n", pc[0].size(), output, preview != null ? ", preview " + preview : "", secs);
            out.flush();
            return 0;
        } catch (TensorException | IllegalArgumentException | DataException e) {
            err.println("img2pc: " + e.getMessage());
            err.flush();
            return 2;
        }
    }

    /** Fails before sampling (minutes) when the file's folder cannot be written. */
    static void checkWritableFile(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            if (Files.isDirectory(file)) throw new DataException("output " + file + " is a folder, not a file");
            Path probe = Files.createTempFile(dir, ".write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new DataException("output " + file + " is not writable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }
}
