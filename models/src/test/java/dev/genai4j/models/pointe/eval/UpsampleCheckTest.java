package dev.genai4j.models.pointe.eval;

import dev.genai4j.data.shapes.PointCloud;

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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
            assertTrue(s.jitteredChamfer() > 0 && Double.isFinite(s.jitteredChamfer()), "the untrained baseline is scored: " + s);
        }
        assertEquals((r.scenes().get(0).upsampledChamfer() + r.scenes().get(1).upsampledChamfer()) / 2, r.meanUpsampled(), 1e-12);
        RgbRaster p = r.preview(32);
        assertEquals(4 * 32, p.width());
        assertEquals(2 * 32, p.height());
    }

    @Test
    void jitteredCopiesKeepTheInputThenScatterColouredCopiesAtHalfTheSpacing() {
        // four points on a unit square: every nearest neighbour is 1 away, so σ = 0.5
        float[] xyz = {0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0};
        float[] rgb = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1f, 0f, 0.5f};
        PointCloud in = new PointCloud(xyz, rgb);
        PointCloud out = PointEUpsampler.jitteredCopies(in, 4 + 4 * 2000, new Rng(1));
        assertEquals(8004, out.size());
        for (int i = 0; i < 12; i++) {
            assertEquals(xyz[i], out.xyz()[i], 0f, "input first");
            assertEquals(rgb[i], out.rgb()[i], 0f);
        }
        double[] sum2 = new double[3];
        for (int k = 4; k < out.size(); k++) {
            int j = k % 4;
            for (int a = 0; a < 3; a++) {
                assertEquals(rgb[3 * j + a], out.rgb()[3 * k + a], 0f, "copy " + k + " has its source's colour");
                double d = out.xyz()[3 * k + a] - xyz[3 * j + a];
                sum2[a] += d * d;
            }
        }
        for (int a = 0; a < 3; a++) assertEquals(0.5, Math.sqrt(sum2[a] / 8000), 0.02, "σ on axis " + a);
        assertThrows(IllegalArgumentException.class, () -> PointEUpsampler.jitteredCopies(in, 3, new Rng(1)));
    }

    @Test
    void upsamplingFromTheJitteredCopiesKeepsTheInputAndIsFixedBySeed(@TempDir Path tmp) {
        PatchGrid grid = new PatchGrid(16, 8);
        PointEConfig c = new PointEConfig(PointEConfig.Kind.GRID_UPSAMPLE, 6, 12, 48, 16, 1, 2, true, 16, grid.gridSize(), grid.featureDim(), 2);
        GaussianDiffusion linear = GaussianDiffusion.of("linear", 64, GaussianDiffusion.DEFAULT_SCALES, GaussianDiffusion.DEFAULT_BIASES);
        PointEUpsampler up = PointEUpsampler.of(PointEInit.create(c, new Rng(3)), linear, grid);
        PointCloud low = PointEUpsampler.jitteredCopies(new PointCloud(new float[]{0, 0, 0, 0.2f, 0, 0}, new float[]{1, 0, 0, 0, 1, 0}), 16, new Rng(5));
        var image = new dev.genai4j.models.clip.RgbImage(16, 16, new byte[3 * 16 * 16]);
        PointEUpsampler fromCopies = up.withStartSigma(0.3);
        assertEquals(0.3, fromCopies.startSigma(), 0.0);
        assertEquals(0.0, up.startSigma(), 0.0, "the reference's start by default");
        PointCloud a = fromCopies.upsample(image, low, 1f, 9), b = fromCopies.upsample(image, low, 1f, 9), plain = up.upsample(image, low, 1f, 9);
        assertEquals(64, a.size());
        for (int i = 0; i < 3 * 16; i++) assertEquals(low.xyz()[i], a.xyz()[i], 1e-5f, "the input comes first");
        assertArrayEquals(a.xyz(), b.xyz(), "same seed, same cloud");
        double moved = 0, movedPlain = 0;             // an untrained model barely moves copies started at σ 0.3; noise at σ 160 lands anywhere
        for (int i = 3 * 16; i < 3 * 64; i++) {
            moved += Math.abs(a.xyz()[i] - low.xyz()[(i / 3 % 16) * 3 + i % 3]);
            movedPlain += Math.abs(plain.xyz()[i] - low.xyz()[(i / 3 % 16) * 3 + i % 3]);
        }
        assertTrue(moved < movedPlain, "from the copies the new points stay nearer their sources: " + moved + " vs " + movedPlain);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> up.withStartSigma(500));
        assertTrue(e.getMessage().contains("start sigma must be 0 (the reference's start from noise) or in (0.001, 160.0], got 500.0"), e.getMessage());
    }
}
