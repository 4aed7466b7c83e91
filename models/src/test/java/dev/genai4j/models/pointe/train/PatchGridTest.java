package dev.genai4j.models.pointe.train;

import dev.genai4j.io.ConfigException;
import dev.genai4j.io.JsonConfig;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.nn.functional.LayerNormOp;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class PatchGridTest {
    /** An 8×8 image whose left half is one grey level and right half another. */
    private static RgbImage halves(int left, int right) {
        byte[] rgb = new byte[3 * 64];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) Arrays.fill(rgb, 3 * (y * 8 + x), 3 * (y * 8 + x) + 3, (byte) (x < 4 ? left : right));
        }
        return new RgbImage(8, 8, rgb);
    }

    @Test
    void positionFeaturesFollowThePixelsOfEachToken() {
        PatchGrid g = new PatchGrid(8, 4, 8);                                  // 2×2 tokens of 48 pixels + 8 positions
        assertEquals(56, g.featureDim());
        Tensor t = g.grid(List.of(halves(0, 255)));                            // [1, 56, 4]
        assertArrayEquals(new int[]{1, 56, 4}, t.shape());
        float[] v = t.toFloatArray();
        assertEquals(-1f, v[0 * 4 + 0], 1e-6);                                 // token 0 (left), pixel 0: black
        assertEquals(1f, v[0 * 4 + 1], 1e-6);                                  // token 1 (right): white
        int token = 3, gx = 1, gy = 1;                                         // bottom-right token
        double u = (gx + 0.5) / 2, w = (gy + 0.5) / 2;
        assertEquals(Math.sin(Math.PI * u), v[48 * 4 + token], 1e-6);          // column, frequency 1
        assertEquals(Math.cos(Math.PI * 2 * u), v[51 * 4 + token], 1e-6);      // column, frequency 2
        assertEquals(Math.sin(Math.PI * w), v[52 * 4 + token], 1e-6);          // row, frequency 1
        assertEquals(Math.cos(Math.PI * 2 * w), v[55 * 4 + token], 1e-6);      // row, frequency 2
    }

    @Test
    void withPositionsLayerNormNoLongerErasesTheBrightnessOfFlatPatches() {
        // two flat patches, dark and light, at the same place in two images: only the brightness differs
        Tensor ones = Tensor.full(1f, 56), zeros = Tensor.zeros(56);
        Tensor plain = new PatchGrid(8, 4).grid(List.of(halves(30, 30), halves(220, 220)));
        Tensor lnPlain = LayerNormOp.layerNorm(plain.permute(0, 2, 1).narrow(2, 0, 48).contiguous(), ones.narrow(0, 0, 48), zeros.narrow(0, 0, 48), 1e-5f);
        float[] p = lnPlain.toFloatArray();                                    // [2, 4, 48]
        assertEquals(0f, p[0] - p[4 * 48], 1e-3, "without positions a dark and a light flat patch normalize to the same token");
        Tensor pos = new PatchGrid(8, 4, 8).grid(List.of(halves(30, 30), halves(220, 220)));
        float[] q = LayerNormOp.layerNorm(pos.permute(0, 2, 1).contiguous(), ones, zeros, 1e-5f).toFloatArray();   // [2, 4, 56]
        assertTrue(q[4 * 56] - q[0] > 0.25f, "with positions the light patch stays brighter: " + q[0] + " vs " + q[4 * 56]);
    }

    @Test
    void describeRoundTripsAndOldConfigsMeanNoPositions() {
        PatchGrid g = new PatchGrid(32, 4, 16);
        ImageGrid back = ImageGrid.fromJson(JsonConfig.of(g.describe()), null);
        assertEquals(g.featureDim(), back.featureDim());
        assertEquals(64, back.featureDim());
        ImageGrid old = ImageGrid.fromJson(JsonConfig.of(Map.of("kind", "patches", "image_size", 32, "patch", 4)), null);
        assertEquals(48, old.featureDim());
    }

    @Test
    void positionCountMustBeAMultipleOfFour() {
        ConfigException e = assertThrows(ConfigException.class, () -> new PatchGrid(32, 4, 6));
        assertTrue(e.getMessage().contains("multiple of 4"), e.getMessage());
    }
}
