package dev.genai4j.data.shapes;

import dev.genai4j.tensor.Rng;

/** A flat triangle {@code a, b, c}, counter-clockwise seen from outside (a face of the cube or pyramid). */
public record Triangle(Vec3 a, Vec3 b, Vec3 c) implements SurfacePart {
    private Vec3 normalTimesTwiceArea() { return b.minus(a).cross(c.minus(a)); }

    @Override
    public double area() { return normalTimesTwiceArea().length() / 2; }

    @Override
    public Vec3 sample(Rng rng) {
        // uniform barycentric coordinates: (1 − √u, √u (1 − v), √u v)
        double s = Math.sqrt(rng.uniform()), v = rng.uniform();
        return a.times(1 - s).plus(b.times(s * (1 - v))).plus(c.times(s * v));
    }

    @Override
    public double distance(Vec3 p) { return p.minus(closestPoint(p)).length(); }

    /** The nearest point of the triangle to {@code p} (Ericson, Real-Time Collision Detection §5.1.5). */
    Vec3 closestPoint(Vec3 p) {
        Vec3 ab = b.minus(a), ac = c.minus(a), ap = p.minus(a);
        double d1 = ab.dot(ap), d2 = ac.dot(ap);
        if (d1 <= 0 && d2 <= 0) return a;
        Vec3 bp = p.minus(b);
        double d3 = ab.dot(bp), d4 = ac.dot(bp);
        if (d3 >= 0 && d4 <= d3) return b;
        double vc = d1 * d4 - d3 * d2;
        if (vc <= 0 && d1 >= 0 && d3 <= 0) return a.plus(ab.times(d1 / (d1 - d3)));
        Vec3 cp = p.minus(c);
        double d5 = ab.dot(cp), d6 = ac.dot(cp);
        if (d6 >= 0 && d5 <= d6) return c;
        double vb = d5 * d2 - d1 * d6;
        if (vb <= 0 && d2 >= 0 && d6 <= 0) return a.plus(ac.times(d2 / (d2 - d6)));
        double va = d3 * d6 - d5 * d4;
        if (va <= 0 && (d4 - d3) >= 0 && (d5 - d6) >= 0) {
            return b.plus(c.minus(b).times((d4 - d3) / ((d4 - d3) + (d5 - d6))));
        }
        double denom = 1 / (va + vb + vc);
        return a.plus(ab.times(vb * denom)).plus(ac.times(vc * denom));
    }

    @Override
    public void tessellate(MeshBuilder out, int segments) {
        Vec3 n = normalTimesTwiceArea().normalized();
        out.triangle(out.vertex(a, n), out.vertex(b, n), out.vertex(c, n));
    }
}
