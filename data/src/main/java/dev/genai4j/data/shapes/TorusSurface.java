package dev.genai4j.data.shapes;

import dev.genai4j.tensor.Rng;

/**
 * A torus lying flat around the z axis: tube of radius {@code minor} whose centre circle has
 * radius {@code major}. The area element is {@code (major + minor·cos θ) dθ dφ}, so θ (around the
 * tube) is drawn by rejection against that weight: uniform θ alone would crowd the inner side.
 */
public record TorusSurface(double major, double minor) implements SurfacePart {
    @Override
    public double area() { return 4 * Math.PI * Math.PI * major * minor; }

    @Override
    public Vec3 sample(Rng rng) {
        double theta;
        do {
            theta = SurfacePart.angle(rng);
        } while (rng.uniform() * (major + minor) > major + minor * Math.cos(theta));
        double phi = SurfacePart.angle(rng), ring = major + minor * Math.cos(theta);
        return new Vec3(ring * Math.cos(phi), ring * Math.sin(phi), minor * Math.sin(theta));
    }

    @Override
    public double distance(Vec3 p) {
        return Math.abs(Math.hypot(Math.hypot(p.x(), p.y()) - major, p.z()) - minor);
    }

    @Override
    public void tessellate(MeshBuilder out, int segments) {
        int around = segments, tube = Math.max(6, segments / 2);
        int[][] idx = new int[around + 1][tube + 1];
        for (int i = 0; i <= around; i++) {
            double phi = 2 * Math.PI * i / around, c = StrictMath.cos(phi), s = StrictMath.sin(phi);
            for (int j = 0; j <= tube; j++) {
                double theta = 2 * Math.PI * j / tube;
                Vec3 n = new Vec3(StrictMath.cos(theta) * c, StrictMath.cos(theta) * s, StrictMath.sin(theta));
                Vec3 ring = new Vec3(major * c, major * s, 0);
                idx[i][j] = out.vertex(ring.plus(n.times(minor)), n);
            }
        }
        for (int i = 0; i < around; i++) {
            for (int j = 0; j < tube; j++) {
                out.triangle(idx[i][j], idx[i + 1][j], idx[i + 1][j + 1]);
                out.triangle(idx[i][j], idx[i + 1][j + 1], idx[i][j + 1]);
            }
        }
    }
}
