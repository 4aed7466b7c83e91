package dev.genai4j.models.diffusion;

import dev.genai4j.data.DataException;
import dev.genai4j.data.render.ShapeDatasetWriter;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.models.clip.ImageFiles;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shape renders of a {@code pointe data} set as text-to-image training data. */
class ShapeRenderImagesTest {
    @TempDir
    static Path data;

    @BeforeAll
    static void write() {
        // ten scenes (some pairs), 64-point clouds, one 16×16 render each
        ShapeDatasetWriter.write(new ShapeDatasetWriter.Options(10, 3, 0.3, 64, 16, 1, 1, 45, 8, PlyFile.Format.BINARY_LITTLE_ENDIAN), data);
    }

    @Test
    void heldOutScenesAreLeftOutAndEachImageIsItsRenderResizedWithItsCaptionAsPrompt() throws Exception {
        ShapeRenderImages d = ShapeRenderImages.load(data, 8, 3);
        assertEquals(7, d.size());
        assertEquals(3, d.channels());
        Tensor x = d.images(new int[]{0, 6});
        assertArrayEquals(new int[]{2, 3, 8, 8}, x.shape());
        for (float v : x.toFloatArray()) assertTrue(v >= -1f && v <= 1f, "pixel " + v);

        List<String> lines = Files.readAllLines(data.resolve("captions.jsonl"));
        var first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(0));
        assertEquals(first.path("caption").asText(), d.trainingPrompt(0, new Rng(1)));
        assertEquals(first.path("caption").asText(), d.caption(0));
        assertEquals(first.path("objects").path(0).path("shape").asText(), d.prompts().classNames().get(d.label(0)));

        // pixel (3, 5) of channel 1 of scene 6 is the render downscaled with Point-E's PatchGrid resize
        RgbImage small = dev.genai4j.models.clip.ClipImageProcessor.defaults(8)
                .resizeAndCrop(ImageFiles.read(data.resolve(new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(6)).path("images").path(0).asText())));
        assertEquals(small.get(3, 5, 1) / 127.5f - 1f, x.toFloatArray()[3 * 64 + 64 + 5 * 8 + 3], 1e-6f);
    }

    @Test
    void everyViewOfAScenesIsAnExampleWithTheScenesCaption(@TempDir Path multi) throws Exception {
        // six scenes with three views each, two held out: 4 × 3 examples, in scene order then view order
        ShapeDatasetWriter.write(new ShapeDatasetWriter.Options(6, 3, 0.3, 64, 16, 1, 3, 45, 8, PlyFile.Format.BINARY_LITTLE_ENDIAN), multi);
        ShapeRenderImages d = ShapeRenderImages.load(multi, 8, 2);
        assertEquals(12, d.size());
        List<String> lines = Files.readAllLines(multi.resolve("captions.jsonl"));
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var scene1 = mapper.readTree(lines.get(1));
        for (int v = 0; v < 3; v++) assertEquals(scene1.path("caption").asText(), d.caption(3 + v));
        // example 5 is scene 1's third view, not its first
        RgbImage view2 = dev.genai4j.models.clip.ClipImageProcessor.defaults(8).resizeAndCrop(ImageFiles.read(multi.resolve(scene1.path("images").path(2).asText())));
        float[] px = d.images(new int[]{5}).toFloatArray();
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) assertEquals(view2.get(x, y, 0) / 127.5f - 1f, px[y * 8 + x], 1e-6f);
        }
        assertTrue(!java.util.Arrays.equals(px, d.images(new int[]{3}).toFloatArray()), "views 0 and 2 of a scene are different images");
    }

    @Test
    void samplePromptsNameAColourAndTheRowsPrimitiveAndTheUNetIsRgb() {
        ShapeRenderImages d = ShapeRenderImages.load(data, 8, 0);
        assertEquals("a red sphere", d.samplePrompt(0));
        assertEquals("an orange cube", d.samplePrompt(1));
        assertEquals(3, d.unetConfig().inChannels());
        assertEquals(384, d.unetConfig().crossAttentionDim());
        assertEquals(32, d.unetConfig().sampleSize());
    }

    @Test
    void aMissingIndexOrAHoldOutThatLeavesNothingFailsNamingTheFile(@TempDir Path empty) {
        DataException e = assertThrows(DataException.class, () -> ShapeRenderImages.load(empty, 8, 0));
        assertTrue(e.getMessage().contains("captions.jsonl") && e.getMessage().contains("pointe data"), e.getMessage());
        assertThrows(DataException.class, () -> ShapeRenderImages.load(data, 8, 10));
    }
}
