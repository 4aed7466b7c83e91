package dev.genai4j.data.render;

import dev.genai4j.data.shapes.Vec3;

/**
 * World → camera → pixel for one camera and a square image of {@code size} pixels. Camera
 * coordinates: x right, y up, z the depth along the view direction (positive in front).
 * Pixel (0, 0) is the top-left corner; pixel centres sit at half-integers.
 */
final class ScreenProjection {
    final int size;
    private final double ex, ey, ez, rx, ry, rz, ux, uy, uz, fx, fy, fz, scale;

    ScreenProjection(Camera camera, int size) {
        this.size = size;
        Vec3 e = camera.eye(), r = camera.right(), u = camera.up(), f = camera.forward();
        ex = e.x(); ey = e.y(); ez = e.z();
        rx = r.x(); ry = r.y(); rz = r.z();
        ux = u.x(); uy = u.y(); uz = u.z();
        fx = f.x(); fy = f.y(); fz = f.z();
        scale = size / 2.0 / camera.halfWidthAtUnitDepth();
    }

    /** Writes {x_cam, y_cam, depth} of world point (x, y, z) into {@code out[o..o+2]}. */
    void toCamera(double x, double y, double z, double[] out, int o) {
        double vx = x - ex, vy = y - ey, vz = z - ez;
        out[o] = vx * rx + vy * ry + vz * rz;
        out[o + 1] = vx * ux + vy * uy + vz * uz;
        out[o + 2] = vx * fx + vy * fy + vz * fz;
    }

    /** World direction (x, y, z) in camera axes, into {@code out[o..o+2]}. */
    void directionToCamera(double x, double y, double z, double[] out, int o) {
        out[o] = x * rx + y * ry + z * rz;
        out[o + 1] = x * ux + y * uy + z * uz;
        out[o + 2] = x * fx + y * fy + z * fz;
    }

    /** Pixel column of a camera-space point. */
    double pixelX(double xc, double depth) { return size / 2.0 + xc / depth * scale; }

    /** Pixel row of a camera-space point (rows grow downwards). */
    double pixelY(double yc, double depth) { return size / 2.0 - yc / depth * scale; }

    /** Pixels per world unit at {@code depth}. */
    double pixelsPerUnit(double depth) { return scale / depth; }
}
