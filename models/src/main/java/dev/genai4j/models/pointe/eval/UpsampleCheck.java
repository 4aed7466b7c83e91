package dev.genai4j.models.pointe.eval;

import dev.genai4j.data.render.PointCloudRenderer;
import dev.genai4j.data.render.RgbRaster;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.models.clip.RgbImage;
import dev.genai4j.models.pointe.train.PointEUpsampler;
import dev.genai4j.models.pointe.train.ShapeCloudData;
import dev.genai4j.tensor.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * How much an upsampler adds on scenes it never saw: a ground-truth subset of {@code cond_ctx} points of each scene is
 * upsampled (with the scene's first render as the image) and scored by {@link ChamferDistance} against the scene's whole
 * cloud, beside the low-res input's own distance, that of a ground-truth subset of the upsampled size (what a perfect
 * upsampler would reach) and that of {@link PointEUpsampler#jitteredCopies}, the upsampler that needs no training: a learned upsampler
 * is worth its cost only below that one.
 *
 * <pre>{@code
 * UpsampleCheck.Report r = UpsampleCheck.run(upsampler, data.heldOut().subList(0, 4), 1f, 0L);
 * r.meanUpsampled() < r.meanLowRes();   // the new points cover the shape better than the input alone
 * }</pre>
 */
public final class UpsampleCheck {
    private UpsampleCheck() {}

    /** One scene: the three clouds and their Chamfer distances to the scene's whole cloud. */
    public record Scene(String id, RgbImage image, PointCloud lowRes, PointCloud upsampled, PointCloud truthSubset,
                        double lowResChamfer, double upsampledChamfer, double truthSubsetChamfer, double jitteredChamfer) {}

    public record Report(List<Scene> scenes) {
        public double meanLowRes() { return scenes.stream().mapToDouble(Scene::lowResChamfer).average().orElse(Double.NaN); }

        public double meanUpsampled() { return scenes.stream().mapToDouble(Scene::upsampledChamfer).average().orElse(Double.NaN); }

        public double meanTruthSubset() { return scenes.stream().mapToDouble(Scene::truthSubsetChamfer).average().orElse(Double.NaN); }

        public double meanJittered() { return scenes.stream().mapToDouble(Scene::jitteredChamfer).average().orElse(Double.NaN); }

        /** One row per scene: the render, then one view each of the low-res input, the upsampled cloud and the ground-truth subset. */
        public RgbRaster preview(int size) {
            List<RgbRaster> tiles = new ArrayList<>();
            for (Scene s : scenes) {
                tiles.add(scaled(s.image(), size));
                for (PointCloud c : List.of(s.lowRes(), s.upsampled(), s.truthSubset())) tiles.add(PointCloudRenderer.preview(c, size, 1, 1, 0.03));
            }
            return RgbRaster.tile(tiles, 4);
        }
    }

    /** Upsamples {@code cond_ctx} seeded ground-truth points of each scene; {@code guidance} as the sampler's (the reference uses 3). */
    public static Report run(PointEUpsampler up, List<ShapeCloudData.Example> scenes, float guidance, long seed) {
        return run(up, scenes, guidance, seed, 0);
    }

    /** As {@link #run(PointEUpsampler, List, float, long)}; {@code startSigma} > 0 samples from the jittered copies noised to that σ. */
    public static Report run(PointEUpsampler up, List<ShapeCloudData.Example> scenes, float guidance, long seed, double startSigma) {
        int low = up.config().condCtx(), full = low + up.config().nCtx();
        List<Scene> out = new ArrayList<>();
        for (int i = 0; i < scenes.size(); i++) {
            ShapeCloudData.Example ex = scenes.get(i);
            PointCloud truth = ex.cloud();
            Rng rng = new Rng(seed * 31 + i);
            PointCloud lowRes = cloud(ShapeCloudData.subsample(truth, low, rng));
            PointCloud subset = cloud(ShapeCloudData.subsample(truth, full, rng));
            RgbImage image = ex.image(0);
            PointCloud upsampled = up.withStartSigma(startSigma).upsample(image, lowRes, guidance, seed + i);
            PointCloud jittered = PointEUpsampler.jitteredCopies(lowRes, full, new Rng(seed * 31 + i + 0x5EED));
            out.add(new Scene(ex.id(), image, lowRes, upsampled, subset, ChamferDistance.between(lowRes, truth),
                    ChamferDistance.between(upsampled, truth), ChamferDistance.between(subset, truth), ChamferDistance.between(jittered, truth)));
        }
        return new Report(out);
    }

    /** Interleaved {@code [x, y, z, r, g, b]} (colours 0..1) → a cloud. */
    private static PointCloud cloud(float[] pts) {
        int n = pts.length / 6;
        float[] xyz = new float[3 * n], rgb = new float[3 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(pts, 6 * i, xyz, 3 * i, 3);
            System.arraycopy(pts, 6 * i + 3, rgb, 3 * i, 3);
        }
        return new PointCloud(xyz, rgb);
    }

    private static RgbRaster scaled(RgbImage img, int size) {
        byte[] px = new byte[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int sx = x * img.width() / size, sy = y * img.height() / size;
                for (int k = 0; k < 3; k++) px[3 * (y * size + x) + k] = (byte) img.get(sx, sy, k);
            }
        }
        return new RgbRaster(size, size, px);
    }
}
