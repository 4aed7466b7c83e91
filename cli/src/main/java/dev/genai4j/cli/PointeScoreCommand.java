package dev.genai4j.cli;

import dev.genai4j.data.DataException;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.io.CheckpointException;
import dev.genai4j.models.pointe.eval.CaptionScore;
import dev.genai4j.models.pointe.eval.ChamferDistance;
import dev.genai4j.models.pointe.eval.ColourAccuracy;
import dev.genai4j.models.pointe.eval.PointNetClassifier;
import dev.genai4j.tensor.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code genai4j pointe score}: shape, colour and Chamfer distance of a PLY cloud against a caption. */
@Command(name = "score",
        mixinStandardHelpOptions = true,
        description = {
                "Scores a PLY point cloud: the palette colour of its mean colour, the shape a PointNet",
                "classifier sees (--classifier, from 'genai4j train pointnet'), and with --caption whether both",
                "match and the Chamfer distance to a ground-truth cloud of the caption next to a random-primitive",
                "baseline; with --reference, the Chamfer distance to another PLY.",
                "",
                "Example:  genai4j pointe score cube.ply --caption \"a red cube\" --classifier runs/pointnet"
        })
final class PointeScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CLOUD.ply", description = "the point cloud")
    Path cloud;

    @Option(names = "--caption", paramLabel = "TEXT", description = "the prompt the cloud was made from")
    String caption;

    @Option(names = "--classifier", paramLabel = "DIR", description = "PointNet folder (config.json, model.safetensors)")
    Path classifier;

    @Option(names = "--reference", paramLabel = "PLY", description = "a cloud to measure the Chamfer distance to")
    Path reference;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the ground-truth and baseline clouds (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--json", description = "print {points, colour, shape, prompted_colour, prompted_shape, colour_matches, shape_matches,"
            + " chamfer, baseline_chamfer, reference_chamfer} (the fields that apply)")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        try {
            PointCloud pc = PlyFile.read(cloud);
            PointNetClassifier net = classifier == null ? null : PointNetClassifier.load(classifier);
            if (json) return printJson(pc, net, err, out);
            out.printf("points      %d%n", pc.size());
            if (caption != null) {
                CaptionScore s = CaptionScore.of(pc, caption, net, new Rng(seed));
                for (String w : s.caption().warnings()) err.println("pointe score: caption: " + w);
                var first = s.caption().specs().get(0);
                out.printf("colour      %s (prompted %s) %s%n", s.predictedColour().word(), first.colour().word(), s.colourMatches() ? "match" : "MISMATCH");
                if (net != null) out.printf("shape       %s (prompted %s) %s%n", s.predictedShape(), first.primitive().word(), s.shapeMatches() ? "match" : "MISMATCH");
                out.printf("chamfer     %.5f to the caption's ground truth (random-primitive baseline %.5f)%n", s.chamfer(), s.baselineChamfer());
            } else {
                out.printf("colour      %s%n", ColourAccuracy.predicted(pc).word());
                if (net != null) out.printf("shape       %s%n", net.predict(pc));
            }
            if (reference != null) out.printf("chamfer     %.5f to %s%n", ChamferDistance.between(pc, PlyFile.read(reference)), reference);
            out.flush();
            err.flush();
            return 0;
        } catch (DataException | CheckpointException e) {
            err.println("pointe score: " + e.getMessage());
            err.flush();
            return ExitCodes.of(e);
        }
    }

    private int printJson(PointCloud pc, PointNetClassifier net, PrintWriter err, PrintWriter out) {
        var o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("points", pc.size());
        if (caption != null) {
            CaptionScore s = CaptionScore.of(pc, caption, net, new Rng(seed));
            for (String w : s.caption().warnings()) err.println("pointe score: caption: " + w);
            var first = s.caption().specs().get(0);
            o.put("colour", s.predictedColour().word()).put("prompted_colour", first.colour().word()).put("colour_matches", s.colourMatches());
            if (net != null) {
                o.put("shape", String.valueOf(s.predictedShape())).put("prompted_shape", first.primitive().word()).put("shape_matches", s.shapeMatches());
            }
            o.put("chamfer", s.chamfer()).put("baseline_chamfer", s.baselineChamfer());
        } else {
            o.put("colour", ColourAccuracy.predicted(pc).word());
            if (net != null) o.put("shape", String.valueOf(net.predict(pc)));
        }
        if (reference != null) o.put("reference_chamfer", ChamferDistance.between(pc, PlyFile.read(reference)));
        out.println(o.toPrettyString());
        out.flush();
        err.flush();
        return 0;
    }
}
