package dev.genai4j.models.pointe.eval;

import dev.genai4j.data.shapes.CaptionParser;
import dev.genai4j.data.shapes.ObjectSpec;
import dev.genai4j.data.shapes.PaletteColour;
import dev.genai4j.data.shapes.ParsedCaption;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.data.shapes.Primitive;
import dev.genai4j.data.shapes.Scene;
import dev.genai4j.data.shapes.ShapeSize;
import dev.genai4j.tensor.Rng;

/**
 * How well a cloud matches its caption: the shape a {@link PointNetClassifier} sees (when given),
 * the palette colour of its mean, and the Chamfer distance to a ground-truth cloud of the
 * caption's scene, next to the Chamfer distance a random primitive would get against the same
 * ground truth (the baseline a generator must beat); both reference clouds have as many points
 * as the scored one, so the distances compare like with like. Shape and colour are judged
 * against the caption's first object. {@code baselineCloud} is that random primitive (for other
 * judges of the baseline, e.g. {@link ClipRPrecision}).
 *
 * <pre>{@code
 * CaptionScore s = CaptionScore.of(cloud, "a red cone", classifier, new Rng(0));
 * s.shapeMatches();  s.colourMatches();  s.chamfer() < s.baselineChamfer();
 * }</pre>
 */
public record CaptionScore(ParsedCaption caption, String predictedShape, Boolean shapeMatches, PaletteColour predictedColour,
                           boolean colourMatches, double chamfer, double baselineChamfer, PointCloud baselineCloud) {
    /** Scores {@code cloud} against {@code caption}; {@code classifier} may be null (no shape judgement). */
    public static CaptionScore of(PointCloud cloud, String caption, PointNetClassifier classifier, Rng rng) {
        ParsedCaption parsed = CaptionParser.parse(caption);
        ObjectSpec first = parsed.specs().get(0);
        String shape = classifier == null ? null : classifier.predict(cloud);
        Boolean shapeOk = classifier == null ? null : shape.equals(first.primitive().word());
        PaletteColour colour = ColourAccuracy.predicted(cloud);
        PointCloud truth = parsed.scene().sample(cloud.size(), rng);
        Scene random = Scene.single(new ObjectSpec(Primitive.values()[rng.nextInt(Primitive.values().length)], first.colour(),
                ShapeSize.values()[rng.nextInt(ShapeSize.values().length)]), Math.PI / 2 * rng.uniform());
        PointCloud baselineCloud = random.sample(cloud.size(), rng);
        double baseline = ChamferDistance.between(baselineCloud, truth);
        return new CaptionScore(parsed, shape, shapeOk, colour, colour == first.colour(), ChamferDistance.between(cloud, truth), baseline, baselineCloud);
    }
}
