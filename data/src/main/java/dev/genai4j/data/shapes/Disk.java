package dev.genai4j.data.shapes;

import dev.genai4j.tensor.Rng;

/**
 * A flat horizontal disk of {@code radius} at height {@code z}, centred on the axis, facing up
 * ({@code facing = +1}) or down ({@code −1}): a cap of a cylinder or the base of a cone. Uniform
 * by area: the distance from the centre is {@code radius·√u}.
 */
public record Disk(double z, double radius, int facing) implements SurfacePart {
    @Override
    public double area() { return Math.PI * radius * radius; }

    @Override
    public Vec3 sample(Rng rng) {
        double rho = radius * Math.sqrt(rng.uniform()), phi = SurfacePart.angle(rng);
        return new Vec3(rho * Math.cos(phi), rho * Math.sin(phi), z);
    }

    @Override
    public double distance(Vec3 p) {
        double rho = Math.hypot(p.x(), p.y()), dz = p.z() - z;
        return rho <= radius ? Math.abs(dz) : Math.hypot(rho - radius, dz);
    }

    @Override
    public void tessellate(MeshBuilder out, int segments) {
        Vec3 n = new Vec3(0, 0, facing);
        int centre = out.vertex(new Vec3(0, 0, z), n);
        int prev = -1;
        for (int j = 0; j <= segments; j++) {
            double phi = 2 * Math.PI * j / segments;
            int v = out.vertex(new Vec3(radius * StrictMath.cos(phi), radius * StrictMath.sin(phi), z), n);
            if (j > 0) {
                // counter-clockwise seen from the side the disk faces
                if (facing > 0) out.triangle(centre, prev, v);
                else out.triangle(centre, v, prev);
            }
            prev = v;
        }
    }
}
