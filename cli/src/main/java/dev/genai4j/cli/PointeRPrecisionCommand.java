package dev.genai4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.data.DataException;
import dev.genai4j.data.shapes.OutputFiles;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.models.clip.train.ClipTowers;
import dev.genai4j.models.clip.train.CloudViews;
import dev.genai4j.models.pointe.eval.CaptionScore;
import dev.genai4j.models.pointe.eval.ClipRPrecision;
import dev.genai4j.models.pointe.eval.TextToCloudEval;
import dev.genai4j.tensor.Parallel;
import dev.genai4j.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code genai4j pointe rprec}: CLIP R-precision of the held-out ground-truth clouds and the random-primitive baseline ({@link ClipRPrecision}). */
@Command(name = "rprec",
        mixinStandardHelpOptions = true,
        description = {
                "CLIP R-precision without a generator: ranks the distinct captions of the held-out single-primitive",
                "scenes of a 'genai4j pointe data' set (the last --hold-out) for each scene's ground-truth cloud and",
                "for the random-primitive baseline cloud 'pointe eval' builds (same colour, random shape, size and",
                "yaw), with a shape CLIP ('genai4j train clip --shapes'). R@1 of the ground truth is the ceiling",
                "'pointe eval --clip-model' can reach; chance is 1/pool.",
                "",
                "Example:  genai4j pointe rprec --data data/shapes --clip-model runs/clip-shapes/checkpoint --threads 1"
        })
final class PointeRPrecisionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the 'pointe data' set")
    Path data;

    @Option(names = "--hold-out", paramLabel = "N", description = "held-out scenes at the end of the set (default ${DEFAULT-VALUE})")
    int holdOut = 100;

    @Option(names = "--clip-model", required = true, paramLabel = "DIR", description = "shape CLIP folder (a 'train clip --shapes' run's checkpoint/)")
    Path clipModel;

    @Option(names = {"-o", "--output"}, paramLabel = "JSON", description = "write the summary and every scene's ranks as JSON")
    Path output;

    @Option(names = "--threads", paramLabel = "T", description = "compute threads (default: all cores)")
    int threads = 0;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (output != null) Img2PcCommand.checkWritableFile(output);
        Txt2PcCommand.requireModel(clipModel, "shape CLIP", "genai4j train clip --shapes DIR --output runs/clip-shapes");
        List<TextToCloudEval.Case> cases = TextToCloudEval.heldOutSinglePrimitive(data, holdOut);
        if (cases.isEmpty()) throw new DataException("pointe rprec: the last " + holdOut + " scenes of " + data + " hold no single-primitive scene");
        List<String> pool = ClipRPrecision.pool(cases.stream().map(TextToCloudEval.Case::caption).toList());
        int[] truth = new int[cases.size()], baseline = new int[cases.size()];
        Runnable body = () -> {
            try (ClipTowers clip = ClipTowers.open(clipModel, TrainClipCommand::minilm)) {
                ClipRPrecision judge = ClipRPrecision.of(clip, pool);
                for (int i = 0; i < cases.size(); i++) {
                    TextToCloudEval.Case c = cases.get(i);
                    PointCloud gt = CloudViews.subset(PlyFile.read(c.ply()), CloudViews.POINTS, new Rng(0));
                    truth[i] = judge.rank(gt, c.caption());
                    // the baseline 'pointe eval' scores: a random primitive in the caption's colour, as many points as the cloud judged
                    baseline[i] = judge.rank(CaptionScore.of(gt, c.caption(), null, new Rng(1000 + i)).baselineCloud(), c.caption());
                }
            }
        };
        if (threads > 0) Parallel.withThreads(threads, body); else body.run();
        double r1 = ClipRPrecision.r1(truth), b1 = ClipRPrecision.r1(baseline);
        out.printf(Locale.ROOT, "%d held-out single-primitive scenes; pool: their %d distinct captions (chance %.1f %%), %d cameras per cloud%n",
                cases.size(), pool.size(), 100.0 / pool.size(), CloudViews.evalCameras().size());
        out.printf(Locale.ROOT, "CLIP R@1  ground-truth clouds %.1f %%, random-primitive baseline %.1f %%%n", 100 * r1, 100 * b1);
        out.flush();
        if (output != null) {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode o = json.createObjectNode();
            o.put("clip_model", clipModel.toString());
            o.put("scenes", cases.size());
            o.put("pool", "distinct captions of the held-out single-primitive scenes");
            o.put("pool_size", pool.size());
            o.put("chance", 1.0 / pool.size());
            o.put("ground_truth_r1", r1);
            o.put("baseline_r1", b1);
            ArrayNode rows = o.putArray("rows");
            for (int i = 0; i < cases.size(); i++) {
                rows.addObject().put("id", cases.get(i).id()).put("caption", cases.get(i).caption()).put("truth_clip_rank", truth[i])
                        .put("baseline_clip_rank", baseline[i]);
            }
            OutputFiles.write(output, os -> os.write(json.writeValueAsBytes(o)));
        }
        return 0;
    }
}
