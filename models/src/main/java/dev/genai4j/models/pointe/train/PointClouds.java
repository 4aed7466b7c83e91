package dev.genai4j.models.pointe.train;

import dev.genai4j.data.shapes.PointCloud;
import dev.genai4j.models.pointe.GaussianDiffusion;
import dev.genai4j.tensor.Tensor;

import java.util.List;

/**
 * Between clouds and the diffusion's model space: channels first {@code [N, 6, L]}, xyz × 2 and RGB
 * 0..255 → [-1, 1] through {@link GaussianDiffusion#scaleChannels} (the reference's channel scales).
 *
 * <pre>{@code
 * Tensor x0 = PointClouds.toModelSpace(List.of(points), diffusion);   // points: [x,y,z,r,g,b]·L, colours 0..1
 * PointCloud pc = PointClouds.toCloud(sample, 0, diffusion);
 * }</pre>
 */
public final class PointClouds {
    private PointClouds() {}

    /** Per-point interleaved {@code [x, y, z, r, g, b]} (colours 0..1), all of one length → [N, 6, L] model space. */
    public static Tensor toModelSpace(List<float[]> clouds, GaussianDiffusion diffusion) {
        int n = clouds.size(), l = clouds.get(0).length / 6;
        float[] out = new float[n * 6 * l];
        for (int b = 0; b < n; b++) {
            float[] p = clouds.get(b);
            if (p.length != 6 * l) throw new IllegalArgumentException("PointClouds: cloud " + b + " has " + p.length / 6 + " points, cloud 0 has " + l);
            for (int i = 0; i < l; i++) {
                for (int c = 0; c < 6; c++) out[(b * 6 + c) * l + i] = c < 3 ? p[6 * i + c] : p[6 * i + c] * 255f;
            }
        }
        return diffusion.scaleChannels(Tensor.of(out, n, 6, l));
    }

    /** Sample {@code index} of a model-space batch [N, 6, L] → a cloud, colours clamped to [0, 1]. */
    public static PointCloud toCloud(Tensor modelSpace, int index, GaussianDiffusion diffusion) {
        int l = modelSpace.size(2);
        float[] v = diffusion.unscaleChannels(modelSpace.narrow(0, index, 1)).contiguous().toFloatArray();   // [1, 6, L] data space
        float[] xyz = new float[3 * l], rgb = new float[3 * l];
        for (int i = 0; i < l; i++) {
            for (int c = 0; c < 3; c++) {
                xyz[3 * i + c] = v[c * l + i];
                rgb[3 * i + c] = Math.min(1f, Math.max(0f, v[(3 + c) * l + i] / 255f));
            }
        }
        return new PointCloud(xyz, rgb);
    }
}
