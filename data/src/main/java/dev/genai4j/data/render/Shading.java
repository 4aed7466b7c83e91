package dev.genai4j.data.render;

/**
 * The fixed look of every render: a light-grey background and one directional light fixed to
 * the camera (from the upper left, slightly in front), Lambert diffuse plus ambient. Tying the
 * light to the camera keeps every random view lit, so an object's colour is visible from any side.
 */
public final class Shading {
    private Shading() {}

    /** Background RGB. */
    public static final int[] BACKGROUND = {192, 192, 192};
    /** Ambient share of the base colour. */
    public static final double AMBIENT = 0.35;
    /** Diffuse share, times max(0, n·l). */
    public static final double DIFFUSE = 0.65;
    /** Unit direction towards the light in camera coordinates (x right, y up, z into the screen). */
    static final double LX, LY, LZ;

    static {
        double x = -0.45, y = 0.6, z = -0.66, l = Math.sqrt(x * x + y * y + z * z);
        LX = x / l;
        LY = y / l;
        LZ = z / l;
    }

    /** 8-bit channel value of base colour {@code c} in [0, 1] lit by a factor {@code lambert} in [0, 1]. */
    static int lit(float c, double lambert) {
        return (int) Math.min(255, Math.round(255 * c * (AMBIENT + DIFFUSE * lambert)));
    }
}
