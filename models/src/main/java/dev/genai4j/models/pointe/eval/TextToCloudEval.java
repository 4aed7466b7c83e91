package dev.genai4j.models.pointe.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.data.DataException;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.models.clip.ImageFiles;
import dev.genai4j.models.pointe.TextToPointCloud;
import dev.genai4j.tensor.Rng;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The must-show numbers of the text → 3D pipeline on a {@code genai4j pointe data} set's held-out
 * scenes (the last {@code holdOut}, which neither trainer sees): for every single-primitive scene,
 * its caption goes through {@link TextToPointCloud} (or, with {@code fromRenders}, the scene's own
 * render goes straight to Point-E, which isolates the image → cloud stage), and the cloud is judged
 * by {@link CaptionScore}: the shape a PointNet trained on ground-truth clouds sees, the palette
 * colour, and the Chamfer distance to the caption's ground truth next to a random-primitive
 * baseline. Captions whose exact string also captions a training scene (another render of the same
 * words) are counted apart from unseen ones. With a shape CLIP ({@link ClipRPrecision}) the
 * generated, ground-truth and baseline clouds also get their CLIP R-precision against the pool of
 * held-out captions.
 *
 * <pre>{@code
 * var cases = TextToCloudEval.heldOutSinglePrimitive(Path.of("data/shapes"), 100);
 * TextToCloudEval.Summary s = TextToCloudEval.run(pipeline, cases, classifier, Options.defaults(), false, row -> {});
 * s.shapeAccuracy();
 * }</pre>
 */
public final class TextToCloudEval {
    private TextToCloudEval() {}

    /** One held-out scene: id, caption, its first render, its ground-truth cloud, and whether the caption string also captions a training scene. */
    public record Case(String id, String caption, Path render, Path ply, boolean captionSeenInTraining) {}

    /**
     * Where the true caption ranks among the pool for the shape CLIP ({@link ClipRPrecision}): for the
     * generated cloud, the scene's ground-truth cloud and the random-primitive baseline cloud (1 = first).
     */
    public record ClipRanks(int generated, int truth, int baseline) {}

    /** One judged cloud; {@code clip} is null without a shape CLIP. */
    public record Row(Case c, String predictedShape, boolean shapeOk, String predictedColour, boolean colourOk, double chamfer,
                      double baselineChamfer, double seconds, List<String> warnings, ClipRanks clip) {}

    /** The CLIP R-precision setting of a summary: the pool size and the cameras each cloud is seen from. */
    public record ClipSetting(String model, int poolSize, int cameras) {}

    /** {@code clip} is null when no shape CLIP judged the clouds. */
    public record Summary(boolean fromRenders, List<Row> rows, ClipSetting clip) {
        public Summary(boolean fromRenders, List<Row> rows) { this(fromRenders, rows, null); }

        /** R@1 of the generated clouds, the ground-truth clouds and the baseline clouds; null without a CLIP. */
        public double[] clipR1() {
            if (clip == null) return null;
            return new double[]{ClipRPrecision.r1(rows.stream().mapToInt(r -> r.clip().generated()).toArray()),
                    ClipRPrecision.r1(rows.stream().mapToInt(r -> r.clip().truth()).toArray()),
                    ClipRPrecision.r1(rows.stream().mapToInt(r -> r.clip().baseline()).toArray())};
        }

        public int clouds() { return rows.size(); }

        public double shapeAccuracy() { return mean(rows, r -> r.shapeOk() ? 1 : 0); }

        public double colourAccuracy() { return mean(rows, r -> r.colourOk() ? 1 : 0); }

        public double meanChamfer() { return mean(rows, Row::chamfer); }

        public double meanBaselineChamfer() { return mean(rows, Row::baselineChamfer); }

        /** Share of clouds closer to their ground truth than the random primitive was. */
        public double beatsBaseline() { return mean(rows, r -> r.chamfer() < r.baselineChamfer() ? 1 : 0); }

        public double secondsPerCloud() { return mean(rows, Row::seconds); }

        public List<Row> unseen() { return rows.stream().filter(r -> !r.c().captionSeenInTraining()).toList(); }

