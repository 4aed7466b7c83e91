package dev.genai4j.data.shapes;

import dev.genai4j.tensor.Rng;

/**
 * One smooth piece of a primitive's surface (a disk, a cone's side, a triangle …) in the
 * primitive's local frame, with its exact area, an exactly uniform sampler, the distance from any
 * point to it, and a triangle tessellation for the renderer.
 */
public sealed interface SurfacePart permits SpherePatch, CylinderSide, ConeSide, Disk, TorusSurface, Triangle {
    /** Exact surface area. */
    double area();

    /** A point drawn uniformly by area on this part. */
    Vec3 sample(Rng rng);

    /** Euclidean distance from {@code p} to the nearest point of this part. */
    double distance(Vec3 p);

    /** Adds triangles approximating this part, with outward unit normals; {@code segments} around curved parts. */
    void tessellate(MeshBuilder out, int segments);

    /** A uniform angle in [0, 2π). */
    static double angle(Rng rng) { return 2 * Math.PI * rng.uniform(); }
}
