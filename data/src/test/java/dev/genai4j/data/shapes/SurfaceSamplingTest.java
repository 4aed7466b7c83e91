package dev.genai4j.data.shapes;

import dev.genai4j.data.DataException;
import dev.genai4j.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Exact surface sampling: on the surface, inside the box, area-weighted, reproducible. */
class SurfaceSamplingTest {
    private static Scene single(Primitive p, ShapeSize s) {
        return Scene.single(new ObjectSpec(p, PaletteColour.RED, s), 0.3);
    }

    @Test
    void everyPointLiesOnTheSurfaceInsideTheBoundingBox() {
        for (Primitive p : Primitive.values()) {
            for (ShapeSize size : ShapeSize.values()) {
                Scene scene = single(p, size);
                PointCloud pc = scene.sample(1500, new Rng(p.ordinal() * 10L + size.ordinal()));
                assertEquals(1500, pc.size());
                double s = size.extent(), h = p.height(s), r = p.horizontalRadius(s);
                for (int i = 0; i < pc.size(); i++) {
                    Vec3 q = new Vec3(pc.x(i), pc.y(i), pc.z(i));
                    assertTrue(scene.distance(q) < 1e-6, p + " " + size + " point " + q + " is " + scene.distance(q) + " off the surface");
                    assertTrue(Math.abs(q.z()) <= h / 2 + 1e-6 && Math.hypot(q.x(), q.y()) <= r + 1e-6, p + " point " + q + " outside the box");
                }
                assertArrayEquals(PaletteColour.RED.rgb01(), Arrays.copyOfRange(pc.rgb(), 30, 33));
            }
        }
    }

    @Test
    void pointsCoverTheWholeBoxNotJustPartOfIt() {
        // the extreme samples reach the box faces (apexes are thinly sampled: a cone's tip has no area)
        for (Primitive p : Primitive.values()) {
            PointCloud pc = single(p, ShapeSize.LARGE).sample(4000, new Rng(3));
            double top = Double.NEGATIVE_INFINITY, bottom = Double.POSITIVE_INFINITY;
            for (int i = 0; i < pc.size(); i++) {
                top = Math.max(top, pc.z(i));
                bottom = Math.min(bottom, pc.z(i));
            }
            double h = p.height(0.5);
            assertEquals(h / 2, top, 0.06 * h, p + " top");
            assertEquals(-h / 2, bottom, 0.02 * h, p + " bottom");
        }
    }

    @Test
    void analyticAreasMatchFineTessellations() {
        for (Primitive p : Primitive.values()) {
            double analytic = single(p, ShapeSize.MEDIUM).area();
            TriangleMesh m = single(p, ShapeSize.MEDIUM).mesh(256);
            double meshArea = 0;
            float[] v = m.positions();
            int[] t = m.indices();
            for (int k = 0; k < t.length; k += 3) {
                Vec3 a = vertex(v, t[k]), b = vertex(v, t[k + 1]), c = vertex(v, t[k + 2]);
                meshArea += b.minus(a).cross(c.minus(a)).length() / 2;
            }
            assertEquals(analytic, meshArea, 2e-3 * analytic, p.toString());
        }
    }

    @Test
    void meshNormalsPointOutwardsAndAgreeWithWinding() {
        for (Primitive p : Primitive.values()) {
            TriangleMesh m = single(p, ShapeSize.MEDIUM).mesh(24);
            float[] v = m.positions(), n = m.normals();
            int[] t = m.indices();
            for (int k = 0; k < t.length; k += 3) {
                Vec3 a = vertex(v, t[k]), b = vertex(v, t[k + 1]), c = vertex(v, t[k + 2]);
                Vec3 face = b.minus(a).cross(c.minus(a));
                if (face.length() < 1e-12) continue;   // degenerate slivers at poles
                for (int j = 0; j < 3; j++) {
                    assertTrue(face.dot(vertex(n, t[k + j])) > 0, p + " triangle " + k / 3 + " winding disagrees with its normals");
                }
            }
        }
    }

    @Test
    void partsGetPointsInProportionToTheirArea() {
        int n = 20_000;
        for (Primitive p : Primitive.values()) {
            List<SurfacePart> parts = p.parts(0.4);
            if (parts.size() == 1) continue;
            double total = parts.stream().mapToDouble(SurfacePart::area).sum();
            int[] counts = new int[parts.size()];
            PointCloud pc = Scene.single(new ObjectSpec(p, PaletteColour.BLUE, ShapeSize.MEDIUM), 0).sample(n, new Rng(11));
            for (int i = 0; i < n; i++) {
                Vec3 q = new Vec3(pc.x(i), pc.y(i), pc.z(i));
                int best = 0;
                for (int k = 1; k < parts.size(); k++) if (parts.get(k).distance(q) < parts.get(best).distance(q)) best = k;
                counts[best]++;
            }
            for (int k = 0; k < parts.size(); k++) {
                double share = parts.get(k).area() / total, sd = Math.sqrt(n * share * (1 - share));
                assertEquals(n * share, counts[k], 5 * sd + 2, p + " part " + k + " " + parts.get(k));
            }
        }
    }

