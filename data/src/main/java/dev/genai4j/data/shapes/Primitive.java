package dev.genai4j.data.shapes;

import java.util.List;

/**
 * The seven solid primitives of the generator, each upright (z is up) and fitting a box whose
 * largest side is the size's extent {@code s}, centred on its bounding box:
 * sphere (diameter s), cube (side s), cylinder (radius 0.35 s, height s), cone (base radius
 * 0.45 s, height s), torus lying flat (major radius 0.35 s, tube radius 0.15 s), square pyramid
 * (base side s, height 0.8 s), capsule (radius 0.25 s, height s).
 *
 * <pre>{@code
 * List<SurfacePart> parts = Primitive.CONE.parts(0.4);   // lateral surface + base disk
 * }</pre>
 */
public enum Primitive {
    SPHERE, CUBE, CYLINDER, CONE, TORUS, PYRAMID, CAPSULE;

    /** The noun used in captions ({@code "sphere"}, {@code "cube"}, …). */
    public String word() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** Height of the bounding box for extent {@code s}. */
    public double height(double s) {
        return switch (this) {
            case TORUS -> 0.3 * s;
            case PYRAMID -> 0.8 * s;
            default -> s;
        };
    }

    /**
     * Radius of the smallest z-axis cylinder holding the shape under any rotation about z, so
     * side-by-side placement never overlaps whatever the yaw.
     */
    public double horizontalRadius(double s) {
        return switch (this) {
            case SPHERE -> 0.5 * s;
            case CUBE, PYRAMID -> s * Math.sqrt(0.5);
            case CYLINDER -> 0.35 * s;
            case CONE -> 0.45 * s;
            case TORUS -> 0.5 * s;
            case CAPSULE -> 0.25 * s;
        };
    }

    /**
     * Half the width along x of the shape turned by {@code yaw} about z: the round shapes do not
     * change, the square cube and pyramid bases widen to a·(|cos| + |sin|).
     */
    public double halfWidthX(double s, double yaw) {
        return switch (this) {
            case CUBE, PYRAMID -> s / 2 * (Math.abs(Math.cos(yaw)) + Math.abs(Math.sin(yaw)));
            default -> horizontalRadius(s);
        };
    }

    /** The exact surface as parts, centred on the bounding box (z from −h/2 to h/2). */
    public List<SurfacePart> parts(double s) {
        double h = height(s), z0 = -h / 2, z1 = h / 2;
        return switch (this) {
            case SPHERE -> List.of(new SpherePatch(Vec3.ZERO, s / 2, 0));
            case CUBE -> box(s / 2);
            case CYLINDER -> List.of(
                    new CylinderSide(0.35 * s, z0, z1),
                    new Disk(z1, 0.35 * s, 1),
                    new Disk(z0, 0.35 * s, -1));
            case CONE -> List.of(new ConeSide(0.45 * s, z0, z1), new Disk(z0, 0.45 * s, -1));
            case TORUS -> List.of(new TorusSurface(0.35 * s, 0.15 * s));
            case PYRAMID -> pyramid(s / 2, z0, z1);
            case CAPSULE -> {
                double r = 0.25 * s;
                yield List.of(
                        new CylinderSide(r, z0 + r, z1 - r),
                        new SpherePatch(new Vec3(0, 0, z1 - r), r, 1),
                        new SpherePatch(new Vec3(0, 0, z0 + r), r, -1));
            }
        };
    }

    private static List<SurfacePart> box(double a) {
        Vec3[] c = new Vec3[8];
        for (int i = 0; i < 8; i++) c[i] = new Vec3((i & 1) == 0 ? -a : a, (i & 2) == 0 ? -a : a, (i & 4) == 0 ? -a : a);
        // each face as two triangles wound counter-clockwise seen from outside
        int[][] faces = {{0, 2, 3, 1}, {4, 5, 7, 6}, {0, 1, 5, 4}, {2, 6, 7, 3}, {0, 4, 6, 2}, {1, 3, 7, 5}};
        List<SurfacePart> parts = new java.util.ArrayList<>();
        for (int[] f : faces) {
            parts.add(new Triangle(c[f[0]], c[f[1]], c[f[2]]));
            parts.add(new Triangle(c[f[0]], c[f[2]], c[f[3]]));
        }
        return List.copyOf(parts);
    }

    private static List<SurfacePart> pyramid(double a, double z0, double z1) {
        Vec3 apex = new Vec3(0, 0, z1);
        Vec3 p00 = new Vec3(-a, -a, z0), p10 = new Vec3(a, -a, z0), p11 = new Vec3(a, a, z0), p01 = new Vec3(-a, a, z0);
        return List.of(
                new Triangle(p00, p10, apex), new Triangle(p10, p11, apex),
                new Triangle(p11, p01, apex), new Triangle(p01, p00, apex),
                new Triangle(p00, p11, p10), new Triangle(p00, p01, p11));
    }
}
