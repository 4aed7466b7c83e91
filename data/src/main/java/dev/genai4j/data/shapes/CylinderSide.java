package dev.genai4j.data.shapes;

import dev.genai4j.tensor.Rng;

/** The curved side of an upright cylinder of {@code radius} between heights {@code z0} and {@code z1}. */
public record CylinderSide(double radius, double z0, double z1) implements SurfacePart {
    @Override
    public double area() { return 2 * Math.PI * radius * (z1 - z0); }

    @Override
    public Vec3 sample(Rng rng) {
        double phi = SurfacePart.angle(rng), z = z0 + (z1 - z0) * rng.uniform();
        return new Vec3(radius * Math.cos(phi), radius * Math.sin(phi), z);
    }

    @Override
    public double distance(Vec3 p) {
        double rho = Math.hypot(p.x(), p.y());
        double dz = p.z() - Math.clamp(p.z(), z0, z1);
        return Math.hypot(rho - radius, dz);
    }

    @Override
    public void tessellate(MeshBuilder out, int segments) {
        int prevBottom = -1, prevTop = -1;
        for (int j = 0; j <= segments; j++) {
            double phi = 2 * Math.PI * j / segments;
            Vec3 n = new Vec3(StrictMath.cos(phi), StrictMath.sin(phi), 0);
            int bottom = out.vertex(new Vec3(radius * n.x(), radius * n.y(), z0), n);
            int top = out.vertex(new Vec3(radius * n.x(), radius * n.y(), z1), n);
            if (j > 0) {
                out.triangle(prevBottom, bottom, top);
                out.triangle(prevBottom, top, prevTop);
            }
            prevBottom = bottom;
            prevTop = top;
        }
    }
}
