package dev.genai4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.genai4j.data.DataException;
import dev.genai4j.data.shapes.OutputFiles;
import dev.genai4j.models.pointe.TextToPointCloud;
import dev.genai4j.models.clip.train.ClipTowers;
import dev.genai4j.models.pointe.eval.ClipRPrecision;
import dev.genai4j.models.pointe.eval.PointNetClassifier;
import dev.genai4j.models.pointe.eval.TextToCloudEval;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.TensorException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code genai4j pointe eval}: shape/colour accuracy and Chamfer of text → image → cloud on held-out captions ({@link TextToCloudEval}). */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = {
                "Runs the text -> image -> cloud pipeline on the held-out single-primitive scenes of a 'genai4j pointe",
                "data' set (the last --hold-out scenes, which 'train pointe' and 'train diffusion --data' leave out)",
                "and reports the shape accuracy a PointNet trained on ground-truth clouds gives, the colour accuracy,",
                "and the mean Chamfer distance to the caption's ground truth next to a random-primitive baseline.",
                "--from-renders gives Point-E each scene's own render instead (the image -> cloud stage alone).",
                "--clip-model DIR (a 'genai4j train clip --shapes' checkpoint) adds CLIP R-precision: R@1 of the",
                "generated clouds, the scenes' ground-truth clouds (upper bound) and the random-primitive baseline",
                "clouds against the distinct captions of all held-out single-primitive scenes (chance = 1/pool).",
                "--upsampler DIR (a 'genai4j train pointe --upsample' run) judges the upsampled clouds instead, as",
                "'txt2pc --upsampler' makes them; --upsample-start-sigma S starts it from jittered copies (our option).",
                "",
                "Example:  genai4j pointe eval --data data/shapes --t2i-model runs/shapes-diffusion/checkpoint \\",
                "            --model runs/pointe --classifier runs/pointnet --limit 28 -o eval.json --threads 1"
        })
