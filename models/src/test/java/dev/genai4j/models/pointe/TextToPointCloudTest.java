package dev.genai4j.models.pointe;

import dev.genai4j.data.render.RgbRaster;
import dev.genai4j.data.shapes.PlyFile;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.io.ConfigException;
import dev.genai4j.models.diffusion.DiffusionPipeline;
import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.PromptEncoder;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.models.diffusion.UNetConfig;
import dev.genai4j.models.pointe.train.PatchGrid;
import dev.genai4j.models.pointe.train.PointEGenerator;
import dev.genai4j.models.pointe.train.PointEInit;
import dev.genai4j.tensor.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text → image → cloud pipeline on tiny random-weight models (an 8×8 RGB UNet, a 32-point Point-E). */
class TextToPointCloudTest {
    static final int POINTS = 32;
    static TextToPointCloud pipeline;
    static TextToPointCloud.Result redCube;      // "a red cube", seed 5: shared by the tests (each cloud is 64 Heun steps)
    static final TextToPointCloud.Options FAST = TextToPointCloud.Options.defaults().withImageSteps(4);

    /** Prompt → fixed pseudo-random token states seeded by the prompt's hash: a frozen encoder without weight files. */
    static final class HashEncoder implements PromptEncoder {
        @Override public int dim() { return 8; }

        @Override public int length() { return 3; }

        @Override public String name() { return "hash"; }

        @Override public float[] encode(String prompt) {
            Rng r = new Rng(prompt.hashCode());
            float[] out = new float[24];
            for (int i = 0; i < out.length; i++) out[i] = (float) r.gaussian();
            return out;
        }
    }

    @BeforeAll
    static void build() {
        UNetConfig uc = new UNetConfig(8, 3, 3, new int[]{8, 16}, new boolean[]{false, true}, 1, 8, 8, 4, 1e-5f);
        DiffusionPipeline images = new DiffusionPipeline(new UNet(uc, new Rng(1)), NoiseSchedule.linear(50, 1e-4, 0.02), new HashEncoder());
        PatchGrid grid = new PatchGrid(8, 4);                                              // 2×2 tokens of 48
        PointEConfig pc = new PointEConfig(PointEConfig.Kind.GRID, 6, 12, POINTS, 16, 1, 2, true, 0, grid.gridSize(), grid.featureDim());
        GaussianDiffusion d = GaussianDiffusion.of("cosine", 64, GaussianDiffusion.DEFAULT_SCALES, GaussianDiffusion.DEFAULT_BIASES);
        pipeline = TextToPointCloud.of(images, PointEGenerator.of(PointEInit.create(pc, new Rng(2)), d, grid));
        redCube = pipeline.generate("a red cube", FAST.withSeed(5));
    }

    @AfterAll
    static void close() { pipeline.close(); }

    @Test
    void aFixedSeedGivesTheSameImageAndCloudAndAnotherSeedDoesNot() {
        TextToPointCloud.Result a = redCube;
        TextToPointCloud.Result b = pipeline.generate("a red cube", FAST.withSeed(5));
        TextToPointCloud.Result c = pipeline.generate("a red cube", FAST.withSeed(6));
        assertEquals(POINTS, a.cloud().size());
        assertEquals(8, a.image().width());
        assertArrayEquals(a.image().rgb(), b.image().rgb());
        assertArrayEquals(a.cloud().xyz(), b.cloud().xyz());
        assertArrayEquals(a.cloud().rgb(), b.cloud().rgb());
        assertFalse(java.util.Arrays.equals(a.cloud().xyz(), c.cloud().xyz()), "another seed, another cloud");
        for (float v : a.cloud().rgb()) assertTrue(v >= 0f && v <= 1f, "colours in [0, 1], got " + v);
        assertTrue(a.imageSeconds() > 0 && a.cloudSeconds() > 0);
    }

    @Test
    void knownWordsGiveNoWarningsAndUnknownWordsAreReportedButStillMakeACloud() {
        assertEquals(List.of(), pipeline.generate("a small red cone on top of a blue cube", FAST).warnings());
        TextToPointCloud.Result r = pipeline.generate("a shiny dodecahedron", FAST);
        assertEquals(POINTS, r.cloud().size());
        assertTrue(r.warnings().get(0).startsWith("unknown words: shiny, dodecahedron"), r.warnings().toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("no shape word")), r.warnings().toString());
    }

    @Test
    void aDivisorOfTheModelsPointsIsASeededSubsetAndOtherCountsFailNamingTheValidOnes() {
        PointCloud full = redCube.cloud();
        PointCloud half = pipeline.generate("a red cube", FAST.withSeed(5).withPoints(16)).cloud();
        assertEquals(16, half.size());
        for (int i = 0; i < half.size(); i++) {
            boolean found = false;
            for (int j = 0; j < full.size() && !found; j++) {
                found = full.x(j) == half.x(i) && full.y(j) == half.y(i) && full.z(j) == half.z(i);
            }
            assertTrue(found, "point " + i + " of the subset comes from the full cloud");
        }
        ConfigException e = assertThrows(ConfigException.class, () -> pipeline.generate("a blue sphere", FAST.withPoints(24)));
        assertTrue(e.getMessage().contains("32 points") && e.getMessage().contains("not 24"), e.getMessage());
        assertThrows(ConfigException.class, () -> pipeline.generate("a blue sphere", FAST.withPoints(64)));
        assertThrows(ConfigException.class, () -> FAST.withPoints(-1));
        assertThrows(ConfigException.class, () -> pipeline.generate("  ", FAST));
    }

    @Test
    void theCloudWritesAsPlyAndReadsBackAndThePreviewHasFiveTiles(@TempDir Path tmp) {
        TextToPointCloud.Result r = redCube;
        Path bin = tmp.resolve("c.ply"), ascii = tmp.resolve("a.ply");
        PlyFile.write(bin, r.cloud(), PlyFile.Format.BINARY_LITTLE_ENDIAN);
        PlyFile.write(ascii, r.cloud(), PlyFile.Format.ASCII);
        PointCloud back = PlyFile.read(bin), backAscii = PlyFile.read(ascii);
        assertArrayEquals(r.cloud().xyz(), back.xyz());
        assertEquals(POINTS, backAscii.size());
        for (int i = 0; i < r.cloud().xyz().length; i++) assertEquals(r.cloud().xyz()[i], backAscii.xyz()[i], 1e-4f);
        for (int i = 0; i < r.cloud().rgb().length; i++) assertEquals(r.cloud().rgb()[i], back.rgb()[i], 1f / 255 + 1e-6f);
        RgbRaster p = r.preview(32);
        assertEquals(5 * 32, p.width());
        assertEquals(32, p.height());
        // the first tile is the drawn image, scaled ×4 (nearest): its top-left pixel is the image's
        for (int c = 0; c < 3; c++) assertEquals(r.image().get(0, 0, c), p.get(0, 0, c));
    }

    @Test
    void loadingAMissingTextToImageFolderFailsNamingIt(@TempDir Path tmp) {
        ConfigException e = assertThrows(ConfigException.class, () -> TextToPointCloud.load(tmp.resolve("nope"), tmp));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("train diffusion"), e.getMessage());
    }
}
