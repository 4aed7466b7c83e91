package dev.genai4j.models.pointe.eval;

import dev.genai4j.data.shapes.Primitive;

import java.util.Arrays;
import java.util.List;

/**
 * Shape of a {@link PointNetClassifier}: class names, points per cloud, widths of the shared
 * per-point MLP and of the head's hidden layers.
 */
public record PointNetConfig(List<String> classes, int points, int[] pointWidths, int[] headWidths) {
    public PointNetConfig {
        classes = List.copyOf(classes);
        if (classes.size() < 2 || points <= 0 || pointWidths.length == 0) {
            throw new IllegalArgumentException("PointNetConfig: need at least 2 classes, points > 0 and one per-point layer, got "
                    + classes.size() + " classes, " + points + " points, " + pointWidths.length + " layers");
        }
        for (int w : pointWidths) if (w <= 0) throw new IllegalArgumentException("PointNetConfig: widths must be positive: " + Arrays.toString(pointWidths));
        for (int w : headWidths) if (w <= 0) throw new IllegalArgumentException("PointNetConfig: widths must be positive: " + Arrays.toString(headWidths));
        pointWidths = pointWidths.clone();
        headWidths = headWidths.clone();
    }

    /** The seven primitives, 256 points, 3 → 64 → 128 → 256 per point and a 128-wide head. */
    public static PointNetConfig primitives() {
        return new PointNetConfig(Arrays.stream(Primitive.values()).map(Primitive::word).toList(), 256, new int[]{64, 128, 256}, new int[]{128});
    }

    @Override
    public int[] pointWidths() { return pointWidths.clone(); }

    @Override
    public int[] headWidths() { return headWidths.clone(); }
}
