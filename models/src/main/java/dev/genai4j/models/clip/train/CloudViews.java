package dev.genai4j.models.clip.train;

import dev.genai4j.data.render.Camera;
import dev.genai4j.data.render.PointCloudRenderer;
import dev.genai4j.data.render.RgbRaster;
import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.tensor.Rng;
import dev.genai4j.tensor.Tensor;

import java.util.List;

/**
 * How a CLIP trained on shapes sees a point cloud: {@value #POINTS} points splatted
 * ({@link PointCloudRenderer}) into a {@value #SIDE} × {@value #SIDE} RGB image from a camera at
 * the data renders' distance, in the cloud's own coordinates (no re-framing, so sizes and "left
 * of" stay visible), pixels in [-1, 1] (the CLIP preprocessing, mean = std = 0.5).
 *
 * <p>Why {@value #POINTS} points: the Point-E base model makes clouds of n_ctx = 256 points; a
 * ground-truth cloud (4,096 points) is cut to a random 256 so that training and judging renders
 * of real and generated clouds have the same density, and the CLIP cannot tell them apart by
 * texture alone.
 *
 * <pre>{@code
 * float[] px = new float[3 * 32 * 32];
 * CloudViews.pixelsInto(CloudViews.subset(cloud, CloudViews.POINTS, rng), CloudViews.randomCamera(rng), px, 0);
 * }</pre>
 */
public final class CloudViews {
    public static final int SIDE = ClipTrainData.SIDE;
    public static final int POINTS = 256;
    /** Splat radius in world units: ~1 pixel at 32 × 32 and distance 1.9, so 256 points cover a surface. */
    public static final double RADIUS = 0.045;
    /** The camera distance of {@code genai4j pointe data} renders. */
    public static final double DISTANCE = 1.9;
    public static final double MAX_AZIMUTH = 45;

    private CloudViews() {}

    /** A training camera: azimuth in ±45°, elevation in [10°, 40°] (the data renders' range), distance 1.9. */
    public static Camera randomCamera(Rng rng) {
        double az = (2 * rng.uniform() - 1) * MAX_AZIMUTH, el = 10 + 30 * rng.uniform();
        return new Camera(az, el, DISTANCE, Camera.DEFAULT_FOV);
    }

    /** The judging cameras: azimuth −30°, 0°, +30° at elevation 25°. */
    public static List<Camera> evalCameras() {
        return List.of(new Camera(-30, 25, DISTANCE, Camera.DEFAULT_FOV), new Camera(0, 25, DISTANCE, Camera.DEFAULT_FOV),
                new Camera(30, 25, DISTANCE, Camera.DEFAULT_FOV));
    }

    /** {@code n} distinct points of {@code cloud} drawn with {@code rng} (partial Fisher–Yates); the cloud itself when it has ≤ n. */
    public static PointCloud subset(PointCloud cloud, int n, Rng rng) {
        return cloud.size() <= n ? cloud : cloud.randomSubset(n, rng::nextInt);
    }

    /** Renders {@code cloud} from {@code camera} into {@code out[off ..]} as [3, 32, 32] in [-1, 1]. */
    public static void pixelsInto(PointCloud cloud, Camera camera, float[] out, int off) {
        RgbRaster r = PointCloudRenderer.render(cloud, camera, SIDE, RADIUS);
        byte[] rgb = r.rgb();
        int plane = SIDE * SIDE;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) out[off + c * plane + p] = (rgb[3 * p + c] & 0xff) / 127.5f - 1f;
        }
    }

    /** {@code clouds} (each cut to {@value #POINTS} points with seed 0) from every camera: [clouds · cameras, 3, 32, 32], cloud-major. */
    public static Tensor evalPixels(List<PointCloud> clouds, List<Camera> cameras) {
        int per = 3 * SIDE * SIDE;
        float[] px = new float[clouds.size() * cameras.size() * per];
        for (int i = 0; i < clouds.size(); i++) {
            PointCloud c = subset(clouds.get(i), POINTS, new Rng(0));     // the same points for a cloud wherever it sits in the list
            for (int v = 0; v < cameras.size(); v++) pixelsInto(c, cameras.get(v), px, (i * cameras.size() + v) * per);
        }
        return Tensor.of(px, clouds.size() * cameras.size(), 3, SIDE, SIDE);
    }
}
