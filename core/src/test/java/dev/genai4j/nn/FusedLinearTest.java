package dev.genai4j.nn;

import dev.genai4j.tensor.ShapeException;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.genai4j.nn.NnTesting.*;
import static org.junit.jupiter.api.Assertions.*;

class FusedLinearTest {
    /** Three read-only (mapped bf16) layers of widths 6, 5 and 7 over the same 4 inputs; the middle one without bias. */
    private static Linear[] layers() {
        Linear a = Linear.load(weights("weight", bf16(randn(1, 6, 4)), "bias", bf16(randn(2, 6))), 4, 6, true);
        Linear b = Linear.load(weights("weight", bf16(randn(3, 5, 4))), 4, 5, false);
        Linear c = Linear.load(weights("weight", bf16(randn(4, 7, 4)), "bias", bf16(randn(5, 7))), 4, 7, true);
        return new Linear[]{a, b, c};
    }

    @Test
    void oneProductEqualsTheLayersSideBySide() {
        Linear[] l = layers();
        FusedLinear fused = FusedLinear.ofReadOnly(l);
        assertNotNull(fused);
        assertEquals(4, fused.inFeatures());
        assertEquals(18, fused.outFeatures());
        for (int rows : new int[]{1, 3, 40}) {
            float[] x = randn(6 + rows, rows, 4).toFloatArray();
            float[] y = new float[rows * 18 + 2];
            Arrays.fill(y, 1e9f);
            fused.forwardInto(x, rows, y);
            float[] expected = new float[rows * 18];
            int col = 0;
            for (Linear part : l) {
                part.forwardInto(x, rows, expected, col, 18);                // the strided overload: its own columns
                col += part.outFeatures();
            }
            assertClose(expected, Arrays.copyOf(y, rows * 18), 1e-5, "fused vs separate, rows=" + rows);
            assertEquals(1e9f, y[rows * 18], "nothing past rows·out is written");
        }
    }

    @Test
    void stridedLinearWritesOnlyItsOwnColumns() {
        Linear lin = layers()[0];                                            // out 6
        float[] x = randn(9, 3, 4).toFloatArray();
        float[] dense = new float[18];
        lin.forwardInto(x, 3, dense);
        float[] wide = new float[2 + 2 * 10 + 6];
        Arrays.fill(wide, -7f);
        lin.forwardInto(x, 3, wide, 2, 10);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 10 && 2 + r * 10 + c < wide.length; c++) {
                float v = wide[2 + r * 10 + c];
                if (c < 6) assertEquals(dense[r * 6 + c], v, 0f, "row " + r + " col " + c);
                else assertEquals(-7f, v, 0f, "row " + r + " col " + c + " is not the layer's");
            }
        }
        assertEquals(-7f, wide[0]);
        assertThrows(ShapeException.class, () -> lin.forwardInto(x, 3, new float[2 + 2 * 10 + 5], 2, 10));
        assertThrows(ShapeException.class, () -> lin.forwardInto(x, 3, wide, 0, 5));   // stride below out
    }

    @Test
    void trainableWeightsAreNotFusedAndAReplacedWeightRetiresTheCopy() {
        Linear trainable = Linear.load(weights("weight", randn(1, 6, 4)), 4, 6, false);   // heap f32: writable
        assertNull(FusedLinear.ofReadOnly(trainable, layers()[1]));
        Linear[] l = layers();
        FusedLinear fused = FusedLinear.ofReadOnly(l);
        assertTrue(fused.isCurrent());
        l[1].weight().set(Tensor.of(new float[20], 5, 4));                   // as a fine-tune's copy would
        assertFalse(fused.isCurrent());
    }

    @Test
    void mismatchedInputsAndShortArraysAreRefused() {
        Linear wide = Linear.load(weights("weight", bf16(randn(1, 6, 5))), 5, 6, false);
        assertNull(FusedLinear.ofReadOnly(layers()[0], wide));
        assertThrows(IllegalArgumentException.class, FusedLinear::ofReadOnly);
        FusedLinear fused = FusedLinear.ofReadOnly(layers());
        ShapeException e = assertThrows(ShapeException.class, () -> fused.forwardInto(new float[8], 2, new float[35]));
        assertTrue(e.getMessage().contains("y of 36 floats, got 8 and 35"), e.getMessage());
        assertThrows(ShapeException.class, () -> fused.forwardInto(new float[7], 2, new float[36]));
    }
}
