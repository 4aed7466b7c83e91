package dev.genai4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.data.images.FashionMnist;
import dev.genai4j.models.diffusion.DefaultDiffusionModel;
import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.models.diffusion.DiffusionPipeline;
import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.eval.BaseModelEvaluation;
import dev.genai4j.models.diffusion.eval.FashionClassifier;
import dev.genai4j.models.diffusion.eval.LabeledImages;
import dev.genai4j.models.diffusion.eval.ShippedClassifier;
import dev.genai4j.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j eval diffusion}: the base text-to-image model judged by the independent classifier ({@link BaseModelEvaluation}). */
@Command(name = "diffusion",
        mixinStandardHelpOptions = true,
        description = {
                "Samples N images for each Fashion-MNIST class prompt (DDIM, eta 0 as txt2img unless --eta; class c with seed",
                "SEED + 1000*c) and scores them with the shipped independent judge CNN (trained on the training",
                "split only, never a reward): its accuracy on the prompted class, overall and per class; the",
                "Fréchet distance in the judge's 128-d feature space to --real held-out test images (seeded,",
                "class-balanced); as a yardstick the same distance for as many other real test images as there",
                "are samples (what a perfect model would score at this size); and diversity, the mean",
                "within-class pairwise feature distance, of the samples and of those real images.",
                "--guidance-rescale and --dynamic-threshold measure txt2img's fixes for over-saturation at high guidance.",
                "",
                "Example:  genai4j eval diffusion --per-class 10 --guidance 3 --steps 25 --grid out/eval-grid.png"
        })
final class EvalDiffusionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", description = "model folder (a run's checkpoint folder); default: the shipped Fashion-MNIST model")
    Path model;

    @Option(names = "--per-class", paramLabel = "N", description = "samples per class, 10 classes (default ${DEFAULT-VALUE})")
    int perClass = 10;

    @Option(names = "--guidance", paramLabel = "G", description = "classifier-free guidance weight ≥ 0; 1 = no guidance (default ${DEFAULT-VALUE})")
    float guidance = 3f;

    @Option(names = "--steps", paramLabel = "S", description = "DDIM steps, 1 .. the schedule length (default ${DEFAULT-VALUE})")
    int steps = 25;

    @Option(names = "--eta", paramLabel = "E", description = "DDIM η: 0 deterministic (txt2img's default), 1 DDPM-like noise (default ${DEFAULT-VALUE})")
    float eta = 0f;

    @Mixin
    SaturationOptions saturation;

    @Option(names = "--seed", paramLabel = "X", description = "noise seed of class 0 (class c: X + 1000*c) and of the real-image choice (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--prompt-template", paramLabel = "T", description = "prompt with {} for the class word (default \"${DEFAULT-VALUE}\")")
    String template = BaseModelEvaluation.DEFAULT_TEMPLATE;

    @Option(names = "--real", paramLabel = "N", description = "real held-out test images in the Fréchet reference set (default ${DEFAULT-VALUE})")
    int real = 1000;

    @Option(names = "--grid", paramLabel = "PNG", description = "also write the samples as a grid, one row per class, tiles labelled with the judge's class")
    Path grid;

    @Option(names = "--threads", paramLabel = "N", description = "compute threads, 0 = all cores (default ${DEFAULT-VALUE})")
    int threads = 0;

    @Option(names = "--json", description = "print the result as JSON on stdout instead of the table")
    boolean json;

    @Override
    public Integer call() {
        BaseModelEvaluation.Options o;
        Path dir;
        try {   // everything a user can get wrong is checked before the text encoder, the data and the judge load
            o = new BaseModelEvaluation.Options(perClass, guidance, steps, eta, seed, template, real, saturation.guidanceRescale, saturation.threshold());
            if (threads < 0) throw new IllegalArgumentException("--threads must be ≥ 0, got " + threads);
            dir = model != null ? model : DefaultDiffusionModel.folder();
            int length = NoiseSchedule.read(dir.resolve(NoiseSchedule.CONFIG_FILE)).length();
            if (steps > length) throw new DiffusionException("--steps must lie in 1.." + length + " (the model's num_train_timesteps), got " + steps);
        } catch (DiffusionException | IllegalArgumentException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("eval diffusion: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        long t0 = System.nanoTime();
        BaseModelEvaluation.Result[] result = new BaseModelEvaluation.Result[1];
        Runnable body = () -> {
            FashionMnist fm = FashionMnist.load();
            LabeledImages test = LabeledImages.fashionMnist(fm, fm.standardSplit().test());
            FashionClassifier judge = ShippedClassifier.EVALUATOR.load();
            try (DiffusionPipeline p = DiffusionPipeline.load(dir);
                 Progress progress = Progress.start("eval diffusion", BaseModelEvaluation.totalSteps(o, judge.config().numClasses()), "steps", json)) {
                result[0] = BaseModelEvaluation.evaluate(p, judge, test, o, progress::stepTo);
            }
        };
        if (threads > 0) Parallel.withThreads(threads, body); else body.run();
        BaseModelEvaluation.Result r = result[0];
        if (grid != null) r.writeGrid(grid);
        double seconds = (System.nanoTime() - t0) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = r.toJson();
            n.put("model", dir.toString());
            if (grid != null) n.put("grid", grid.toString());
            n.put("seconds", seconds);
            out.println(n.toPrettyString());
        } else {
            out.println("model: " + dir);
            out.print(r.table());
            if (grid != null) out.println("grid: " + grid);
            out.printf(java.util.Locale.ROOT, "%.1f s%n", seconds);
        }
        out.flush();
        return 0;
    }
}
