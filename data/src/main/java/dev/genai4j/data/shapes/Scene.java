package dev.genai4j.data.shapes;

import dev.genai4j.data.DataException;
import dev.genai4j.tensor.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * One or two coloured primitives standing in a scene centred on the origin (z up). For two, the
 * first is the subject of the relation: "A on top of B" stacks A on B, "A to the left of B"
 * puts A at smaller x, "A next to B" puts them side by side along x on either side.
 *
 * <pre>{@code
 * Scene s = Scene.pair(new ObjectSpec(Primitive.CONE, PaletteColour.RED, ShapeSize.SMALL), Relation.ON_TOP_OF,
 *                      new ObjectSpec(Primitive.CUBE, PaletteColour.BLUE, ShapeSize.MEDIUM), 0, 0, false);
 * PointCloud pc = s.sample(4096, new Rng(1));      // area-weighted over both surfaces
 * TriangleMesh mesh = s.mesh(32);                  // for the renderer
 * }</pre>
 */
public record Scene(List<PlacedShape> objects, Relation relation) {
    public Scene {
        objects = List.copyOf(objects);
        if (objects.isEmpty() || objects.size() > 2 || (objects.size() == 2) != (relation != null)) {
            throw new DataException("Scene: need one object without a relation or two with one, got " + objects.size()
                    + " objects and relation " + relation);
        }
    }

    /** One object at the origin, turned by {@code yaw} radians about the vertical. */
    public static Scene single(ObjectSpec spec, double yaw) {
        return new Scene(List.of(new PlacedShape(spec, Vec3.ZERO, yaw)), null);
    }

    /**
     * {@code a relation b}, the pair centred on the origin. {@code aOnRight} picks the side for
     * {@link Relation#NEXT_TO} (ignored otherwise). Side-by-side objects stand on the same floor
     * and their x extents just touch.
     */
    public static Scene pair(ObjectSpec a, Relation relation, ObjectSpec b, double yawA, double yawB, boolean aOnRight) {
        PlacedShape pa = new PlacedShape(a, Vec3.ZERO, yawA), pb = new PlacedShape(b, Vec3.ZERO, yawB);
        double ax = 0, az = 0, bx = 0, bz = 0;
        switch (relation) {
            case ON_TOP_OF -> {
                bz = -pa.height() / 2;                       // stack: centres on the axis, A's bottom on B's top
                az = bz + pb.height() / 2 + pa.height() / 2;
            }
            case NEXT_TO, LEFT_OF -> {
                boolean aLeft = relation == Relation.LEFT_OF || !aOnRight;
                double gap = pa.halfWidthX() + pb.halfWidthX();
                ax = aLeft ? -gap / 2 : gap / 2;
                bx = -ax;
                // both on the same floor: bottoms level
                double floor = -Math.max(pa.height(), pb.height()) / 2;
                az = floor + pa.height() / 2;
                bz = floor + pb.height() / 2;
                // centre horizontally on the union of the two bounding intervals
                double lo = Math.min(ax - pa.halfWidthX(), bx - pb.halfWidthX());
                double hi = Math.max(ax + pa.halfWidthX(), bx + pb.halfWidthX());
                ax -= (lo + hi) / 2;
                bx -= (lo + hi) / 2;
            }
        }
        return new Scene(List.of(new PlacedShape(a, new Vec3(ax, 0, az), yawA), new PlacedShape(b, new Vec3(bx, 0, bz), yawB)), relation);
    }

    /** The objects' specs in caption order. */
    public List<ObjectSpec> specs() { return objects.stream().map(PlacedShape::spec).toList(); }

    /** Total surface area of all objects. */
    public double area() {
        double a = 0;
        for (PlacedShape o : objects) for (SurfacePart p : o.parts()) a += p.area();
        return a;
    }

    /**
     * {@code n} points drawn independently and uniformly by area over all surfaces, each with its
     * object's colour. The same {@code rng} state gives the same cloud.
     */
    public PointCloud sample(int n, Rng rng) {
        if (n <= 0) throw new DataException("Scene.sample: point count must be positive, got " + n);
        List<PlacedShape> owner = new ArrayList<>();
        List<SurfacePart> parts = new ArrayList<>();
        for (PlacedShape o : objects) {
            for (SurfacePart p : o.parts()) {
                owner.add(o);
                parts.add(p);
            }
        }
        double[] cumulative = new double[parts.size()];
        double total = 0;
        for (int i = 0; i < parts.size(); i++) cumulative[i] = total += parts.get(i).area();
        float[] xyz = new float[3 * n], rgb = new float[3 * n];
        for (int i = 0; i < n; i++) {
            double u = rng.uniform() * total;
            int k = 0;
            while (k < cumulative.length - 1 && u >= cumulative[k]) k++;
            PlacedShape o = owner.get(k);
            Vec3 p = o.toWorld(parts.get(k).sample(rng));
            xyz[3 * i] = (float) p.x();
            xyz[3 * i + 1] = (float) p.y();
            xyz[3 * i + 2] = (float) p.z();
            System.arraycopy(o.spec().colour().rgb01(), 0, rgb, 3 * i, 3);
        }
        return new PointCloud(xyz, rgb);
    }

    /** Distance from {@code p} to the nearest surface of the scene. */
    public double distance(Vec3 p) {
        double d = Double.POSITIVE_INFINITY;
        for (PlacedShape o : objects) d = Math.min(d, o.distance(p));
        return d;
    }

    /** The scene as coloured triangles, {@code segments} around each curved part. */
    public TriangleMesh mesh(int segments) {
        if (segments < 3) throw new DataException("Scene.mesh: need at least 3 segments around, got " + segments);
        MeshBuilder b = new MeshBuilder();
        for (PlacedShape o : objects) {
            b.place(o.yaw(), o.centre(), o.spec().colour().rgb01());
            for (SurfacePart p : o.parts()) p.tessellate(b, segments);
        }
        return b.build();
    }
}
