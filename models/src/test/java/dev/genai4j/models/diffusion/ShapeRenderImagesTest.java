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
