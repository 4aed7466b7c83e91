package dev.genai4j.models.pointe.eval;

import dev.genai4j.data.render.RgbRaster;
import dev.genai4j.data.render.ShapeDatasetWriter;
import dev.genai4j.models.pointe.GaussianDiffusion;
import dev.genai4j.models.pointe.PointEConfig;
import dev.genai4j.models.pointe.train.PatchGrid;
import dev.genai4j.models.pointe.train.PointEInit;
import dev.genai4j.models.pointe.train.PointEUpsampler;
import dev.genai4j.models.pointe.train.ShapeCloudData;
import dev.genai4j.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link UpsampleCheck} with a tiny random upsampler (16 → 16 + 48 points) on two held-out 256-point scenes. */
class UpsampleCheckTest {
    @Test
    void scoresTheInputTheUpsampledCloudAndATruthSubsetOfEachHeldOutScene(@TempDir Path tmp) {
        ShapeDatasetWriter.Options d = ShapeDatasetWriter.Options.defaults(4);
        ShapeDatasetWriter.write(new ShapeDatasetWriter.Options(4, 1, 0.0, 256, 16, 1, 1, 45, 8, d.format()), tmp);
        ShapeCloudData data = ShapeCloudData.open(tmp, 2);
        PatchGrid grid = new PatchGrid(16, 8);
        PointEConfig c = new PointEConfig(PointEConfig.Kind.GRID_UPSAMPLE, 6, 12, 48, 16, 1, 2, true, 16, grid.gridSize(), grid.featureDim());
        GaussianDiffusion linear = GaussianDiffusion.of("linear", 64, GaussianDiffusion.DEFAULT_SCALES, GaussianDiffusion.DEFAULT_BIASES);
        PointEUpsampler up = PointEUpsampler.of(PointEInit.create(c, new Rng(3)), linear, grid);

        UpsampleCheck.Report r = UpsampleCheck.run(up, data.heldOut(), 1f, 0);
        assertEquals(2, r.scenes().size());
        for (UpsampleCheck.Scene s : r.scenes()) {
            assertEquals(16, s.lowRes().size());
            assertEquals(64, s.upsampled().size());
            assertEquals(64, s.truthSubset().size());
            for (int i = 0; i < 3 * 16; i++) assertEquals(s.lowRes().xyz()[i], s.upsampled().xyz()[i], 1e-5f, "the input comes first");
            assertEquals(ChamferDistance.between(s.lowRes(), data.heldOut().get(r.scenes().indexOf(s)).cloud()), s.lowResChamfer(), 1e-12);
            assertTrue(s.truthSubsetChamfer() < s.lowResChamfer(), "64 true points cover the cloud better than 16: " + s);
        }
        assertEquals((r.scenes().get(0).upsampledChamfer() + r.scenes().get(1).upsampledChamfer()) / 2, r.meanUpsampled(), 1e-12);
        RgbRaster p = r.preview(32);
        assertEquals(4 * 32, p.width());
        assertEquals(2 * 32, p.height());
    }
}
