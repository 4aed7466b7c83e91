package dev.genai4j.data.shapes;

import java.util.Objects;

/**
 * What a caption says about one object: its primitive, colour and size.
 *
 * <pre>{@code
 * var spec = new ObjectSpec(Primitive.CONE, PaletteColour.RED, ShapeSize.SMALL);   // "a small red cone"
 * }</pre>
 */
public record ObjectSpec(Primitive primitive, PaletteColour colour, ShapeSize size) {
    public ObjectSpec {
        Objects.requireNonNull(primitive, "primitive");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(size, "size");
    }
}
