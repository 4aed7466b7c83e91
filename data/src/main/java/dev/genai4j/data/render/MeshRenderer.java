package dev.genai4j.data.render;

import dev.genai4j.data.DataException;
import dev.genai4j.data.shapes.TriangleMesh;

/**
 * A small software rasterizer: perspective projection, edge-function coverage at pixel centres,
 * a z-buffer on perspective-correct 1/depth, normals and colours interpolated per pixel and lit
 * by {@link Shading} (Lambert + ambient, two-sided). Supersampling by an integer factor with a
 * box filter is the optional antialiasing. All arithmetic is double precision with
 * {@code StrictMath} trigonometry upstream, so the same inputs give the same pixels on every JVM.
 *
 * <pre>{@code
 * RgbRaster img = MeshRenderer.render(scene.mesh(32), Camera.random(new Rng(1), 45), 64, 2);
 * }</pre>
 */
public final class MeshRenderer {
    /** Triangles with a vertex nearer than this (or behind the camera) are dropped. */
    private static final double NEAR = 0.05;

    private MeshRenderer() {}

    /** Renders {@code mesh} from {@code camera} to a {@code size × size} image, {@code supersample}² samples per pixel. */
    public static RgbRaster render(TriangleMesh mesh, Camera camera, int size, int supersample) {
        if (size <= 0 || supersample <= 0 || (long) size * supersample > 8192) {
            throw new DataException("MeshRenderer: need size > 0 and supersample > 0 with size·supersample ≤ 8192, got " + size + " and " + supersample);
        }
        int s = size * supersample;
        ScreenProjection proj = new ScreenProjection(camera, s);
        int nv = mesh.vertexCount();
        float[] pos = mesh.positions(), nrm = mesh.normals(), col = mesh.colours();
        double[] cam = new double[3 * nv], n = new double[3 * nv], sx = new double[nv], sy = new double[nv];
        for (int v = 0; v < nv; v++) {
            proj.toCamera(pos[3 * v], pos[3 * v + 1], pos[3 * v + 2], cam, 3 * v);
            proj.directionToCamera(nrm[3 * v], nrm[3 * v + 1], nrm[3 * v + 2], n, 3 * v);
            double d = cam[3 * v + 2];
            sx[v] = proj.pixelX(cam[3 * v], d);
            sy[v] = proj.pixelY(cam[3 * v + 1], d);
        }
        RgbRaster out = RgbRaster.filled(s, s, Shading.BACKGROUND[0], Shading.BACKGROUND[1], Shading.BACKGROUND[2]);
        byte[] px = out.rgb();
        double[] invDepth = new double[s * s];   // 0 = nothing drawn yet (infinitely far)
        int[] idx = mesh.indices();
        for (int t = 0; t < idx.length; t += 3) {
            int a = idx[t], b = idx[t + 1], c = idx[t + 2];
            if (cam[3 * a + 2] < NEAR || cam[3 * b + 2] < NEAR || cam[3 * c + 2] < NEAR) continue;
            double area = edge(sx[a], sy[a], sx[b], sy[b], sx[c], sy[c]);
            if (Math.abs(area) < 1e-12) continue;
            int x0 = Math.max(0, (int) Math.floor(Math.min(sx[a], Math.min(sx[b], sx[c])))), x1 = Math.min(s - 1, (int) Math.ceil(Math.max(sx[a], Math.max(sx[b], sx[c]))));
            int y0 = Math.max(0, (int) Math.floor(Math.min(sy[a], Math.min(sy[b], sy[c])))), y1 = Math.min(s - 1, (int) Math.ceil(Math.max(sy[a], Math.max(sy[b], sy[c]))));
            double ia = 1 / cam[3 * a + 2], ib = 1 / cam[3 * b + 2], ic = 1 / cam[3 * c + 2];
            for (int y = y0; y <= y1; y++) {
                double py = y + 0.5;
                for (int x = x0; x <= x1; x++) {
                    double pxc = x + 0.5;
                    double wa = edge(sx[b], sy[b], sx[c], sy[c], pxc, py) / area;
                    double wb = edge(sx[c], sy[c], sx[a], sy[a], pxc, py) / area;
                    double wc = edge(sx[a], sy[a], sx[b], sy[b], pxc, py) / area;
                    if (wa < 0 || wb < 0 || wc < 0) continue;
                    double inv = wa * ia + wb * ib + wc * ic;
                    int p = y * s + x;
                    if (inv <= invDepth[p]) continue;
                    invDepth[p] = inv;
                    // perspective-correct weights
                    double pa = wa * ia / inv, pb = wb * ib / inv, pc = wc * ic / inv;
                    double nx = pa * n[3 * a] + pb * n[3 * b] + pc * n[3 * c];
                    double ny = pa * n[3 * a + 1] + pb * n[3 * b + 1] + pc * n[3 * c + 1];
                    double nz = pa * n[3 * a + 2] + pb * n[3 * b + 2] + pc * n[3 * c + 2];
                    double qx = pa * cam[3 * a] + pb * cam[3 * b] + pc * cam[3 * c];
                    double qy = pa * cam[3 * a + 1] + pb * cam[3 * b + 1] + pc * cam[3 * c + 1];
                    double qz = 1 / inv;
                    if (nx * qx + ny * qy + nz * qz > 0) {   // normal faces away from the eye: light the side we see
                        nx = -nx;
                        ny = -ny;
                        nz = -nz;
                    }
                    double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
                    double lambert = len == 0 ? 0 : Math.max(0, (nx * Shading.LX + ny * Shading.LY + nz * Shading.LZ) / len);
                    for (int ch = 0; ch < 3; ch++) {
                        float base = (float) (pa * col[3 * a + ch] + pb * col[3 * b + ch] + pc * col[3 * c + ch]);
                        px[3 * p + ch] = (byte) Shading.lit(base, lambert);
                    }
                }
            }
        }
        return out.downsample(supersample);
    }

    /** Twice the signed area of (a, b, p): positive when p lies to the left of a→b in a y-up frame. */
    private static double edge(double ax, double ay, double bx, double by, double px, double py) {
        return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    }
}
