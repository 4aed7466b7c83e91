package dev.genai4j.data.render;

import dev.genai4j.data.DataException;
import dev.genai4j.data.shapes.PointCloud;

/**
 * Draws a point cloud as round splats with a z-buffer, for previews. A point has no normal, so
 * depth stands in for shading: the nearest points keep their colour, the farthest are darkened
 * by 35 %, which is enough to read the shape.
 *
 * <pre>{@code
 * RgbRaster img = PointCloudRenderer.render(cloud, Camera.front(), 128, 0.012);
 * }</pre>
 */
public final class PointCloudRenderer {
    private static final double DEPTH_DARKENING = 0.35;

    private PointCloudRenderer() {}

    /** Renders {@code cloud} to a {@code size × size} image; each point is a disk of {@code radius} world units. */
    public static RgbRaster render(PointCloud cloud, Camera camera, int size, double radius) {
        if (size <= 0 || size > 8192 || !(radius > 0)) {
            throw new DataException("PointCloudRenderer: need size in 1..8192 and radius > 0, got " + size + " and " + radius);
        }
        ScreenProjection proj = new ScreenProjection(camera, size);
        int n = cloud.size();
        double[] cam = new double[3 * n];
        double near = Double.POSITIVE_INFINITY, far = Double.NEGATIVE_INFINITY;
        float[] xyz = cloud.xyz(), rgb = cloud.rgb();
        for (int i = 0; i < n; i++) {
            proj.toCamera(xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2], cam, 3 * i);
            double d = cam[3 * i + 2];
            if (d > 0) {
                near = Math.min(near, d);
                far = Math.max(far, d);
            }
        }
        RgbRaster out = RgbRaster.filled(size, size, Shading.BACKGROUND[0], Shading.BACKGROUND[1], Shading.BACKGROUND[2]);
        byte[] px = out.rgb();
        double[] depth = new double[size * size];
        java.util.Arrays.fill(depth, Double.POSITIVE_INFINITY);
        double span = far > near ? far - near : 1;
        for (int i = 0; i < n; i++) {
            double d = cam[3 * i + 2];
            if (!(d > 0.05)) continue;
            double cx = proj.pixelX(cam[3 * i], d), cy = proj.pixelY(cam[3 * i + 1], d);
            double r = Math.max(0.75, radius * proj.pixelsPerUnit(d)), r2 = r * r;
            double shade = 1 - DEPTH_DARKENING * (d - near) / span;
            int x0 = Math.max(0, (int) Math.floor(cx - r)), x1 = Math.min(size - 1, (int) Math.ceil(cx + r));
            int y0 = Math.max(0, (int) Math.floor(cy - r)), y1 = Math.min(size - 1, (int) Math.ceil(cy + r));
            for (int y = y0; y <= y1; y++) {
                double dy = y + 0.5 - cy;
                for (int x = x0; x <= x1; x++) {
                    double dx = x + 0.5 - cx;
                    int p = y * size + x;
                    if (dx * dx + dy * dy > r2 || d >= depth[p]) continue;
                    depth[p] = d;
                    for (int c = 0; c < 3; c++) px[3 * p + c] = (byte) Math.min(255, Math.round(255 * Math.clamp(rgb[3 * i + c], 0f, 1f) * shade));
                }
            }
        }
        return out;
    }

    /**
     * The cloud from {@code views} azimuths evenly around it (elevation 25°), tiled {@code columns}
     * per row: 4 views in 2 columns make the 2×2 preview, 4 in 4 the 1×4 strip. The cloud is
     * centred and framed to fill each view whatever its scale; splats are {@code radiusFraction}
     * of its bounding radius.
     */
    public static RgbRaster preview(PointCloud cloud, int size, int views, int columns, double radiusFraction) {
        if (views <= 0 || columns <= 0) throw new DataException("PointCloudRenderer.preview: need views > 0 and columns > 0, got " + views + " and " + columns);
        if (cloud.size() == 0) throw new DataException("PointCloudRenderer.preview: the cloud has no points");
        float[] xyz = cloud.xyz().clone();
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < xyz.length; i++) {
            lo[i % 3] = Math.min(lo[i % 3], xyz[i]);
            hi[i % 3] = Math.max(hi[i % 3], xyz[i]);
        }
        double r2 = 0;
        for (int i = 0; i < xyz.length; i += 3) {
            double s = 0;
            for (int c = 0; c < 3; c++) {
                xyz[i + c] -= (float) ((lo[c] + hi[c]) / 2);
                s += xyz[i + c] * xyz[i + c];
            }
            r2 = Math.max(r2, s);
        }
        double r = Math.max(1e-6, Math.sqrt(r2));
        // the bounding sphere just fits the view cone, with 5 % margin
        double distance = 1.05 * r / StrictMath.sin(Math.toRadians(Camera.DEFAULT_FOV) / 2);
        PointCloud centred = new PointCloud(xyz, cloud.rgb());
        java.util.List<RgbRaster> tiles = new java.util.ArrayList<>();
        for (int v = 0; v < views; v++) {
            tiles.add(render(centred, new Camera(-30 + 360.0 * v / views, 25, distance, Camera.DEFAULT_FOV), size, radiusFraction * r));
        }
        return RgbRaster.tile(tiles, columns);
    }
}
