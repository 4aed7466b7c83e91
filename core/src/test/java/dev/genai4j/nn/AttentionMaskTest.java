package dev.genai4j.nn;

import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.genai4j.nn.NnTesting.assertShape;
import static org.junit.jupiter.api.Assertions.*;

class AttentionMaskTest {
    /** The bias as a picture: '1' allowed (0 added), '.' masked (−∞ added), rows of keys per query. */
    private static String pattern(Tensor bias, int b) {
        int tq = bias.size(2), tk = bias.size(3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tq; i++) {
            if (i > 0) sb.append('|');
            for (int j = 0; j < tk; j++) {
                float v = bias.get(b, 0, i, j);
                assertTrue(v == 0f || v == Float.NEGATIVE_INFINITY, "bias entries are 0 or −∞, got " + v);
                sb.append(v == 0f ? '1' : '.');
            }
        }
        return sb.toString();
    }

    @Test
    void causalUsesAbsoluteQuerySlots() {
        Tensor full = AttentionMask.causal().bias(3, 0, 4, 4);
        assertShape(full, 1, 1, 4, 4);               // nothing depends on the batch row
        assertEquals("1...|11..|111.|1111", pattern(full, 0));
        // two queries after three cached keys sit at slots 3 and 4
        assertEquals("1111.|11111", pattern(AttentionMask.causal().bias(1, 3, 2, 5), 0));
        assertNull(AttentionMask.none().bias(2, 0, 3, 3));
    }

    @Test
    void modernBertLocalWindowIsSymmetric() {
        // local_attention = 4: |i − j| ≤ 2
        assertEquals("111...|1111..|11111.|.11111|..1111|...111", pattern(AttentionMask.symmetricWindow(4).bias(1, 0, 6, 6), 0));
    }

    @Test
    void mistralWindowIsCausalAndShorterThanTheWindow() {
        // window 3: 0 ≤ i − j < 3
        assertEquals("1.....|11....|111...|.111..|..111.|...111", pattern(AttentionMask.causalWindow(3).bias(1, 0, 6, 6), 0));
        // decode step at slot 5 over 6 cached keys
        assertEquals("...111", pattern(AttentionMask.causalWindow(3).bias(1, 5, 1, 6), 0));
        assertEquals("11...|111..|.111.", pattern(AttentionMask.none().withWindow(1, 1).bias(1, 0, 3, 5), 0));
    }

    @Test
    void keyPaddingCombinesWithCausal() {
        Tensor am = Tensor.of(new float[]{1, 1, 1, 0, 0, 1, 1, 1}, 2, 4);
        Tensor bias = AttentionMask.causal().withKeyPadding(am).bias(2, 0, 4, 4);
        assertShape(bias, 2, 1, 4, 4);
        assertEquals("1...|11..|111.|111.", pattern(bias, 0));     // right padding
        assertEquals("....|.1..|.11.|.111", pattern(bias, 1));     // left padding: the pad query sees nothing
        assertEquals("111.|111.", pattern(AttentionMask.none().withKeyPadding(am).bias(2, 0, 2, 4), 0));
        ShapeException e = assertThrows(ShapeException.class, () -> AttentionMask.none().withKeyPadding(am).bias(2, 0, 1, 5));
        assertTrue(e.getMessage().contains("attention_mask"), e.getMessage());
    }

    @Test
    void fillAndCustomBias() {
        Tensor b = AttentionMask.causal().withFill(-Float.MAX_VALUE).bias(1, 0, 2, 2);
        assertEquals(-Float.MAX_VALUE, b.get(0, 0, 0, 1));
        assertEquals(0f, b.get(0, 0, 1, 1));
        Tensor custom = Tensor.zeros(1, 1, 2, 3);
        assertSame(custom, AttentionMask.ofBias(custom).bias(4, 0, 2, 3));
        assertThrows(ShapeException.class, () -> AttentionMask.ofBias(custom).bias(4, 0, 2, 4));
    }
}
