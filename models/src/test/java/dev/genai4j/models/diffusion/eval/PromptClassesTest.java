package dev.genai4j.models.diffusion.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PromptClassesTest {
    private final PromptClasses pc = PromptClasses.fashionMnist();

    @Test
    void namesSynonymsAndPluralsMatchAsWholeWords() {
        assertEquals(0, pc.classOf("a photo of a T-shirt"));
        assertEquals(0, pc.classOf("a plain tshirt"));
        assertEquals(0, pc.classOf("a striped top"));
        assertEquals(1, pc.classOf("a pair of trousers"));
        assertEquals(1, pc.classOf("grey pants"));
        assertEquals(2, pc.classOf("a wool sweater"));
        assertEquals(5, pc.classOf("Sandals on white"));
        assertEquals(6, pc.classOf("a shirt"));
        assertEquals(7, pc.classOf("a sneaker"));
        assertEquals(8, pc.classOf("a leather bag"));
        assertEquals(9, pc.classOf("an ankle boot"));
        assertEquals(9, pc.classOf("a boot"));
        assertEquals(-1, pc.classOf("a red car"));
        assertEquals(-1, pc.classOf("topology"));              // not a whole word
    }

    @Test
    void longestMatchWinsSoTshirtIsNotShirt() {
        assertEquals(0, pc.classOf("a t-shirt"));
        assertEquals(0, pc.classOf("a t shirt"));
        assertArrayEquals(new int[]{3, 4, -1}, pc.classesOf(List.of("a dress", "a long coat", "nothing")));
    }
}
