package dev.genai4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.data.images.FashionMnist;
import dev.genai4j.models.diffusion.ClassPrompts;
import dev.genai4j.models.diffusion.DefaultDiffusionModel;
import dev.genai4j.models.diffusion.DiffusionException;
import dev.genai4j.models.diffusion.DiffusionPipeline;
import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.SamplerOptions;
import dev.genai4j.models.diffusion.eval.BaseModelEvaluation;
import dev.genai4j.models.diffusion.eval.FashionClassifier;
import dev.genai4j.models.diffusion.eval.LabeledImages;
import dev.genai4j.models.diffusion.eval.PairedComparison;
import dev.genai4j.models.diffusion.eval.ShippedClassifier;
import dev.genai4j.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code genai4j eval diffusion}: the base text-to-image model judged by the independent classifier ({@link BaseModelEvaluation}). */
@Command(name = "diffusion",
        mixinStandardHelpOptions = true,
        description = {
                "Samples N images for each Fashion-MNIST class prompt (DDIM with txt2img's defaults unless told; class c with seed",
                "SEED + 1000*c) and scores them with the shipped independent judge CNN (trained on the training",
                "split only, never a reward): its accuracy on the prompted class, overall and per class; the",
                "Fréchet distance in the judge's 128-d feature space to --real held-out test images (seeded,",
                "class-balanced); as a yardstick the same distance for as many other real test images as there",
                "are samples (what a perfect model would score at this size); and diversity, the mean",
                "within-class pairwise feature distance, of the samples and of those real images.",
                "--guidance-rescale and --dynamic-threshold measure txt2img's fixes for over-saturation at high guidance.",
                "",
                "--classes evaluates some classes only (the same images a full run makes for them, and a real",
                "reference of those classes alone): how to judge a model fine-tuned on a few prompts. --baseline",
                "evaluates a second model on the very same noise and reports the paired difference: the",
                "samples only one of the two gets right, and McNemar's exact test on them (p < 0.05: the",
                "difference is unlikely to be luck of the draw).",
                "",
                "Example:  genai4j eval diffusion --per-class 10 --guidance 3 --steps 25 --grid out/eval-grid.png",
                "          genai4j eval diffusion --model runs/rl/dpok/model --baseline trained/diffusion-fashion \\",
                "                 --classes t-shirt,sandal,sneaker,'ankle boot' --per-class 100 --steps 10 --eta 1"
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
    int steps = SamplerOptions.RECOMMENDED_STEPS;

    @Option(names = "--eta", paramLabel = "E", description = "DDIM η: 0 deterministic, 1 DDPM-like noise (default ${DEFAULT-VALUE}, as txt2img)")
    float eta = SamplerOptions.RECOMMENDED_ETA;

    @Mixin
    SaturationOptions saturation;

    @Option(names = "--seed", paramLabel = "X", description = "noise seed of class 0 (class c: X + 1000*c) and, unless --real-seed says otherwise, of the real-image choice (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--real-seed", paramLabel = "Y", description = "seed of the real-image choice alone (default: --seed); vary one of the two to see how much of a Fréchet distance's spread is the sample noise and how much the reference set")
    Long realSeed;

    @Option(names = "--prompt-template", paramLabel = "T", description = "prompt with {} for the class word (default \"${DEFAULT-VALUE}\")")
    String template = BaseModelEvaluation.DEFAULT_TEMPLATE;

    @Option(names = "--real", paramLabel = "N", description = "real held-out test images in the Fréchet reference set (default ${DEFAULT-VALUE})")
    int real = 1000;

    @Option(names = "--classes", split = ",", paramLabel = "NAME", description = "evaluate only these Fashion-MNIST classes (words as in prompts: t-shirt, trouser, …, ankle boot); default all ten")
    List<String> classes;

    @Option(names = "--baseline", paramLabel = "DIR", description = "also evaluate this model folder on the same noise and report the paired difference (McNemar's exact test)")
    Path baseline;

    @Option(names = "--grid", paramLabel = "PNG", description = "also write the samples as a grid, one row per class, tiles labelled with the judge's class")
    Path grid;

    @Option(names = "--threads", paramLabel = "N", description = "compute threads, 0 = all cores (default ${DEFAULT-VALUE})")
    int threads = 0;

    @Option(names = "--json", description = "print the result as JSON on stdout instead of the table")
    boolean json;

    /** Class words → labels (null for all), or a usage error naming the unknown word and the valid ones. */
    private static int[] labels(List<String> words) {
        if (words == null) return null;
        List<String> known = ClassPrompts.fashionMnist().classNames();
        int[] out = new int[words.size()];
        for (int i = 0; i < out.length; i++) {
            String w = words.get(i).trim().toLowerCase(java.util.Locale.ROOT);
            out[i] = known.indexOf(w);
            if (out[i] < 0) throw new IllegalArgumentException("--classes: unknown class '" + words.get(i) + "'; Fashion-MNIST classes: " + String.join(", ", known));
            for (int j = 0; j < i; j++) if (out[j] == out[i]) throw new IllegalArgumentException("--classes: '" + words.get(i) + "' is given twice");
        }
        return out;
    }

    @Override
    public Integer call() {
        BaseModelEvaluation.Options o;
        Path dir;
        int[] labels;
        try {   // everything a user can get wrong is checked before the text encoder, the data and the judge load
            o = new BaseModelEvaluation.Options(perClass, guidance, steps, eta, seed, template, real, saturation.guidanceRescale,
                    saturation.threshold(), realSeed != null ? realSeed : seed);
            if (threads < 0) throw new IllegalArgumentException("--threads must be ≥ 0, got " + threads);
            dir = model != null ? model : DefaultDiffusionModel.folder();
            labels = labels(classes);
            for (Path d : baseline == null ? List.of(dir) : List.of(dir, baseline)) {
                int length = NoiseSchedule.read(d.resolve(NoiseSchedule.CONFIG_FILE)).length();
                if (steps > length) throw new DiffusionException("--steps must lie in 1.." + length + " (" + d + ": num_train_timesteps), got " + steps);
            }
        } catch (DiffusionException | IllegalArgumentException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("eval diffusion: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        long t0 = System.nanoTime();
        BaseModelEvaluation.Result[] result = new BaseModelEvaluation.Result[2];
        Runnable body = () -> {
            FashionMnist fm = FashionMnist.load();
            LabeledImages test = LabeledImages.fashionMnist(fm, fm.standardSplit().test());
            FashionClassifier judge = ShippedClassifier.EVALUATOR.load();
            int n = labels == null ? judge.config().numClasses() : labels.length;
            List<Path> dirs = baseline == null ? List.of(dir) : List.of(dir, baseline);
            for (int i = 0; i < dirs.size(); i++) {
                String what = dirs.size() == 1 ? "eval diffusion" : i == 0 ? "eval diffusion (model)" : "eval diffusion (baseline)";
                try (DiffusionPipeline p = DiffusionPipeline.load(dirs.get(i));
                     Progress progress = Progress.start(what, BaseModelEvaluation.totalSteps(o, n), "steps", json)) {
                    result[i] = BaseModelEvaluation.evaluate(p, judge, test, o, labels, progress::stepTo);
                }
            }
        };
        if (threads > 0) Parallel.withThreads(threads, body); else body.run();
        BaseModelEvaluation.Result r = result[0];
        PairedComparison paired = baseline == null ? null : PairedComparison.of(r, result[1]);
        if (grid != null) r.writeGrid(grid);
        double seconds = (System.nanoTime() - t0) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = r.toJson();
            n.put("model", dir.toString());
            if (grid != null) n.put("grid", grid.toString());
            if (paired != null) {
                ObjectNode b = result[1].toJson();
                b.put("model", baseline.toString());
                n.set("baseline", b);
                n.set("paired", paired.toJson());
            }
            n.put("seconds", seconds);
            out.println(n.toPrettyString());
        } else {
            out.println("model: " + dir);
            out.print(r.table());
            if (grid != null) out.println("grid: " + grid);
            if (paired != null) {
                BaseModelEvaluation.Result b = result[1];
                out.println();
                out.println("baseline: " + baseline);
                out.printf(java.util.Locale.ROOT, "judge accuracy %.1f %%, Fréchet distance %.3f, diversity %.3f%n",
                        100 * b.accuracy(), b.frechet(), b.sampleDiversity());
                out.println("paired (same noise): " + paired.summary());
            }
            out.printf(java.util.Locale.ROOT, "%.1f s%n", seconds);
        }
        out.flush();
        return 0;
    }
}
