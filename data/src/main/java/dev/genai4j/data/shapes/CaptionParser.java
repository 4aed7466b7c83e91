package dev.genai4j.data.shapes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a caption back into objects (shape, colour, size) and a relation. It knows the
 * generator's words and common synonyms ("ball", "box", "donut", "big", "grey", "beside",
 * "under", "to the right of" — the last two swap the objects). Words it does not know are
 * collected, not fatal, so a text-to-3D pipeline can still produce something and say what it
 * ignored.
 *
 * <pre>{@code
 * ParsedCaption p = CaptionParser.parse("a small red cone on top of a blue cube");
 * p.specs();      // [ObjectSpec[CONE, RED, SMALL], ObjectSpec[CUBE, BLUE, MEDIUM]]
 * p.relation();   // ON_TOP_OF
 * }</pre>
 */
public final class CaptionParser {
    private CaptionParser() {}

    private record RelationWord(Relation relation, boolean swapped) {}

    private static final Map<String, Primitive> SHAPES = new LinkedHashMap<>();
    private static final Map<String, PaletteColour> COLOURS = new LinkedHashMap<>();
    private static final Map<String, ShapeSize> SIZES = new LinkedHashMap<>();
    private static final Map<List<String>, RelationWord> RELATIONS = new LinkedHashMap<>();
    private static final Set<String> FILLER = Set.of("a", "an", "the", "one", "single", "in", "of", "with", "and", "that", "is", "it",
            "colored", "coloured", "color", "colour", "shaped", "sized", "sitting", "standing", "placed", "lying", "resting",
            "object", "shape", "solid", "3d", "model", "some");

    static {
        for (Primitive p : Primitive.values()) SHAPES.put(p.word(), p);
        SHAPES.put("ball", Primitive.SPHERE);
        SHAPES.put("orb", Primitive.SPHERE);
        SHAPES.put("box", Primitive.CUBE);
        SHAPES.put("block", Primitive.CUBE);
        SHAPES.put("tube", Primitive.CYLINDER);
        SHAPES.put("can", Primitive.CYLINDER);
        SHAPES.put("donut", Primitive.TORUS);
        SHAPES.put("doughnut", Primitive.TORUS);
        SHAPES.put("ring", Primitive.TORUS);
        SHAPES.put("pill", Primitive.CAPSULE);
        for (PaletteColour c : PaletteColour.values()) COLOURS.put(c.word(), c);
        COLOURS.put("violet", PaletteColour.PURPLE);
        for (ShapeSize s : ShapeSize.values()) SIZES.put(s.word(), s);
        SIZES.put("medium-sized", ShapeSize.MEDIUM);
        SIZES.put("mid-sized", ShapeSize.MEDIUM);
        SIZES.put("little", ShapeSize.SMALL);
        SIZES.put("tiny", ShapeSize.SMALL);
        SIZES.put("big", ShapeSize.LARGE);
        SIZES.put("huge", ShapeSize.LARGE);
        relation(Relation.ON_TOP_OF, false, "on top of", "on", "atop", "above", "over", "upon");
        relation(Relation.ON_TOP_OF, true, "under", "below", "beneath", "underneath");
        relation(Relation.NEXT_TO, false, "next to", "beside", "alongside");
        relation(Relation.LEFT_OF, false, "to the left of", "left of", "on the left of");
        relation(Relation.LEFT_OF, true, "to the right of", "right of", "on the right of");
    }

    private static void relation(Relation r, boolean swapped, String... phrases) {
        for (String p : phrases) RELATIONS.put(List.of(p.split(" ")), new RelationWord(r, swapped));
    }

    /** Parses {@code caption}; never throws for unknown words (see {@link ParsedCaption#warnings()}). */
    public static ParsedCaption parse(String caption) {
        String text = caption == null ? "" : caption.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9\\- ]", " ").trim();
        List<String> tokens = text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
        List<String> unknown = new ArrayList<>(), notes = new ArrayList<>();
        if (tokens.isEmpty()) notes.add("empty caption; using a " + ObjectDescription.DEFAULT_COLOUR.word() + " " + ObjectDescription.DEFAULT_PRIMITIVE.word());

        // the first (longest-matching) relation phrase splits the caption into two noun phrases
        int at = -1, len = 0;
        RelationWord rel = null;
        for (int i = 0; i < tokens.size() && rel == null; i++) {
            for (var e : RELATIONS.entrySet()) {
                List<String> p = e.getKey();
                if (p.size() > len && i + p.size() <= tokens.size() && tokens.subList(i, i + p.size()).equals(p)) {
                    at = i;
                    len = p.size();
                    rel = e.getValue();
                }
            }
        }
        List<ObjectDescription> objects = new ArrayList<>();
        if (rel == null) {
            objects.add(nounPhrase(tokens, unknown, notes));
        } else {
            ObjectDescription left = nounPhrase(tokens.subList(0, at), unknown, notes);
            ObjectDescription right = nounPhrase(tokens.subList(at + len, tokens.size()), unknown, notes);
            objects.add(rel.swapped() ? right : left);
            objects.add(rel.swapped() ? left : right);
        }
        return new ParsedCaption(caption, objects, rel == null ? null : rel.relation(), unknown, notes);
    }

    private static ObjectDescription nounPhrase(List<String> words, List<String> unknown, List<String> notes) {
        Primitive shape = null;
        PaletteColour colour = null;
        ShapeSize size = null;
        String phrase = String.join(" ", words);
        for (String w : words) {
            if (FILLER.contains(w)) continue;
            Primitive p = lookup(SHAPES, w);
            PaletteColour c = COLOURS.get(w);
            ShapeSize s = SIZES.get(w);
            if (p != null) {
                if (shape != null && shape != p) notes.add("two shape words in '" + phrase + "'; using " + shape.word());
                else shape = p;
            } else if (c != null) {
                if (colour != null && colour != c) notes.add("two colours in '" + phrase + "'; using " + colour.word());
                else colour = c;
            } else if (s != null) {
                if (size != null && size != s) notes.add("two sizes in '" + phrase + "'; using " + size.word());
                else size = s;
            } else {
                unknown.add(w);
            }
        }
        if (shape == null && !words.isEmpty()) {
            notes.add("no shape word in '" + phrase + "'; using a " + ObjectDescription.DEFAULT_PRIMITIVE.word()
                    + " (known shapes: " + String.join(", ", SHAPES.keySet()) + ")");
        } else if (shape == null && !notes.stream().anyMatch(n -> n.startsWith("empty caption"))) {
            notes.add("a relation without an object on one side; using a " + ObjectDescription.DEFAULT_PRIMITIVE.word());
        }
        return new ObjectDescription(shape, colour, size);
    }

    /** Exact word, else the singular of a simple plural ("cubes", "boxes"). */
    private static <T> T lookup(Map<String, T> vocab, String w) {
        T t = vocab.get(w);
        if (t == null && w.endsWith("es")) t = vocab.get(w.substring(0, w.length() - 2));
        if (t == null && w.endsWith("s")) t = vocab.get(w.substring(0, w.length() - 1));
        return t;
    }
}
