package dev.genai4j.models.clip;

import dev.genai4j.io.SafetensorsFile;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against Pillow 9.4.0 outputs made by {@code scripts/reference/clip_pil_reference.py}: every
 * resample filter in every direction, and {@code Image.open(f).convert("RGB")} of files in
 * PIL's other modes (grey, grey + alpha, RGBA, palette PNG and GIF, BMP, 16-bit grey, JPEG).
 */
class PillowReferenceTest {
    static final Path DIR = Path.of("src/test/resources/clip/pil");

    static int[] pil(String name) {
        try (SafetensorsFile f = SafetensorsFile.open(DIR.resolve("pil.safetensors"))) {
            Tensor t = f.get(name);
            float[] v = t.toFloatArray();
            int[] out = new int[v.length + 2];
            out[0] = t.size(1);   // W
            out[1] = t.size(0);   // H
            for (int i = 0; i < v.length; i++) out[i + 2] = (int) v[i];
            return out;
        }
    }

    static int differing(RgbImage ours, int[] ref) {
        assertEquals(ref[0], ours.width());
        assertEquals(ref[1], ours.height());
        int n = 0;
        for (int i = 0; i < ours.rgb().length; i++) if ((ours.rgb()[i] & 0xFF) != ref[i + 2]) n++;
        return n;
    }

    @ParameterizedTest
    @ValueSource(strings = {"bicubic", "bilinear", "box", "lanczos", "hamming"})
    void everyFilterMatchesPillowExactly(String filter) {
        RgbImage src = ImageFiles.read(DIR.resolve("src_rgb.png"));
        PilResample.Filter f = PilResample.Filter.valueOf(filter.toUpperCase(Locale.ROOT));
        int[][] sizes = filter.equals("bicubic")
                ? new int[][]{{61, 38}, {211, 130}, {157, 50}, {40, 97}, {224, 224}}
                : new int[][]{{61, 38}, {211, 130}, {157, 50}, {40, 97}};
        for (int[] s : sizes) {
            int[] ref = pil("resize_" + filter + "_" + s[0] + "x" + s[1]);
            assertEquals(0, differing(PilResample.resize(src, s[0], s[1], f), ref), filter + " " + s[0] + "x" + s[1] + ": bytes differing from PIL");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grey.png", "grey_alpha.png", "rgba.png", "palette.png", "palette.gif", "rgb.bmp", "grey16.png"})
    void losslessFilesDecodeAsPilConvertRgb(String file) {
        assertEquals(0, differing(ImageFiles.read(DIR.resolve(file)), pil("rgb_" + file)), file);
    }

    @Test
    void jpegDecodingMatchesLibjpegTurboOnABaselineFile() {
        RgbImage ours = ImageFiles.read(DIR.resolve("photo.jpg"));
        int[] ref = pil("rgb_photo.jpg");
        assertEquals(ref[0], ours.width());
        int max = 0;
        long sum = 0;
        for (int i = 0; i < ours.rgb().length; i++) {
            int d = Math.abs((ours.rgb()[i] & 0xFF) - ref[i + 2]);
            max = Math.max(max, d);
            sum += d;
        }
        double mean = (double) sum / ours.rgb().length;
        System.out.printf(Locale.ROOT, "JPEG vs Pillow/libjpeg-turbo: max |diff| %d, mean %.4f%n", max, mean);
        // measured identical for this baseline 4:2:0, quality-90 file (islow IDCT, fancy upsampling
        // in both decoders); other JPEGs (progressive, other subsampling) are not guaranteed to be
        assertEquals(0, max, "max " + max + " mean " + mean);
    }

    @Test
    void referenceImagesAreWhatTheScriptSays() {
        RgbImage src = ImageFiles.read(DIR.resolve("src_rgb.png"));
        assertArrayEquals(new int[]{157, 97}, new int[]{src.width(), src.height()});
    }
}