    @Test
    void curvedPartsAreUniformByAreaNotByParameter() {
        int n = 40_000;
        Rng rng = new Rng(5);
        // torus: the outer half (cos θ > 0) holds (πR + 2a) / (2πR) of the area, not half
        TorusSurface torus = new TorusSurface(0.35, 0.15);
        int outer = 0;
        for (int i = 0; i < n; i++) {
            Vec3 q = torus.sample(rng);
            if (Math.hypot(q.x(), q.y()) > 0.35) outer++;
        }
        double expected = 0.5 + 0.15 / (Math.PI * 0.35);
        assertEquals(expected, outer / (double) n, 5 * Math.sqrt(expected * (1 - expected) / n));

        // sphere: equal-height bands hold equal areas (Archimedes)
        SpherePatch sphere = new SpherePatch(Vec3.ZERO, 1, 0);
        int[] bands = new int[8];
        for (int i = 0; i < n; i++) bands[Math.min(7, (int) ((sphere.sample(rng).z() + 1) / 2 * 8))]++;
        for (int b : bands) assertEquals(n / 8.0, b, 5 * Math.sqrt(n / 8.0));

        // cone side: the half of the slant nearest the apex holds a quarter of the area
        ConeSide cone = new ConeSide(0.2, -0.2, 0.2);
        int nearApex = 0;
        for (int i = 0; i < n; i++) if (cone.sample(rng).z() > 0) nearApex++;
        assertEquals(0.25, nearApex / (double) n, 5 * Math.sqrt(0.25 * 0.75 / n));

        // disk: the inner half radius holds a quarter of the area
        Disk disk = new Disk(0, 1, 1);
        int inner = 0;
        for (int i = 0; i < n; i++) {
            Vec3 q = disk.sample(rng);
            if (Math.hypot(q.x(), q.y()) < 0.5) inner++;
        }
        assertEquals(0.25, inner / (double) n, 5 * Math.sqrt(0.25 * 0.75 / n));
    }

    @Test
    void sameSeedSameCloud() {
        Scene s = Scene.pair(new ObjectSpec(Primitive.TORUS, PaletteColour.GREEN, ShapeSize.SMALL), Relation.NEXT_TO,
                new ObjectSpec(Primitive.CAPSULE, PaletteColour.PURPLE, ShapeSize.LARGE), 0.1, 0.2, true);
        PointCloud a = s.sample(500, new Rng(9)), b = s.sample(500, new Rng(9)), c = s.sample(500, new Rng(10));
        assertArrayEquals(a.xyz(), b.xyz());
        assertArrayEquals(a.rgb(), b.rgb());
        assertFalse(Arrays.equals(a.xyz(), c.xyz()));
        assertThrows(DataException.class, () -> s.sample(0, new Rng(1)));
    }

    @Test
    void pairsAreStackedOrSideBySideAndCentred() {
        ObjectSpec cone = new ObjectSpec(Primitive.CONE, PaletteColour.RED, ShapeSize.SMALL);
        ObjectSpec cube = new ObjectSpec(Primitive.CUBE, PaletteColour.BLUE, ShapeSize.LARGE);
        Scene top = Scene.pair(cone, Relation.ON_TOP_OF, cube, 0, 0, false);
        PlacedShape a = top.objects().get(0), b = top.objects().get(1);
        assertEquals(b.centre().z() + b.height() / 2, a.centre().z() - a.height() / 2, 1e-12);   // A's bottom on B's top
        assertEquals(0, a.centre().z() + a.height() / 2 + b.centre().z() - b.height() / 2, 1e-12); // centred in z

        Scene left = Scene.pair(cone, Relation.LEFT_OF, cube, 0, Math.PI / 4, false);
        a = left.objects().get(0);
        b = left.objects().get(1);
        assertEquals(a.centre().x() + a.halfWidthX(), b.centre().x() - b.halfWidthX(), 1e-12);   // touching, A on the left
        assertEquals(a.centre().z() - a.height() / 2, b.centre().z() - b.height() / 2, 1e-12);   // same floor
        PointCloud pc = left.sample(4000, new Rng(2));
        double minX = 1, maxX = -1;
        for (int i = 0; i < pc.size(); i++) {
            minX = Math.min(minX, pc.x(i));
            maxX = Math.max(maxX, pc.x(i));
        }
        assertEquals(0, minX + maxX, 0.01);                 // centred in x
        assertEquals(0.5 * Math.sqrt(2) + 2 * 0.45 * 0.3, maxX - minX, 0.01);   // the 45°-turned cube's diagonal + the cone's base

        Scene right = Scene.pair(cone, Relation.NEXT_TO, cube, 0, 0, true);
        assertTrue(right.objects().get(0).centre().x() > right.objects().get(1).centre().x());
        PlacedShape fa = a, fb = b;
        assertThrows(DataException.class, () -> new Scene(List.of(fa, fb), null));
    }

    private static Vec3 vertex(float[] v, int i) { return new Vec3(v[3 * i], v[3 * i + 1], v[3 * i + 2]); }
}
