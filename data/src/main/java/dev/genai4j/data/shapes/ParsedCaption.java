package dev.genai4j.data.shapes;

import java.util.ArrayList;
import java.util.List;

/**
 * A caption read back by {@link CaptionParser}: one or two objects, the relation between them,
 * the words it did not know, and notes on what it had to guess. {@link #isExact()} tells whether
 * the caption was fully understood; {@link #scene} always gives something to draw.
 *
 * <pre>{@code
 * ParsedCaption p = CaptionParser.parse("a shiny red dodecahedron");
 * p.unknownWords();   // [shiny, dodecahedron]
 * p.warnings();       // ["unknown words: shiny, dodecahedron", "no shape word in 'a shiny red dodecahedron'; using a sphere"]
 * Scene s = p.scene(); // a red sphere
 * }</pre>
 */
public record ParsedCaption(String caption, List<ObjectDescription> objects, Relation relation, List<String> unknownWords, List<String> notes) {
    public ParsedCaption {
        objects = List.copyOf(objects);
        unknownWords = List.copyOf(unknownWords);
        notes = List.copyOf(notes);
    }

    /** Every word known and every object has a shape. */
    public boolean isExact() {
        return unknownWords.isEmpty() && notes.isEmpty() && objects.stream().allMatch(o -> o.primitive() != null);
    }

    /** The objects with defaults filled in. */
    public List<ObjectSpec> specs() { return objects.stream().map(ObjectDescription::resolve).toList(); }

    /** Human-readable lines on everything that was not understood or was guessed; empty when exact. */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        if (!unknownWords.isEmpty()) w.add("unknown words: " + String.join(", ", unknownWords));
        w.addAll(notes);
        return w;
    }

    /** The scene described, yaw 0, "next to" with the first object on the left. */
    public Scene scene() {
        List<ObjectSpec> s = specs();
        return s.size() == 1 ? Scene.single(s.get(0), 0) : Scene.pair(s.get(0), relation, s.get(1), 0, 0, false);
    }
}