        public ObjectNode toJson() {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("stage", fromRenders ? "image → cloud (held-out ground-truth renders)" : "text → image → cloud");
            o.put("clouds", clouds());
            o.put("shape_accuracy", shapeAccuracy());
            o.put("colour_accuracy", colourAccuracy());
            o.put("mean_chamfer", meanChamfer());
            o.put("mean_baseline_chamfer", meanBaselineChamfer());
            o.put("share_beating_baseline", beatsBaseline());
            List<Row> u = unseen();
            o.put("unseen_caption_clouds", u.size());
            o.put("unseen_caption_shape_accuracy", mean(u, r -> r.shapeOk() ? 1 : 0));
            o.put("seconds_per_cloud", secondsPerCloud());
            if (clip != null) {
                double[] r1 = clipR1();
                ObjectNode c = o.putObject("clip_r_precision");
                c.put("clip_model", clip.model());
                c.put("pool", "distinct captions of the held-out single-primitive scenes");
                c.put("pool_size", clip.poolSize());
                c.put("chance", 1.0 / clip.poolSize());
                c.put("cameras", clip.cameras());
                c.put("generated_r1", r1[0]);
                c.put("ground_truth_r1", r1[1]);
                c.put("baseline_r1", r1[2]);
            }
            ArrayNode a = o.putArray("rows");
            for (Row r : rows) {
                ObjectNode row = a.addObject().put("id", r.c().id()).put("caption", r.c().caption()).put("seen_caption", r.c().captionSeenInTraining())
                        .put("shape", r.predictedShape()).put("shape_ok", r.shapeOk()).put("colour", r.predictedColour()).put("colour_ok", r.colourOk())
                        .put("chamfer", r.chamfer()).put("baseline_chamfer", r.baselineChamfer()).put("seconds", r.seconds());
                if (r.clip() != null) {
                    row.put("clip_rank", r.clip().generated()).put("truth_clip_rank", r.clip().truth()).put("baseline_clip_rank", r.clip().baseline());
                }
            }
            return o;
        }
    }

    /** The held-out scenes (last {@code holdOut} of {@code data/captions.jsonl}) with one object. */
    public static List<Case> heldOutSinglePrimitive(Path data, int holdOut) {
        Path index = data.resolve("captions.jsonl");
        List<JsonNode> all = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try {
            for (String line : Files.readAllLines(index)) if (!line.isBlank()) all.add(json.readTree(line));
        } catch (IOException e) {
            throw new DataException("text-to-3D eval: cannot read " + index + ": " + e.getMessage(), e);
        }
        if (holdOut <= 0 || holdOut >= all.size()) throw new DataException("text-to-3D eval: hold-out " + holdOut + " must lie in 1.." + (all.size() - 1));
        Set<String> trainCaptions = new HashSet<>();
        for (JsonNode o : all.subList(0, all.size() - holdOut)) trainCaptions.add(o.path("caption").asText());
        List<Case> cases = new ArrayList<>();
        for (JsonNode o : all.subList(all.size() - holdOut, all.size())) {
            if (o.path("objects").size() != 1) continue;
            String caption = o.path("caption").asText();
            cases.add(new Case(o.path("id").asText(), caption, data.resolve(o.path("images").path(0).asText()), data.resolve(o.path("ply").asText()),
                    trainCaptions.contains(caption)));
        }
        return cases;
    }

    /**
     * Generates and judges one cloud per case, seeds {@code o.seed()}, +1, … in case order.
     *
     * @param fromRenders feed each case's own render to the Point-E stage instead of drawing one from the caption
     */
    public static Summary run(TextToPointCloud pipeline, List<Case> cases, PointNetClassifier classifier, TextToPointCloud.Options o,
                              boolean fromRenders, Consumer<Row> progress) {
        return run(pipeline, cases, classifier, o, fromRenders, null, null, progress);
    }

    /**
     * As {@link #run(TextToPointCloud, List, PointNetClassifier, TextToPointCloud.Options, boolean, Consumer)}, and, with a
     * {@code clip} judge (null = none), the R-precision ranks of the generated cloud, the scene's ground-truth cloud
     * ({@link Case#ply()}) and the random-primitive baseline cloud that the Chamfer baseline uses.
     *
     * @param clipModel the judge's folder, for the report
     */
    public static Summary run(TextToPointCloud pipeline, List<Case> cases, PointNetClassifier classifier, TextToPointCloud.Options o,
                              boolean fromRenders, ClipRPrecision clip, String clipModel, Consumer<Row> progress) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            TextToPointCloud.Options oi = o.withSeed(o.seed() + i);
            TextToPointCloud.Result r = fromRenders ? pipeline.generateFromImage(c.caption(), ImageFiles.read(c.render()), oi) : pipeline.generate(c.caption(), oi);
            CaptionScore s = CaptionScore.of(r.cloud(), c.caption(), classifier, new Rng(1000 + i));
            ClipRanks ranks = clip == null ? null
                    : new ClipRanks(clip.rank(r.cloud(), c.caption()), clip.rank(PlyFile.read(c.ply()), c.caption()), clip.rank(s.baselineCloud(), c.caption()));
            Row row = new Row(c, s.predictedShape(), Boolean.TRUE.equals(s.shapeMatches()), s.predictedColour().word(), s.colourMatches(), s.chamfer(),
                    s.baselineChamfer(), r.imageSeconds() + r.cloudSeconds(), r.warnings(), ranks);
            rows.add(row);
            progress.accept(row);
        }
        return new Summary(fromRenders, rows, clip == null ? null : new ClipSetting(clipModel, clip.poolSize(), clip.cameras()));
    }

    private static double mean(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        return rows.isEmpty() ? Double.NaN : rows.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
