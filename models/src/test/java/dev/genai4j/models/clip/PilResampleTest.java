package dev.genai4j.models.clip;

import dev.genai4j.io.SafetensorsFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** PIL's 8-bit resample reproduced bit for bit. */
class PilResampleTest {
    static final Path CASE = ClipFixturesTest.ROOT.resolve("preprocess");

    @Test
    void bicubicUpscaleMatchesPillowExactly() {
        RgbImage img = ImageFiles.read(CASE.resolve("image.png"));
        assertEquals(300, img.width());
        assertEquals(200, img.height());
        RgbImage ours = PilResample.resize(img, 336, 224, PilResample.Filter.BICUBIC);
        float[] pil;
        try (SafetensorsFile f = SafetensorsFile.open(CASE.resolve("intermediates.safetensors"))) {
            pil = f.get("resized").toFloatArray();        // [224, 336, 3], Pillow 9.4's uint8 output as floats
        }
        assertEquals(pil.length, ours.rgb().length);
        int mismatches = 0;
        for (int i = 0; i < pil.length; i++) if ((ours.rgb()[i] & 0xFF) != (int) pil[i]) mismatches++;
        assertEquals(0, mismatches, "pixels differing from PIL");
    }

    @Test
    void coefficientsSumToOneInFixedPointAndSpanTheSupport() {
        // downscale 300 → 97: filterscale 3.09, support 6.19, 13 taps at most plus the window guard
        PilResample.Coefficients c = PilResample.coefficients(300, 0f, 300f, 97, PilResample.Filter.BICUBIC);
        assertEquals(15, c.ksize());
        for (int xx = 0; xx < 97; xx++) {
            long sum = 0;
            for (int k = 0; k < c.bounds()[xx * 2 + 1]; k++) sum += c.weights()[xx * c.ksize() + k];
            // each weight rounds on its own: the sum is 2²² within one unit per tap
            assertEquals(1 << 22, sum, c.bounds()[xx * 2 + 1], "output " + xx);
        }
        assertEquals(0, c.bounds()[0], "first window clipped at the left edge");
    }

    @Test
    void constantImageStaysConstantUnderEveryFilterAndDirection() {
        byte[] px = new byte[37 * 23 * 3];
        for (int i = 0; i < px.length; i += 3) { px[i] = (byte) 200; px[i + 1] = 17; px[i + 2] = (byte) 255; }
        RgbImage img = new RgbImage(37, 23, px);
        for (PilResample.Filter f : PilResample.Filter.values()) {
            for (int[] size : new int[][]{{11, 5}, {80, 61}, {37, 9}, {5, 23}, {1, 1}}) {
                RgbImage out = PilResample.resize(img, size[0], size[1], f);
                assertEquals(size[0], out.width());
                assertEquals(size[1], out.height());
                for (int y = 0; y < out.height(); y++) {
                    for (int x = 0; x < out.width(); x++) {
                        assertEquals(200, out.get(x, y, 0), f + " " + size[0] + "x" + size[1]);
                        assertEquals(17, out.get(x, y, 1));
                        assertEquals(255, out.get(x, y, 2));
                    }
                }
            }
        }
    }

    @Test
    void sameSizeIsACopyAndClipping() {
        byte[] px = new byte[4 * 3 * 3];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 7);
        RgbImage img = new RgbImage(4, 3, px);
        RgbImage same = PilResample.resize(img, 4, 3, PilResample.Filter.BICUBIC);
        assertArrayEquals(px, same.rgb());
        assertNotSame(px, same.rgb());
        assertEquals(0, PilResample.clip8(-5 << 22) & 0xFF);
        assertEquals(255, PilResample.clip8(300 << 22) & 0xFF);
        assertEquals(128, PilResample.clip8((128 << 22) + (1 << 21)) & 0xFF);
        assertThrows(RuntimeException.class, () -> PilResample.resize(img, 0, 3, PilResample.Filter.BICUBIC));
        assertThrows(RuntimeException.class, () -> PilResample.Filter.fromPil(0));
    }
}
