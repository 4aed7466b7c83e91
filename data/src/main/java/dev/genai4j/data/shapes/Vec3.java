package dev.genai4j.data.shapes;

/** A point or direction in 3D, in double precision (geometry is exact-ish; clouds are stored as float). */
public record Vec3(double x, double y, double z) {
    public static final Vec3 ZERO = new Vec3(0, 0, 0);

    public Vec3 plus(Vec3 o) { return new Vec3(x + o.x, y + o.y, z + o.z); }

    public Vec3 minus(Vec3 o) { return new Vec3(x - o.x, y - o.y, z - o.z); }

    public Vec3 times(double s) { return new Vec3(x * s, y * s, z * s); }

    public double dot(Vec3 o) { return x * o.x + y * o.y + z * o.z; }

    public Vec3 cross(Vec3 o) { return new Vec3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x); }

    public double length() { return Math.sqrt(dot(this)); }

    /** This vector scaled to length 1 (the zero vector stays zero). */
    public Vec3 normalized() {
        double l = length();
        return l == 0 ? this : times(1 / l);
    }

    /** Rotated by {@code angle} radians about the z (up) axis, counter-clockwise seen from above. */
    public Vec3 rotateZ(double angle) {
        double c = StrictMath.cos(angle), s = StrictMath.sin(angle);
        return new Vec3(c * x - s * y, s * x + c * y, z);
    }
}
