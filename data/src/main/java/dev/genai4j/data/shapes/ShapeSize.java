package dev.genai4j.data.shapes;

import java.util.Locale;

/**
 * Size classes: the largest side of the object's bounding box. Two large objects stacked or
 * side by side still fit the unit cube [−0.5, 0.5]³ that Point-E's clouds live in.
 */
public enum ShapeSize {
    SMALL(0.3), MEDIUM(0.4), LARGE(0.5);

    private final double extent;

    ShapeSize(double extent) { this.extent = extent; }

    /** Largest side of the bounding box, in scene units. */
    public double extent() { return extent; }

    /** The word used in captions ({@code "small"}). */
    public String word() { return name().toLowerCase(Locale.ROOT); }
}
