package dev.genai4j.data.shapes;

import dev.genai4j.tensor.Rng;

/**
 * The slanted side of an upright cone, base circle of {@code radius} at {@code z0}, apex on the
 * axis at {@code z1}. Unrolled it is a circular sector, so the distance from the apex is drawn
 * with density proportional to itself: {@code t = √u}.
 */
public record ConeSide(double radius, double z0, double z1) implements SurfacePart {
    private double slant() { return Math.hypot(radius, z1 - z0); }

    @Override
    public double area() { return Math.PI * radius * slant(); }

    @Override
    public Vec3 sample(Rng rng) {
        double t = Math.sqrt(rng.uniform()), phi = SurfacePart.angle(rng);   // t: 0 at the apex, 1 at the base
        return new Vec3(radius * t * Math.cos(phi), radius * t * Math.sin(phi), z1 - (z1 - z0) * t);
    }

    @Override
    public double distance(Vec3 p) {
        // in the (rho, z) half-plane the side is the segment from the apex (0, z1) to (radius, z0)
        double rho = Math.hypot(p.x(), p.y());
        double ex = radius, ez = z0 - z1, px = rho, pz = p.z() - z1;
        double t = Math.clamp((px * ex + pz * ez) / (ex * ex + ez * ez), 0, 1);
        return Math.hypot(px - t * ex, pz - t * ez);
    }

    @Override
    public void tessellate(MeshBuilder out, int segments) {
        double h = z1 - z0, l = slant();
        for (int j = 0; j < segments; j++) {
            double a0 = 2 * Math.PI * j / segments, a1 = 2 * Math.PI * (j + 1) / segments, am = (a0 + a1) / 2;
            int b0 = out.vertex(new Vec3(radius * StrictMath.cos(a0), radius * StrictMath.sin(a0), z0), normal(a0, h, l));
            int b1 = out.vertex(new Vec3(radius * StrictMath.cos(a1), radius * StrictMath.sin(a1), z0), normal(a1, h, l));
            int apex = out.vertex(new Vec3(0, 0, z1), normal(am, h, l));
            out.triangle(b0, b1, apex);
        }
    }

    /** Outward unit normal at angle phi: the side runs along (−radius, h) in the (rho, z) plane, so the normal is (h, radius)/l. */
    private Vec3 normal(double phi, double h, double l) {
        return new Vec3(StrictMath.cos(phi) * h / l, StrictMath.sin(phi) * h / l, radius / l);
    }
}
