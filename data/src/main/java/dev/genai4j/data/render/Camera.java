package dev.genai4j.data.render;

import dev.genai4j.data.DataException;
import dev.genai4j.data.shapes.Vec3;
import dev.genai4j.tensor.Rng;

/**
 * A pinhole camera looking at the origin from {@code distance}, z up. Azimuth 0 looks along +y
 * (x to the right, as the generator's "left of"); positive azimuth swings the camera towards +x
 * (counter-clockwise seen from above). Elevation is the angle above the horizontal plane.
 *
 * <pre>{@code
 * Camera front = Camera.front();                      // azimuth 0, elevation 20°, distance 1.6, fov 40°
 * Camera any = Camera.random(new Rng(5), 45);         // azimuth in ±45°, elevation in [10°, 40°]
 * }</pre>
 */
public record Camera(double azimuthDeg, double elevationDeg, double distance, double fovDeg) {
    /** Frames a single object large in the image while two large objects side by side still fit (about ±0.58 at the origin). */
    public static final double DEFAULT_DISTANCE = 1.6;
    public static final double DEFAULT_FOV = 40;

    public Camera {
        if (!(distance > 0) || !(fovDeg > 0 && fovDeg < 180) || !(Math.abs(elevationDeg) < 90)) {
            throw new DataException("Camera: need distance > 0, fov in (0, 180) and |elevation| < 90 degrees, got distance "
                    + distance + ", fov " + fovDeg + ", elevation " + elevationDeg);
        }
    }

    /** The front view: azimuth 0, elevation 20°. */
    public static Camera front() { return new Camera(0, 20, DEFAULT_DISTANCE, DEFAULT_FOV); }

    /** Azimuth uniform in ±{@code maxAzimuthDeg}, elevation uniform in [10°, 40°]. */
    public static Camera random(Rng rng, double maxAzimuthDeg) { return random(rng, maxAzimuthDeg, DEFAULT_DISTANCE); }

    /** As {@link #random(Rng, double)} at {@code distance} (1.9 framed objects smaller: the data sets before the 1.6 default). */
    public static Camera random(Rng rng, double maxAzimuthDeg, double distance) {
        double az = (2 * rng.uniform() - 1) * maxAzimuthDeg, el = 10 + 30 * rng.uniform();
        return new Camera(az, el, distance, DEFAULT_FOV);
    }

    /** Position of the eye. */
    public Vec3 eye() {
        double az = Math.toRadians(azimuthDeg), el = Math.toRadians(elevationDeg);
        return new Vec3(StrictMath.sin(az) * StrictMath.cos(el), -StrictMath.cos(az) * StrictMath.cos(el), StrictMath.sin(el)).times(distance);
    }

    /** Unit vector the camera looks along (towards the origin). */
    public Vec3 forward() { return eye().times(-1).normalized(); }

    /** Unit vector to the right of the image. */
    public Vec3 right() { return forward().cross(new Vec3(0, 0, 1)).normalized(); }

    /** Unit vector to the top of the image. */
    public Vec3 up() { return right().cross(forward()); }

    /** {@code tan(fov / 2)}: half the image's width at depth 1. */
    public double halfWidthAtUnitDepth() { return StrictMath.tan(Math.toRadians(fovDeg) / 2); }
}
