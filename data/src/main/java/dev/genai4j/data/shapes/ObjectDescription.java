package dev.genai4j.data.shapes;

/**
 * What the parser found for one object; any field may be {@code null} when the caption did not
 * say it (see {@link #resolve} for the defaults).
 */
public record ObjectDescription(Primitive primitive, PaletteColour colour, ShapeSize size) {
    /** Default shape when a caption names none (or only words we do not know). */
    public static final Primitive DEFAULT_PRIMITIVE = Primitive.SPHERE;
    /** Default colour when a caption names none. */
    public static final PaletteColour DEFAULT_COLOUR = PaletteColour.WHITE;

    /** A complete spec, missing fields filled with the defaults (sphere, white, medium). */
    public ObjectSpec resolve() {
        return new ObjectSpec(primitive == null ? DEFAULT_PRIMITIVE : primitive, colour == null ? DEFAULT_COLOUR : colour,
                size == null ? ShapeSize.MEDIUM : size);
    }
}
