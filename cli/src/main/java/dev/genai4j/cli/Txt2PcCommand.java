package dev.genai4j.cli;

import dev.genai4j.data.DataException;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.models.diffusion.SampleImages;
import dev.genai4j.models.pointe.TextToPointCloud;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j txt2pc}: prompt → image → coloured point cloud ({@link TextToPointCloud}). */
@Command(name = "txt2pc",
        mixinStandardHelpOptions = true,
        description = {
                "Makes a coloured point cloud from a caption, as Point-E does: a text-to-image diffusion model",
                "(trained on the shape renders: 'genai4j train diffusion --data DIR') draws one 32x32 view, and a",
                "Point-E base model ('genai4j train pointe') turns the view into points with its Karras sampler.",
                "Writes a binary PLY (ASCII with --ascii); --preview writes the drawn view beside four views of",
                "the cloud; --image writes the drawn view alone. Words the shape data never uses (e.g. 'shiny',",
                "'dodecahedron') are reported as warnings and a cloud is still made. With --upsampler (a run of",
                "'genai4j train pointe --upsample') the cloud is upsampled to n_ctx + the upsampler's n_ctx points.",
                "",
                "Example:  genai4j txt2pc \"a red cube\" -o cube.ply --preview cube.png --seed 0 \\",
                "            --t2i-model runs/shapes-diffusion/checkpoint --model runs/pointe"
        })
final class Txt2PcCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROMPT", description = "the caption, e.g. \"a small red cone on top of a blue cube\"")
    String prompt;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PLY", description = "point cloud to write")
    Path output;

    @Option(names = "--preview", paramLabel = "PNG", description = "also write the drawn view and four views of the cloud")
    Path preview;

    @Option(names = "--image", paramLabel = "PNG", description = "also write the drawn view (the intermediate image)")
    Path image;

    @Option(names = "--t2i-model", paramLabel = "DIR", description = "text-to-image model folder (default ${DEFAULT-VALUE})")
    Path t2iModel = Path.of("runs/shapes-diffusion/checkpoint");

    @Option(names = "--model", paramLabel = "DIR", description = "Point-E run or model folder (default ${DEFAULT-VALUE})")
    Path model = Path.of("runs/pointe");

    @Option(names = "--upsampler", paramLabel = "DIR", description = "Point-E upsampler run or model folder; its low-res size must be the model's n_ctx")
    Path upsampler;

    @Option(names = "--upsample-start-sigma", paramLabel = "S", description = "with --upsampler, our option (0 = the reference's start from noise at "
            + "sigma 160): start the new points as jittered copies of the base cloud's points noised to sigma S (model space, e.g. 0.05) and "
            + "denoise from there (default ${DEFAULT-VALUE})")
    double upsampleStartSigma = 0;

    @Option(names = "--seed", paramLabel = "S", description = "seed of both stages (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--image-guidance", paramLabel = "G", description = "guidance of the text-to-image stage, 1 = none (default ${DEFAULT-VALUE})")
    float imageGuidance = 3f;

    @Option(names = "--image-steps", paramLabel = "N", description = "stochastic DDIM steps (eta 1) of the text-to-image stage (default ${DEFAULT-VALUE})")
    int imageSteps = dev.genai4j.models.diffusion.SamplerOptions.RECOMMENDED_STEPS;

    @Option(names = "--guidance", paramLabel = "G", description = "guidance of the image-to-cloud stage (default ${DEFAULT-VALUE})")
    float guidance = 3f;

    @Option(names = "--points", paramLabel = "N", description = "points: the model's n_ctx or a divisor of it; with --upsampler also n_ctx + the upsampler's n_ctx or a divisor "
            + "(default: the most the models make)")
    int points = 0;

    @Option(names = "--ascii", description = "write ASCII PLY")
    boolean ascii;

    @Option(names = "--threads", paramLabel = "T", description = "compute threads (default: all cores)")
    int threads = 0;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr(), out = spec.commandLine().getOut();
        try {
            if (prompt == null || prompt.isBlank()) throw new DataException("the prompt is empty; give a caption such as \"a red cube\"");
            TextToPointCloud.Options o = new TextToPointCloud.Options(seed, imageGuidance, imageSteps, guidance, points);
            requireModel(t2iModel, "text-to-image model", "genai4j train diffusion --data DIR --output runs/shapes-diffusion");
            requireModel(model, "Point-E model", "genai4j train pointe --data DIR -o runs/pointe");
            if (upsampler != null) requireModel(upsampler, "Point-E upsampler", "genai4j train pointe --upsample --data DIR -o runs/pointe-up");
            else if (upsampleStartSigma != 0) throw new IllegalArgumentException("--upsample-start-sigma sets how the upsampler samples; add --upsampler DIR");
            Img2PcCommand.checkWritableFile(output);                       // before minutes of sampling
            if (preview != null) Img2PcCommand.checkWritableFile(preview);
            if (image != null) Img2PcCommand.checkWritableFile(image);
            TextToPointCloud.Result[] r = new TextToPointCloud.Result[1];
            Runnable body = () -> {
                try (TextToPointCloud p = TextToPointCloud.load(t2iModel, model, upsampler, upsampleStartSigma)) {
                    p.resolvePoints(points);                                // a bad count fails before sampling
                    r[0] = p.generate(prompt, o);
                }
            };
            if (threads > 0) Parallel.withThreads(threads, body); else body.run();
            TextToPointCloud.Result res = r[0];
            for (String w : res.warnings()) err.println("txt2pc: warning: " + w);
            err.flush();
            PlyFile.write(output, res.cloud(), ascii ? PlyFile.Format.ASCII : PlyFile.Format.BINARY_LITTLE_ENDIAN);
            if (preview != null) res.preview(128).writePng(preview);
            if (image != null) writeImage(res, image);
            out.printf("%d points -> %s%s (image %.1f s, cloud %.1f s)%n", res.cloud().size(), output,
                    preview != null ? ", preview " + preview : "", res.imageSeconds(), res.cloudSeconds());
            out.flush();
            return 0;
        } catch (TensorException | IllegalArgumentException | DataException e) {
            String m = String.valueOf(e.getMessage());
            err.println(m.startsWith("txt2pc:") ? m : "txt2pc: " + m);
            err.flush();
            return ExitCodes.of(e);
        }
    }

    static void requireModel(Path p, String what, String howToMake) {
        if (!java.nio.file.Files.exists(p)) throw new MissingModelException(what + " " + p + " does not exist; train one with: " + howToMake);
    }

    private static void writeImage(TextToPointCloud.Result res, Path file) {
        var img = res.image();
        float[] chw = new float[3 * img.width() * img.height()];
        int plane = img.width() * img.height();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                for (int c = 0; c < 3; c++) chw[c * plane + y * img.width() + x] = img.get(x, y, c) / 127.5f - 1f;
            }
        }
        SampleImages.writePng(dev.genai4j.tensor.Tensor.of(chw, 1, 3, img.height(), img.width()), 0, 4, file);
    }
}
