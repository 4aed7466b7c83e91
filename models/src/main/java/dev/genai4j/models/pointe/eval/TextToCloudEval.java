package dev.genai4j.models.pointe.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genai4j.data.DataException;
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
 * words) are counted apart from unseen ones.
 *
 * <pre>{@code
 * var cases = TextToCloudEval.heldOutSinglePrimitive(Path.of("data/shapes"), 100);
 * TextToCloudEval.Summary s = TextToCloudEval.run(pipeline, cases, classifier, Options.defaults(), false, row -> {});
 * s.shapeAccuracy();
 * }</pre>
 */
public final class TextToCloudEval {
    private TextToCloudEval() {}

    /** One held-out scene: id, caption, its first render, and whether the caption string also captions a training scene. */
    public record Case(String id, String caption, Path render, boolean captionSeenInTraining) {}

    /** One judged cloud. */
    public record Row(Case c, String predictedShape, boolean shapeOk, String predictedColour, boolean colourOk, double chamfer,
                      double baselineChamfer, double seconds, List<String> warnings) {}

    public record Summary(boolean fromRenders, List<Row> rows) {
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
            ArrayNode a = o.putArray("rows");
            for (Row r : rows) {
                a.addObject().put("id", r.c().id()).put("caption", r.c().caption()).put("seen_caption", r.c().captionSeenInTraining())
                        .put("shape", r.predictedShape()).put("shape_ok", r.shapeOk()).put("colour", r.predictedColour()).put("colour_ok", r.colourOk())
                        .put("chamfer", r.chamfer()).put("baseline_chamfer", r.baselineChamfer()).put("seconds", r.seconds());
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
            cases.add(new Case(o.path("id").asText(), caption, data.resolve(o.path("images").path(0).asText()), trainCaptions.contains(caption)));
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
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            TextToPointCloud.Options oi = o.withSeed(o.seed() + i);
            TextToPointCloud.Result r = fromRenders ? pipeline.generateFromImage(c.caption(), ImageFiles.read(c.render()), oi) : pipeline.generate(c.caption(), oi);
            CaptionScore s = CaptionScore.of(r.cloud(), c.caption(), classifier, new Rng(1000 + i));
            Row row = new Row(c, s.predictedShape(), Boolean.TRUE.equals(s.shapeMatches()), s.predictedColour().word(), s.colourMatches(), s.chamfer(),
                    s.baselineChamfer(), r.imageSeconds() + r.cloudSeconds(), r.warnings());
            rows.add(row);
            progress.accept(row);
        }
        return new Summary(fromRenders, rows);
    }

    private static double mean(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        return rows.isEmpty() ? Double.NaN : rows.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
