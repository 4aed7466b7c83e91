package dev.genai4j.data.shapes;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class CaptionTest {
    @Test
    void everyGeneratedCaptionParsesBackToItsScene() {
        ShapeGenerator gen = new ShapeGenerator(123, 0.5);
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < 600; i++) {
            ShapeExample ex = gen.next();
            ParsedCaption p = CaptionParser.parse(ex.caption());
            assertTrue(p.isExact(), ex.caption() + " → " + p.warnings());
            assertEquals(ex.scene().specs(), p.specs(), ex.caption());
            assertEquals(ex.scene().relation(), p.relation(), ex.caption());
            distinct.add(ex.caption());
        }
        assertTrue(distinct.size() > 400, "captions vary: " + distinct.size());
    }

    @Test
    void theBriefsExample() {
        ParsedCaption p = CaptionParser.parse("A small red cone on top of a blue cube.");
        assertEquals(List.of(new ObjectSpec(Primitive.CONE, PaletteColour.RED, ShapeSize.SMALL),
                new ObjectSpec(Primitive.CUBE, PaletteColour.BLUE, ShapeSize.MEDIUM)), p.specs());
        assertEquals(Relation.ON_TOP_OF, p.relation());
        assertEquals("a small red cone on top of a blue cube",
                CaptionWriter.nounPhrase(p.specs().get(0), 0, false) + " on top of " + CaptionWriter.nounPhrase(p.specs().get(1), 0, false));
        assertEquals("an orange cube", CaptionWriter.nounPhrase(new ObjectSpec(Primitive.CUBE, PaletteColour.ORANGE, ShapeSize.MEDIUM), 0, false));
    }

    @Test
    void synonymsPluralsAndSwappedRelations() {
        ParsedCaption under = CaptionParser.parse("a big ball under a red box");
        assertEquals(List.of(new ObjectSpec(Primitive.CUBE, PaletteColour.RED, ShapeSize.MEDIUM),
                new ObjectSpec(Primitive.SPHERE, ObjectDescription.DEFAULT_COLOUR, ShapeSize.LARGE)), under.specs());
        assertEquals(Relation.ON_TOP_OF, under.relation());

        ParsedCaption right = CaptionParser.parse("tiny violet donut to the right of a green pill");
        assertEquals(Relation.LEFT_OF, right.relation());
        assertEquals(Primitive.CAPSULE, right.specs().get(0).primitive());
        assertEquals(new ObjectSpec(Primitive.TORUS, PaletteColour.PURPLE, ShapeSize.SMALL), right.specs().get(1));
        assertEquals(Primitive.CYLINDER, CaptionParser.parse("yellow cylinders").specs().get(0).primitive());
        assertEquals(Relation.NEXT_TO, CaptionParser.parse("a cone beside a cube").relation());
    }

    @Test
    void unknownWordsAreReportedAndSomethingIsStillProduced() {
        ParsedCaption p = CaptionParser.parse("a shiny red dodecahedron");
        assertFalse(p.isExact());
        assertEquals(List.of("shiny", "dodecahedron"), p.unknownWords());
        assertEquals(new ObjectSpec(ObjectDescription.DEFAULT_PRIMITIVE, PaletteColour.RED, ShapeSize.MEDIUM), p.specs().get(0));
        assertEquals("unknown words: shiny, dodecahedron", p.warnings().get(0));
        assertTrue(p.warnings().get(1).contains("no shape word in 'a shiny red dodecahedron'") && p.warnings().get(1).contains("torus"), p.warnings().toString());
        assertEquals(1, p.scene().objects().size());

        ParsedCaption glossy = CaptionParser.parse("a glossy blue cube");
        assertEquals(List.of("glossy"), glossy.unknownWords());
        assertEquals(Primitive.CUBE, glossy.specs().get(0).primitive());

        ParsedCaption empty = CaptionParser.parse("  ");
        assertFalse(empty.isExact());
        assertEquals(1, empty.specs().size());
        assertTrue(empty.warnings().get(0).startsWith("empty caption"), empty.warnings().toString());

        ParsedCaption dangling = CaptionParser.parse("a red cube on top of");
        assertEquals(2, dangling.specs().size());
        assertFalse(dangling.isExact());
        assertNotNull(dangling.scene());

        ParsedCaption two = CaptionParser.parse("a red blue cube");
        assertTrue(two.warnings().get(0).contains("two colours"), two.warnings().toString());
        assertEquals(PaletteColour.RED, two.specs().get(0).colour());
    }

    @Test
    void generatorIsReproducibleAndCoversEverything() {
        List<String> a = new ShapeGenerator(5, 0.3).stream(200).map(ShapeExample::caption).toList();
        assertEquals(a, new ShapeGenerator(5, 0.3).stream(200).map(ShapeExample::caption).toList());
        assertNotEquals(a, new ShapeGenerator(6, 0.3).stream(200).map(ShapeExample::caption).toList());
        Set<Object> seen = new HashSet<>();
        new ShapeGenerator(5, 0.3).stream(400).forEach(ex -> {
            ex.scene().specs().forEach(s -> {
                seen.add(s.primitive());
                seen.add(s.colour());
                seen.add(s.size());
            });
            if (ex.scene().relation() != null) seen.add(ex.scene().relation());
        });
        assertEquals(Primitive.values().length + PaletteColour.values().length + ShapeSize.values().length + Relation.values().length, seen.size());
        long pairs = new ShapeGenerator(5, 0.3).stream(1000).filter(e -> e.scene().objects().size() == 2).count();
        assertEquals(300, pairs, 60);
        assertTrue(new ShapeGenerator(1, 0).stream(50).allMatch(e -> e.scene().objects().size() == 1));
        assertThrows(dev.genai4j.data.DataException.class, () -> new ShapeGenerator(1, 1.5));
    }
}
