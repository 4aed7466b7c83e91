package dev.genai4j.data.shapes;

import java.util.List;

/**
 * An object in a scene: its spec, the centre of its bounding box and its rotation about the
 * vertical axis (radians).
 */
public record PlacedShape(ObjectSpec spec, Vec3 centre, double yaw) {
    /** The surface parts in the object's local frame (apply {@link #toWorld} to their points). */
    public List<SurfacePart> parts() { return spec.primitive().parts(spec.size().extent()); }

    /** A local point rotated by the yaw and moved to the centre. */
    public Vec3 toWorld(Vec3 local) { return local.rotateZ(yaw).plus(centre); }

    /** A world point in the object's local frame. */
    public Vec3 toLocal(Vec3 world) { return world.minus(centre).rotateZ(-yaw); }

    public double height() { return spec.primitive().height(spec.size().extent()); }

    public double horizontalRadius() { return spec.primitive().horizontalRadius(spec.size().extent()); }

    /** Half the object's width along x at its yaw. */
    public double halfWidthX() { return spec.primitive().halfWidthX(spec.size().extent(), yaw); }

    /** Distance from the world point {@code p} to this object's surface. */
    public double distance(Vec3 p) {
        Vec3 q = toLocal(p);
        double best = Double.POSITIVE_INFINITY;
        for (SurfacePart part : parts()) best = Math.min(best, part.distance(q));
        return best;
    }
}
