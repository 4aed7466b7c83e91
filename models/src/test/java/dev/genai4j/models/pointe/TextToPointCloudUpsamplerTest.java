package dev.genai4j.models.pointe;

import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.io.ConfigException;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.models.diffusion.DiffusionPipeline;
import dev.genai4j.models.diffusion.NoiseSchedule;
import dev.genai4j.models.diffusion.UNet;
import dev.genai4j.models.diffusion.UNetConfig;
import dev.genai4j.models.pointe.train.PatchGrid;
import dev.genai4j.models.pointe.train.PointEGenerator;
import dev.genai4j.models.pointe.train.PointEInit;
import dev.genai4j.models.pointe.train.PointEUpsampler;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.ShapeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Base → upsampler on tiny random-weight models: a 16-point base model and an upsampler adding 32 points. */
class TextToPointCloudUpsamplerTest {
    static final int BASE = 16, ADD = 32;
    static final PatchGrid GRID = new PatchGrid(8, 4);                                   // 2×2 tokens of 48
    static final GaussianDiffusion COSINE = GaussianDiffusion.of("cosine", 64, GaussianDiffusion.DEFAULT_SCALES, GaussianDiffusion.DEFAULT_BIASES);
    static final GaussianDiffusion LINEAR = GaussianDiffusion.of("linear", 64, GaussianDiffusion.DEFAULT_SCALES, GaussianDiffusion.DEFAULT_BIASES);
    static final TextToPointCloud.Options FAST = TextToPointCloud.Options.defaults().withImageSteps(4);
    static PointEGenerator base;
    static TextToPointCloud pipeline;

    static PointEGenerator baseModel(int points) {
        PointEConfig c = new PointEConfig(PointEConfig.Kind.GRID, 6, 12, points, 16, 1, 2, true, 0, GRID.gridSize(), GRID.featureDim());
        return PointEGenerator.of(PointEInit.create(c, new Rng(2)), COSINE, GRID);
    }

    static PointEUpsampler upsampler(int lowRes, PatchGrid grid) {
        PointEConfig c = new PointEConfig(PointEConfig.Kind.GRID_UPSAMPLE, 6, 12, ADD, 16, 1, 2, true, lowRes, grid.gridSize(), grid.featureDim());
        return PointEUpsampler.of(PointEInit.create(c, new Rng(3)), LINEAR, grid);
    }

    @BeforeAll
    static void build() {
        UNetConfig uc = new UNetConfig(8, 3, 3, new int[]{8, 16}, new boolean[]{false, true}, 1, 8, 8, 4, 1e-5f);
        DiffusionPipeline images = new DiffusionPipeline(new UNet(uc, new Rng(1)), NoiseSchedule.linear(50, 1e-4, 0.02), new TextToPointCloudTest.HashEncoder());
        base = baseModel(BASE);
        pipeline = TextToPointCloud.of(images, base.withUpsampler(upsampler(BASE, GRID)));
    }

    @AfterAll
    static void close() { pipeline.close(); }

    static RgbImage image() {
        byte[] rgb = new byte[3 * 64];
        for (int i = 0; i < rgb.length; i++) rgb[i] = (byte) (i * 37);
        return new RgbImage(8, 8, rgb);
    }

    @Test
    void theUpsampledCloudIsTheBaseCloudFollowedByTheNewPointsAndFixedBySeed() {
        PointEGenerator both = base.withUpsampler(upsampler(BASE, GRID));
        assertEquals(BASE + ADD, both.maxPoints());
        PointCloud a = both.generate(image(), BASE + ADD, 3f, 4), again = both.generate(image(), BASE + ADD, 3f, 4);
        PointCloud other = both.generate(image(), BASE + ADD, 3f, 5);
        PointCloud baseOnly = base.generate(image(), BASE, 3f, 4);
        assertEquals(BASE + ADD, a.size());
        assertArrayEquals(a.xyz(), again.xyz());
        assertArrayEquals(a.rgb(), again.rgb());
        assertFalse(Arrays.equals(a.xyz(), other.xyz()), "another seed, another cloud");
        for (int i = 0; i < 3 * BASE; i++) {
            assertEquals(baseOnly.xyz()[i], a.xyz()[i], 1e-5f, "the first n_ctx points are the base stage's cloud (the low_res condition)");
        }
        assertFalse(Arrays.equals(Arrays.copyOfRange(a.xyz(), 3 * BASE, 6 * BASE), baseOnly.xyz()), "the new points are new");
        assertEquals(BASE, both.generate(image(), BASE, 3f, 4).size(), "n_ctx alone still runs the base model only");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> both.generate(image(), 40, 3f, 4));
        assertTrue(e.getMessage().contains(BASE + " points") && e.getMessage().contains("upsampler " + (BASE + ADD)) && e.getMessage().contains("not 40"),
                e.getMessage());
    }

    @Test
    void upsamplingAGivenCloudKeepsItAndAddsTheUpsamplersPoints() {
        PointEUpsampler up = upsampler(BASE, GRID);
        PointCloud low = base.generate(image(), BASE, 1f, 9);
        PointCloud dense = up.upsample(image(), low, 3f, 1);
        assertEquals(BASE + ADD, dense.size());
        for (int i = 0; i < 3 * BASE; i++) assertEquals(low.xyz()[i], dense.xyz()[i], 1e-5f);
        ShapeException e = assertThrows(ShapeException.class, () -> up.upsample(image(), dense, 3f, 1));
        assertTrue(e.getMessage().contains(BASE + " points") && e.getMessage().contains("got " + (BASE + ADD)), e.getMessage());
    }

    @Test
    void thePipelineGivesTheConcatenationByDefaultAndRefusesCountsTheModelsCannotGive() {
        assertEquals(BASE + ADD, pipeline.maxPoints());
        TextToPointCloud.Result r = pipeline.generate("a red cube", FAST.withSeed(5));
        assertEquals(BASE + ADD, r.cloud().size());
        TextToPointCloud.Result again = pipeline.generate("a red cube", FAST.withSeed(5));
        assertArrayEquals(r.cloud().xyz(), again.cloud().xyz());
        assertEquals(24, pipeline.generate("a red cube", FAST.withSeed(5).withPoints(24)).cloud().size(), "a divisor of 48: a subset");
        assertEquals(8, pipeline.resolvePoints(8));
        ConfigException e = assertThrows(ConfigException.class, () -> pipeline.resolvePoints(20));
        assertTrue(e.getMessage().contains("16 points") && e.getMessage().contains("upsampler 48") && e.getMessage().contains("not 20"), e.getMessage());
        assertThrows(ConfigException.class, () -> pipeline.resolvePoints(96));
    }

    @Test
    void anUpsamplerThatDoesNotFitTheBaseModelIsRefusedNamingBoth() {
        ConfigException lowRes = assertThrows(ConfigException.class, () -> base.withUpsampler(upsampler(8, GRID)));
        assertTrue(lowRes.getMessage().contains("conditions on 8 low-res points") && lowRes.getMessage().contains("makes 16"), lowRes.getMessage());
        PatchGrid other = new PatchGrid(8, 2);                                           // 4×4 tokens of 12
        ConfigException grid = assertThrows(ConfigException.class, () -> base.withUpsampler(upsampler(BASE, other)));
        assertTrue(grid.getMessage().contains("4×4 of 12") && grid.getMessage().contains("2×2 of 48"), grid.getMessage());
    }
}