final class PointeEvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the 'pointe data' set the models were trained on")
    Path data;

    @Option(names = "--hold-out", paramLabel = "N", description = "held-out scenes at the end of the set (default ${DEFAULT-VALUE})")
    int holdOut = 100;

    @Option(names = "--t2i-model", required = true, paramLabel = "DIR", description = "text-to-image model folder")
    Path t2iModel;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Point-E run or model folder")
    Path model;

    @Option(names = "--classifier", required = true, paramLabel = "DIR", description = "PointNet folder ('genai4j train pointnet')")
    Path classifier;

    @Option(names = "--limit", paramLabel = "N", description = "judge at most N scenes, 0 = all (default ${DEFAULT-VALUE})")
    int limit = 0;

    @Option(names = "--from-renders", description = "feed the held-out renders to Point-E (no text-to-image stage)")
    boolean fromRenders;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the first scene; the next get S+1, ... (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--image-guidance", paramLabel = "G", description = "text-to-image guidance (default ${DEFAULT-VALUE})")
    float imageGuidance = 3f;

    @Option(names = "--image-steps", paramLabel = "N", description = "text-to-image stochastic DDIM steps, eta 1 (default ${DEFAULT-VALUE})")
    int imageSteps = dev.genai4j.models.diffusion.SamplerOptions.RECOMMENDED_STEPS;

    @Option(names = "--guidance", paramLabel = "G", description = "image-to-cloud guidance (default ${DEFAULT-VALUE})")
    float guidance = 3f;

    @Option(names = "--upsampler", paramLabel = "DIR", description = "Point-E upsampler run or model folder: judge the upsampled clouds")
    Path upsampler;

    @Option(names = "--upsample-start-sigma", paramLabel = "S", description = "with --upsampler: 0 = from noise as the reference; "
            + "S > 0 = from jittered copies of the base cloud noised to sigma S (as txt2pc; default ${DEFAULT-VALUE})")
    double upsampleStartSigma = 0;

    @Option(names = "--clip-model", paramLabel = "DIR", description = "shape CLIP ('genai4j train clip --shapes', its checkpoint/) for R-precision")
    Path clipModel;

    @Option(names = {"-o", "--output"}, paramLabel = "JSON", description = "write the summary and every row as JSON")
    Path output;

    @Option(names = "--threads", paramLabel = "T", description = "compute threads (default: all cores)")
    int threads = 0;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr(), out = spec.commandLine().getOut();
        try {
            if (output != null) Img2PcCommand.checkWritableFile(output);
            Txt2PcCommand.requireModel(t2iModel, "text-to-image model", "genai4j train diffusion --data DIR --output runs/shapes-diffusion");
            Txt2PcCommand.requireModel(model, "Point-E model", "genai4j train pointe --data DIR -o runs/pointe");
            Txt2PcCommand.requireModel(classifier, "PointNet classifier", "genai4j train pointnet");
            if (upsampler != null) Txt2PcCommand.requireModel(upsampler, "Point-E upsampler", "genai4j train pointe --upsample --data DIR -o runs/pointe-up");
            else if (upsampleStartSigma != 0) throw new IllegalArgumentException("--upsample-start-sigma sets how the upsampler samples; add --upsampler DIR");
            if (clipModel != null) Txt2PcCommand.requireModel(clipModel, "shape CLIP", "genai4j train clip --shapes DIR --output runs/clip-shapes");
            List<TextToCloudEval.Case> cases = TextToCloudEval.heldOutSinglePrimitive(data, holdOut);
            List<String> pool = ClipRPrecision.pool(cases.stream().map(TextToCloudEval.Case::caption).toList());
            if (limit > 0) cases = spread(cases, limit);
            PointNetClassifier net = PointNetClassifier.load(classifier);
            TextToPointCloud.Options o = new TextToPointCloud.Options(seed, imageGuidance, imageSteps, guidance, 0);
            List<TextToCloudEval.Case> todo = cases;
            TextToCloudEval.Summary[] s = new TextToCloudEval.Summary[1];
            int[] points = new int[1];
            Runnable body = () -> {
                try (TextToPointCloud p = TextToPointCloud.load(t2iModel, model, upsampler, upsampleStartSigma);
                     ClipTowers clip = clipModel == null ? null : ClipTowers.open(clipModel, TrainClipCommand::minilm)) {
                    points[0] = p.maxPoints();
                    ClipRPrecision judge = clip == null ? null : ClipRPrecision.of(clip, pool);
                    s[0] = TextToCloudEval.run(p, todo, net, o, fromRenders, judge, clipModel == null ? null : clipModel.toString(), r -> {
                        out.printf(Locale.ROOT, "%s  %-36s shape %-8s %s  colour %-6s %s  chamfer %.4f (baseline %.4f)%s  %.1f s%n", r.c().id(), r.c().caption(),
                                r.predictedShape(), r.shapeOk() ? "ok " : "BAD", r.predictedColour(), r.colourOk() ? "ok " : "BAD", r.chamfer(), r.baselineChamfer(),
                                r.clip() == null ? "" : String.format(Locale.ROOT, "  clip rank %d (truth %d, baseline %d)", r.clip().generated(), r.clip().truth(), r.clip().baseline()),
                                r.seconds());
                        out.flush();
                    });
                }
            };
            if (threads > 0) Parallel.withThreads(threads, body); else body.run();
            TextToCloudEval.Summary r = s[0];
            out.printf(Locale.ROOT, "%s%s, %d points a cloud, %d held-out single-primitive captions (%d not seen as training captions)%n",
                    fromRenders ? "image -> cloud from held-out renders" : "text -> image -> cloud",
                    upsampler == null ? "" : String.format(Locale.ROOT, " -> upsampled (%s)", upsampleStartSigma == 0 ? "from noise"
                            : "from jittered copies at sigma " + upsampleStartSigma), points[0], r.clouds(), r.unseen().size());
            out.printf(Locale.ROOT, "shape accuracy   %.1f %% (unseen captions %.1f %%)%n", 100 * r.shapeAccuracy(),
                    100 * r.unseen().stream().mapToDouble(x -> x.shapeOk() ? 1 : 0).average().orElse(Double.NaN));
            out.printf(Locale.ROOT, "colour accuracy  %.1f %%%n", 100 * r.colourAccuracy());
            out.printf(Locale.ROOT, "mean chamfer     %.5f (random-primitive baseline %.5f; %.0f %% of clouds beat it)%n", r.meanChamfer(),
                    r.meanBaselineChamfer(), 100 * r.beatsBaseline());
            if (r.clip() != null) {
                double[] r1 = r.clipR1();
                out.printf(Locale.ROOT, "CLIP R@1         %.1f %% generated, %.1f %% ground-truth clouds, %.1f %% random-primitive baseline%n",
                        100 * r1[0], 100 * r1[1], 100 * r1[2]);
                out.printf(Locale.ROOT, "                 (pool: the %d distinct held-out single-primitive captions, chance %.1f %%; %d cameras per cloud)%n",
                        r.clip().poolSize(), 100.0 / r.clip().poolSize(), r.clip().cameras());
            }
            out.printf(Locale.ROOT, "seconds/cloud    %.1f%n", r.secondsPerCloud());
            out.flush();
            if (output != null) {
                com.fasterxml.jackson.databind.node.ObjectNode json = r.toJson();
                json.put("points", points[0]);
                if (upsampler != null) json.put("upsampler", upsampler.toString()).put("upsample_start_sigma", upsampleStartSigma);
                OutputFiles.write(output, os -> os.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json)));
            }
            return 0;
        } catch (TensorException | IllegalArgumentException | DataException e) {
            err.println("pointe eval: " + e.getMessage());
            err.flush();
            return ExitCodes.of(e);
        }
    }

    /** {@code n} cases taken round-robin over the prompted shapes, so a short run still covers every shape. */
    static List<TextToCloudEval.Case> spread(List<TextToCloudEval.Case> cases, int n) {
        java.util.Map<String, java.util.ArrayDeque<TextToCloudEval.Case>> byShape = new java.util.LinkedHashMap<>();
        for (TextToCloudEval.Case c : cases) {
            String shape = dev.genai4j.data.shapes.CaptionParser.parse(c.caption()).specs().get(0).primitive().word();
            byShape.computeIfAbsent(shape, k -> new java.util.ArrayDeque<>()).add(c);
        }
        List<TextToCloudEval.Case> out = new java.util.ArrayList<>();
        while (out.size() < Math.min(n, cases.size())) {
            for (var q : byShape.values()) if (!q.isEmpty() && out.size() < n) out.add(q.poll());
        }
        return out;
    }
}
