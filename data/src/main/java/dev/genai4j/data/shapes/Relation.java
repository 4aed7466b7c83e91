package dev.genai4j.data.shapes;

/**
 * How the first object of a two-object scene stands to the second. Left and right are as seen
 * from the front camera (azimuth 0, looking along +y): "left of" means smaller x.
 */
public enum Relation {
    ON_TOP_OF("on top of"), NEXT_TO("next to"), LEFT_OF("to the left of");

    private final String phrase;

    Relation(String phrase) { this.phrase = phrase; }

    /** The phrase used in captions. */
    public String phrase() { return phrase; }
}
