package dev.genai4j.data.shapes;

import dev.genai4j.tensor.Rng;

/**
 * A whole sphere ({@code hemisphere = 0}) or its upper ({@code +1}) or lower ({@code −1}) half
 * (a capsule's ends). Uniform sampling uses Archimedes' hat-box theorem: z uniform along the axis
 * and the angle uniform give equal area per band.
 */
public record SpherePatch(Vec3 centre, double radius, int hemisphere) implements SurfacePart {
    @Override
    public double area() { return (hemisphere == 0 ? 4 : 2) * Math.PI * radius * radius; }

    @Override
    public Vec3 sample(Rng rng) {
        double u = rng.uniform();
        double cz = hemisphere == 0 ? 2 * u - 1 : hemisphere * u;   // cos of the polar angle
        double ring = Math.sqrt(Math.max(0, 1 - cz * cz)), phi = SurfacePart.angle(rng);
        return centre.plus(new Vec3(ring * Math.cos(phi), ring * Math.sin(phi), cz).times(radius));
    }

    @Override
    public double distance(Vec3 p) {
        Vec3 d = p.minus(centre);
        if (hemisphere == 0 || d.z() * hemisphere >= 0) return Math.abs(d.length() - radius);
        // below the cut the nearest point lies on the rim circle
        double rho = Math.hypot(d.x(), d.y());
        return Math.hypot(rho - radius, d.z());
    }

    @Override
    public void tessellate(MeshBuilder out, int segments) {
        int rings = Math.max(2, segments / (hemisphere == 0 ? 2 : 4));
        double t0 = hemisphere < 0 ? Math.PI / 2 : 0, t1 = hemisphere > 0 ? Math.PI / 2 : Math.PI;   // polar angle range
        int[][] idx = new int[rings + 1][segments + 1];
        for (int i = 0; i <= rings; i++) {
            double theta = t0 + (t1 - t0) * i / rings;
            for (int j = 0; j <= segments; j++) {
                double phi = 2 * Math.PI * j / segments;
                Vec3 n = new Vec3(StrictMath.sin(theta) * StrictMath.cos(phi), StrictMath.sin(theta) * StrictMath.sin(phi), StrictMath.cos(theta));
                idx[i][j] = out.vertex(centre.plus(n.times(radius)), n);
            }
        }
        for (int i = 0; i < rings; i++) {
            for (int j = 0; j < segments; j++) {
                // theta grows downwards, phi counter-clockwise: (i,j) (i+1,j) (i+1,j+1) faces outwards
                out.triangle(idx[i][j], idx[i + 1][j], idx[i + 1][j + 1]);
                out.triangle(idx[i][j], idx[i + 1][j + 1], idx[i][j + 1]);
            }
        }
    }
}
